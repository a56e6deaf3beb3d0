"""Feedback after a session: attendees answer the programme's questions once, anonymously;
the organiser sees only aggregates, and none of fewer than MIN_ANSWERS answers (3), so no
single answer can be read off an average (the engine: core.questions).

FeedbackGiven says who answered a session's form; the answers sit in a FeedbackResponse
with a random key and no time, so the two cannot be matched by order or by key."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.questions import (
    MIN_ANSWERS,
    Summary,
    empty_summary,
    question_append,
    question_drop,
    summarise,
)
from teachers.models import Teacher

from .models import (
    Attendance,
    FeedbackAnswer,
    FeedbackGiven,
    FeedbackQuestion,
    FeedbackResponse,
    Programme,
    Session,
)
from .rules import is_over

FEEDBACK_MIN_ANSWERS = MIN_ANSWERS


# -- the questions --------------------------------------------------------------------------------
def questions_of(programme: Programme) -> list[FeedbackQuestion]:
    """The questions attendees answer now (the defaults until the organiser sets some)."""
    questions = [q for q in programme.feedback_questions.all() if q.active]
    if questions or programme.feedback_questions.exists():
        return questions
    return FeedbackQuestion.defaults_for(programme=programme)


@transaction.atomic
def questions_ensure(*, programme: Programme) -> list[FeedbackQuestion]:
    """The programme's question rows, the defaults written on first use. Twice: no change."""
    Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).first()
    if not programme.feedback_questions.exists():
        FeedbackQuestion.objects.bulk_create(FeedbackQuestion.defaults_for(programme=programme))
    return [q for q in programme.feedback_questions.all() if q.active]


def _require_organiser(programme: Programme, by) -> None:
    if not Programme.objects.editable_by(by).filter(pk=programme.pk).exists():
        raise PermissionDenied


@transaction.atomic
def question_add(*, programme: Programme, by, **fields) -> FeedbackQuestion:
    """``fields``: kind, text, options, required (core.questions.QuestionForm)."""
    _require_organiser(programme, by)
    existing = questions_ensure(programme=programme)
    return question_append(
        FeedbackQuestion, existing=existing, owner={"programme": programme}, **fields
    )


@transaction.atomic
def question_remove(*, question: FeedbackQuestion, by) -> None:
    _require_organiser(question.programme, by)
    question_drop(question, answers=FeedbackAnswer)


# -- answering ------------------------------------------------------------------------------------
def may_give_feedback(*, session: Session, teacher: Teacher) -> bool:
    return (
        session.attendances.filter(teacher=teacher, status__in=Attendance.ATTENDED).exists()
        and not FeedbackGiven.objects.filter(session=session, teacher=teacher).exists()
    )


def sessions_awaiting_feedback(*, teacher: Teacher, sessions) -> list[Session]:
    """Of ``sessions`` (with ``line`` set, as on My training), those attended and over whose
    form the teacher has not answered; none of a programme whose organiser removed every
    question (no form to answer)."""
    given = set(
        FeedbackGiven.objects.filter(teacher=teacher, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    programmes = {s.programme_id for s in sessions}
    asked = set(
        FeedbackQuestion.objects.filter(programme_id__in=programmes, active=True).values_list(
            "programme_id", flat=True
        )
    )
    set_up = set(
        FeedbackQuestion.objects.filter(programme_id__in=programmes).values_list(
            "programme_id", flat=True
        )
    )
    now = timezone.localtime()
    return [
        s
        for s in sessions
        if s.line
        and s.line.attended
        and s.pk not in given
        and is_over(s, now)
        and (s.programme_id in asked or s.programme_id not in set_up)
    ]


@transaction.atomic
def feedback_give(*, session: Session, teacher: Teacher, answers) -> FeedbackResponse:
    """``answers``: (question, number, text) as core.questions.AnswerForm.answers() gives."""
    if not session.attendances.filter(teacher=teacher, status__in=Attendance.ATTENDED).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            FeedbackGiven.objects.create(session=session, teacher=teacher)
    except IntegrityError:
        raise ValidationError(_("You have already given your feedback on this session.")) from None
    if any(q.programme_id != session.programme_id for q, _n, _t in answers):
        raise ValidationError(_("A question does not belong to this programme."))
    response = FeedbackResponse.objects.create(session=session)
    rows = [FeedbackAnswer(response=response, question=q, number=n, text=t) for q, n, t in answers]
    for row in rows:
        row.full_clean(exclude=["response", "question"])
    FeedbackAnswer.objects.bulk_create(rows)
    return response


# -- aggregates -----------------------------------------------------------------------------------
def _all_questions(programme_ids) -> list[FeedbackQuestion]:
    return list(FeedbackQuestion.objects.filter(programme_id__in=programme_ids))


def summaries(*, sessions) -> dict[int, Summary]:
    """Session id -> its Summary (core.questions), in a constant number of queries."""
    sessions = list(sessions)
    questions = _all_questions({s.programme_id for s in sessions})
    answers = FeedbackAnswer.objects.filter(response__session__in=sessions)
    found = summarise(answers, questions, group_by="response__session_id")
    result = {}
    for session in sessions:
        own = [q for q in questions if q.programme_id == session.programme_id]
        summary = found.get(session.pk) or empty_summary(own)
        summary.questions = [
            s for s in summary.questions if s.question.programme_id == session.programme_id
        ]
        result[session.pk] = summary
    return result


def programme_summary(*, programme: Programme) -> Summary:
    """Every session's answers together, per question (retired questions too, if answered)."""
    questions = _all_questions([programme.pk])
    answers = FeedbackAnswer.objects.filter(response__session__programme=programme)
    summary = summarise(answers, questions)[None]
    summary.questions = [s for s in summary.questions if s.question.active or s.answers]
    return summary
