"""Writes of a lesson study: starting one, and linking its open classes round by round."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.models import Role, School

from ..models import LessonStudy, LessonStudyRound, OpenClass, Status


def may_start(user, school: School) -> bool:
    scope = user.scope
    return scope.can_manage_school(school.pk) or Role.TEACHER in scope.roles_at(school.pk)


@transaction.atomic
def lesson_study_create(
    *, school: School, kind: str, lesson: str, subject: str, grade: str, theme: str, by
) -> LessonStudy:
    if not may_start(by, school):
        raise PermissionDenied
    study = LessonStudy(school=school, kind=kind, lesson=lesson.strip(), subject=subject.strip(),
                        grade=grade.strip(), theme=theme.strip(), created_by=by)  # fmt: skip
    study.full_clean()
    study.save()
    return study


def _editable(study: LessonStudy, by) -> LessonStudy:
    if not LessonStudy.objects.editable_by(by).filter(pk=study.pk).exists():
        raise PermissionDenied
    return LessonStudy.objects.select_for_update().get(pk=study.pk)


@transaction.atomic
def lesson_study_round_add(
    *, study: LessonStudy, open_class: OpenClass, note: str = "", by
) -> LessonStudyRound:
    """The open class becomes the study's next round. It must be a class of the study's
    school that is announced or held (not a draft); in a 磨课 every round is the same
    teacher's. Linking a class twice keeps its round."""
    study = _editable(study, by)
    existing = study.rounds.filter(open_class=open_class).first()
    if existing is not None:
        return existing
    if open_class.teacher.school_id != study.school_id or open_class.status == Status.DRAFT:
        raise ValidationError(_("Choose an open class of this school that is not a draft."))
    first = study.rounds.select_related("open_class").first()
    if (
        study.kind == LessonStudy.Kind.POLISHING
        and first is not None
        and first.open_class.teacher_id != open_class.teacher_id
    ):
        raise ValidationError(
            _("In a lesson polished over rounds (磨课) every round is the same teacher's.")
        )
    number = (study.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    return LessonStudyRound.objects.create(
        study=study, open_class=open_class, number=number, note=note.strip()[:200]
    )


@transaction.atomic
def lesson_study_round_remove(*, round: LessonStudyRound, by) -> None:
    _editable(round.study, by)
    round.delete()
