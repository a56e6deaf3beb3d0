"""Feedback after a session: attendees answer once, anonymously; the organiser sees only
aggregates, and none of fewer than FEEDBACK_MIN_ANSWERS answers (3), so no single answer can
be read off an average."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from teachers.models import Teacher

from .models import Attendance, Feedback, FeedbackGiven, Session
from .rules import is_over

FEEDBACK_MIN_ANSWERS = 3


def may_give_feedback(*, session: Session, teacher: Teacher) -> bool:
    return (
        session.attendances.filter(teacher=teacher, status__in=Attendance.ATTENDED).exists()
        and not FeedbackGiven.objects.filter(session=session, teacher=teacher).exists()
    )


def sessions_awaiting_feedback(*, teacher: Teacher, sessions) -> list[Session]:
    """Of ``sessions`` (with ``line`` set, as on My training), those attended and over whose
    form the teacher has not answered."""
    given = set(
        FeedbackGiven.objects.filter(teacher=teacher, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    now = timezone.localtime()
    return [
        s for s in sessions if s.line and s.line.attended and s.pk not in given and is_over(s, now)
    ]


@transaction.atomic
def feedback_give(*, session: Session, teacher: Teacher, answers: dict) -> Feedback:
    if not session.attendances.filter(teacher=teacher, status__in=Attendance.ATTENDED).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            FeedbackGiven.objects.create(session=session, teacher=teacher)
    except IntegrityError:
        raise ValidationError(_("You have already given your feedback on this session.")) from None
    feedback = Feedback(session=session, **answers)
    feedback.full_clean()
    feedback.save()
    return feedback


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    content: float | None = None
    speaker: float | None = None
    usefulness: float | None = None
    comments: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.answers >= FEEDBACK_MIN_ANSWERS


def summaries(*, sessions) -> dict[int, FeedbackSummary]:
    """Session id -> its aggregates, in two queries; below the threshold only the count."""
    rows = (
        Feedback.objects.filter(session__in=sessions)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"), c=Avg("content"), s=Avg("speaker"), u=Avg("usefulness"))
    )
    result = {}
    shown = []
    for row in rows:
        if row["n"] >= FEEDBACK_MIN_ANSWERS:
            shown.append(row["session_id"])
            result[row["session_id"]] = FeedbackSummary(
                row["n"], round(row["c"], 1), round(row["s"], 1), round(row["u"], 1)
            )
        else:
            result[row["session_id"]] = FeedbackSummary(row["n"])
    comments: dict[int, list[str]] = {}
    for session_id, text in (
        Feedback.objects.filter(session_id__in=shown)
        .exclude(comment="")
        .values_list("session_id", "comment")
    ):
        comments.setdefault(session_id, []).append(text)
    for session_id, texts in comments.items():
        s = result[session_id]
        # Sorted, so the order says nothing about who answered when.
        result[session_id] = FeedbackSummary(
            s.answers, s.content, s.speaker, s.usefulness, tuple(sorted(texts))
        )
    return result
