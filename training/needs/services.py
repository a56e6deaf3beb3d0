"""The annual training-needs survey (研训需求调查): opening one, its questions, a teacher's
one anonymous answer, and the aggregates each reader may see (core.questions). A school's
staff see a district survey's aggregates of their own teachers only; the district sees all
and each school's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School
from core.questions import Summary, empty_summary, question_append, question_drop, summarise
from core.scoping import get_for_user
from teachers.models import Teacher

from ..models import NeedsAnswer, NeedsGiven, NeedsQuestion, NeedsResponse, NeedsSurvey


# -- reads ----------------------------------------------------------------------------------------
def survey_list(*, user) -> QuerySet[NeedsSurvey]:
    return NeedsSurvey.objects.visible_to(user).select_related("school", "district")


def get_survey(*, user, pk: int, write: bool = False) -> NeedsSurvey:
    return get_for_user(
        NeedsSurvey.objects.select_related("school", "district"), user, write=write, pk=pk
    )


def can_edit(user, survey: NeedsSurvey) -> bool:
    return NeedsSurvey.objects.editable_by(user).filter(pk=survey.pk).exists()


def questions_of(survey: NeedsSurvey) -> list[NeedsQuestion]:
    return [q for q in survey.questions.all() if q.active]


def surveys_to_answer(*, teacher: Teacher) -> list[NeedsSurvey]:
    """The open surveys asking the teacher that they have not answered yet."""
    answered = NeedsGiven.objects.filter(teacher=teacher).values("survey_id")
    return list(
        NeedsSurvey.objects.open_to(teacher)
        .exclude(pk__in=answered)
        .select_related("school", "district")
    )


def readable_schools(*, user, survey: NeedsSurvey) -> QuerySet[School] | None:
    """The schools whose answers ``user`` may read in ``survey``; None: every school's (the
    organiser's district, a school's own survey)."""
    scope = user.scope
    if scope.is_superuser or survey.district_id in scope.district_ids:
        return None
    if survey.school_id:
        return None  # visible_to already limited it to the school's staff and district
    return School.objects.filter(pk__in=scope.staff_school_ids, district_id=survey.district_id)


def results(*, user, survey: NeedsSurvey, school: School | None = None) -> Summary:
    """The aggregates ``user`` may see, of one school when given (a district survey)."""
    questions = list(survey.questions.all())
    answers = NeedsAnswer.objects.filter(response__survey=survey)
    allowed = readable_schools(user=user, survey=survey)
    if allowed is not None:
        answers = answers.filter(response__school__in=allowed)
    if school is not None:
        answers = answers.filter(response__school=school)
    summary = summarise(answers, questions)[None] if questions else empty_summary([])
    summary.questions = [s for s in summary.questions if s.question.active or s.answers]
    return summary


def school_counts(*, user, survey: NeedsSurvey) -> list[tuple[School, int, int]]:
    """A district survey: (school, answers, teachers) of each school the user may read."""
    allowed = readable_schools(user=user, survey=survey)
    schools = School.objects.filter(district_id=survey.district_id)
    if allowed is not None:
        schools = schools & allowed
    answered = dict(
        NeedsResponse.objects.filter(survey=survey, school__in=schools)
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    schools = schools.annotate(
        staff=Count("teachers", filter=Q(teachers__is_active=True))
    ).order_by("code")
    return [(s, answered.get(s.pk, 0), s.staff) for s in schools]


# -- writes ---------------------------------------------------------------------------------------
def _require_organiser(survey: NeedsSurvey, by) -> None:
    if not can_edit(by, survey):
        raise PermissionDenied


@transaction.atomic
def survey_open(*, school: School | None, district_id: int, year: int, title: str, by):
    """A survey for the school (or the district) and year, with the default questions. Opening
    it again gives the one already there."""
    scope = by.scope
    allowed = (
        scope.can_manage_school(school.pk)
        if school
        else scope.is_superuser or district_id in scope.district_ids
    )
    if not allowed:
        raise PermissionDenied
    existing = NeedsSurvey.objects.filter(school=school, district_id=district_id, year=year).first()
    if existing:
        return existing
    survey = NeedsSurvey(school=school, district_id=district_id, year=year, title=title.strip())
    survey.created_by = by
    survey.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:  # a second click at the same moment
        return NeedsSurvey.objects.get(school=school, district_id=district_id, year=year)
    NeedsQuestion.objects.bulk_create(NeedsQuestion.defaults_for(survey=survey))
    return survey


@transaction.atomic
def survey_close(*, survey: NeedsSurvey, by) -> None:
    _require_organiser(survey, by)
    NeedsSurvey.objects.filter(pk=survey.pk, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )


@transaction.atomic
def question_add(*, survey: NeedsSurvey, by, **fields) -> NeedsQuestion:
    _require_organiser(survey, by)
    survey = NeedsSurvey.objects.select_for_update().get(pk=survey.pk)
    return question_append(
        NeedsQuestion, existing=list(survey.questions.all()), owner={"survey": survey}, **fields
    )


@transaction.atomic
def question_remove(*, question: NeedsQuestion, by) -> None:
    _require_organiser(question.survey, by)
    question_drop(question, answers=NeedsAnswer)


@transaction.atomic
def survey_answer(*, survey: NeedsSurvey, teacher: Teacher, answers) -> NeedsResponse:
    """The teacher's one answer; ``answers`` as core.questions.AnswerForm.answers() gives."""
    if not NeedsSurvey.objects.open_to(teacher).filter(pk=survey.pk).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            NeedsGiven.objects.create(survey=survey, teacher=teacher)
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None
    if any(q.survey_id != survey.pk for q, _n, _t in answers):
        raise ValidationError(_("A question does not belong to this survey."))
    response = NeedsResponse.objects.create(survey=survey, school_id=teacher.school_id)
    rows = [NeedsAnswer(response=response, question=q, number=n, text=t) for q, n, t in answers]
    for row in rows:
        row.full_clean(exclude=["response", "question"])
    NeedsAnswer.objects.bulk_create(rows)
    return response


def plannable(user) -> bool:
    """Whether the results offer "create a programme from this topic" (an organiser)."""
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def export_owner(user, survey: NeedsSurvey) -> dict | None:
    """What the export job is filed under (core.job_files), or None when the user may not
    export: the school of a school's survey (asked by its managers or its district office);
    for a district survey, the district (its office) or the school whose manager asks, whose
    teachers' answers the file then holds."""
    scope = user.scope
    if survey.school_id:
        reads = (
            scope.can_manage_school(survey.school_id) or survey.district_id in scope.district_ids
        )
        return {"school": survey.school} if reads else None
    if scope.is_superuser or survey.district_id in scope.district_ids:
        return {"district": survey.district}
    school = (
        School.objects.filter(pk__in=scope.managed_school_ids, district_id=survey.district_id)
        .order_by("code")
        .first()
    )
    return {"school": school} if school else None


def may_export(user, survey: NeedsSurvey) -> bool:
    return export_owner(user, survey) is not None
