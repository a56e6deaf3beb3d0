"""Rules that follow from attendance: 优存劣汰, a trainee who misses a share of a programme's
sessions (default one third, ``Programme.absence_share``) loses their place."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Role, User

from .models import Attendance, Enrolment, Programme, Session

AUTO_REASON = "attendance"  # Enrolment.status_reason of a place this rule ended


def threshold(share: Decimal) -> Fraction:
    """0.33 and 0.67 mean one third and two thirds, as schools say it; others are taken as
    written."""
    return {Decimal("0.33"): Fraction(1, 3), Decimal("0.67"): Fraction(2, 3)}.get(
        Decimal(share).quantize(Decimal("0.01")), Fraction(Decimal(share))
    )


@dataclass(frozen=True)
class Standing:
    """One trainee's attendance over a programme's sessions held so far."""

    held: int
    attended: int
    leave: int  # approved leave: a valid absence
    missed: int  # absent, or no line in the register of a held session
    total: int  # all the programme's sessions, held or not
    share: Decimal

    @property
    def loses_place(self) -> bool:
        """Missing the share of *all* the programme's published sessions ends the place, as
        soon as it is certain: with one third, 3 of 9 sessions missed, not 2."""
        return self.total > 0 and Fraction(self.missed, self.total) >= threshold(self.share)


def is_over(session: Session, now) -> bool:
    """A session counts as held once it has ended: today's counts from its end time."""
    return (session.date, session.ends_at) <= (now.date(), now.time())


def standing(
    *, programme: Programme, enrolments: list[Enrolment], sessions: list[Session]
) -> dict[int, Standing]:
    """Teacher id -> Standing, in two queries. A held session counts as missed by a trainee
    without a line only once its register was taken (someone has a line): a register the
    organiser has not filled in yet is no evidence of absence."""
    now = timezone.localtime()
    held = [s for s in sessions if s.is_published and is_over(s, now)]
    taken = set(
        Attendance.objects.filter(session__in=held).values_list("session_id", flat=True).distinct()
    )
    lines = {}
    for teacher_id, session_id, status in Attendance.objects.filter(
        session__in=held, teacher_id__in=[e.teacher_id for e in enrolments]
    ).values_list("teacher_id", "session_id", "status"):
        lines.setdefault(teacher_id, {})[session_id] = status
    result = {}
    for enrolment in enrolments:
        mine = lines.get(enrolment.teacher_id, {})
        attended = sum(1 for s in mine.values() if s in Attendance.ATTENDED)
        leave = sum(1 for s in mine.values() if s == Attendance.Status.LEAVE)
        counted = (*Attendance.ATTENDED, Attendance.Status.LEAVE)
        missed = sum(1 for s in held if s.pk in taken and mine.get(s.pk) not in counted)
        result[enrolment.teacher_id] = Standing(
            held=len(held),
            attended=attended,
            leave=leave,
            missed=missed,
            total=len([s for s in sessions if s.is_published]),
            share=programme.absence_share,
        )
    return result


def _organisers(programme: Programme) -> list[User]:
    if programme.school_id:
        users = User.objects.filter(
            role_assignments__school_id=programme.school_id,
            role_assignments__role__in=[Role.TRAINING_OFFICE, Role.PRINCIPAL],
        )
    else:
        users = User.objects.filter(
            role_assignments__district_id=programme.district_id,
            role_assignments__role=Role.DISTRICT_OFFICE,
        )
    return list(users.exclude(email="").distinct())


def _notify(programme: Programme, enrolment: Enrolment, standing: Standing) -> None:
    teacher = enrolment.teacher
    with translation.override(teacher.school.language):
        subject = _("Training place ended: %(programme)s") % {"programme": programme.title}
        body = _(
            "%(name)s missed %(missed)d of the %(total)d sessions of %(programme)s (approved "
            "leave not counted). Missing this share of the sessions ends a trainee's place "
            "(优存劣汰). If the register is wrong, ask the organiser to correct it: the place "
            "then comes back by itself."
        ) % {
            "name": teacher.name,
            "missed": standing.missed,
            "total": standing.total,
            "programme": programme.title,
        }
    addresses = [teacher.email] if teacher.email else []
    addresses += [u.email for u in _organisers(programme)]
    if addresses:
        send_mail(subject, body, None, addresses)


@transaction.atomic
def places_review(*, programme: Programme) -> tuple[int, int]:
    """End the places this rule ends, and give back those a corrected register no longer
    ends (only places this rule ended). Each change is claimed with a conditional UPDATE, so
    a notice goes out once. Returns (ended, restored)."""
    enrolments = list(
        programme.enrolments.filter(
            status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.PLACE_LOST]
        ).select_related("teacher__school")
    )
    sessions = list(programme.sessions.all())
    standings = standing(programme=programme, enrolments=enrolments, sessions=sessions)
    ended = restored = 0
    for enrolment in enrolments:
        loses = standings[enrolment.teacher_id].loses_place
        if loses and enrolment.status == Enrolment.Status.ENROLLED:
            claimed = Enrolment.objects.filter(
                pk=enrolment.pk, status=Enrolment.Status.ENROLLED
            ).update(status=Enrolment.Status.PLACE_LOST, status_reason=AUTO_REASON)
            if claimed:
                ended += 1
                transaction.on_commit(
                    lambda e=enrolment, s=standings[enrolment.teacher_id]: _notify(programme, e, s)
                )
        elif not loses and enrolment.status == Enrolment.Status.PLACE_LOST:
            restored += Enrolment.objects.filter(
                pk=enrolment.pk, status=Enrolment.Status.PLACE_LOST, status_reason=AUTO_REASON
            ).update(status=Enrolment.Status.ENROLLED, status_reason="")
    return ended, restored
