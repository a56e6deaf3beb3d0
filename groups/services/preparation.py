"""Collective lesson preparation: 初备 → comments → 共案 → 个案 → reflection."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import check_day
from core.upload_checks import check_file
from teachers.models import Teacher

from ..credits import design_credit
from ..models import Activity, Adaptation, DraftComment, PreparationUnit, SemesterPlan
from ..selectors import group_members, may_lead, require_lead

Stage = PreparationUnit.Stage


def _locked(unit: PreparationUnit) -> PreparationUnit:
    return PreparationUnit.objects.select_for_update().get(pk=unit.pk)


def _member(unit: PreparationUnit, by) -> Teacher:
    teacher = group_members(unit.plan.group).filter(user_id=by.pk).first()
    if teacher is None:
        raise PermissionDenied
    return teacher


@transaction.atomic
def unit_create(
    *, plan: SemesterPlan, title: str, main_preparer: Teacher, activity: Activity | None, by
) -> PreparationUnit:
    require_lead(by, plan.group)
    if not group_members(plan.group).filter(pk=main_preparer.pk).exists():
        raise ValidationError({"main_preparer": _("The main preparer is a member of the group.")})
    if activity is not None and activity.plan_id != plan.pk:
        raise ValidationError({"activity": _("Choose an activity of this plan.")})
    unit = PreparationUnit(plan=plan, title=title.strip(), main_preparer=main_preparer)
    unit.activity = activity
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_draft_save(*, unit: PreparationUnit, draft: str, upload=None, by) -> PreparationUnit:
    """The main preparer writes (or revises) the first draft until the plan is agreed."""
    unit = _locked(unit)
    if unit.main_preparer.user_id != by.pk:
        raise PermissionDenied
    if unit.stage == Stage.AGREED:
        raise ValidationError(_("The common plan is agreed: the draft no longer changes."))
    if not draft.strip():
        raise ValidationError({"draft": _("Write the first draft.")})
    unit.draft = draft.strip()
    if upload is not None:
        check_file(upload, types=settings.RECORD_UPLOAD_TYPES, max_mb=settings.RECORD_UPLOAD_MAX_MB)
        unit.token = secrets.token_hex(20)
        unit.draft_file.save(unit.token, upload, save=False)
        unit.draft_file_name = upload.name[-200:]
    unit.stage, unit.drafted_at = Stage.DRAFTED, unit.drafted_at or timezone.now()
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_comment(*, unit: PreparationUnit, text: str, by) -> DraftComment:
    """Members and heads discuss the draft online before the plan is agreed."""
    if not may_lead(by, unit.plan.group):
        _member(unit, by)
    unit = _locked(unit)
    if unit.stage != Stage.DRAFTED:
        raise ValidationError(_("Comments are written on a draft in discussion."))
    comment = DraftComment(unit=unit, author=by, text=text.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def unit_agree(*, unit: PreparationUnit, common_plan: str, by) -> PreparationUnit:
    """The head marks the common plan agreed (共案); it becomes the main preparer's teaching
    design. A second click changes nothing."""
    require_lead(by, unit.plan.group)
    unit = _locked(unit)
    if unit.stage == Stage.AGREED:
        return unit
    if unit.stage != Stage.DRAFTED:
        raise ValidationError(_("The main preparer has not written the first draft yet."))
    unit.common_plan = common_plan.strip() or unit.draft
    unit.stage, unit.agreed_at, unit.agreed_by = Stage.AGREED, timezone.now(), by
    unit.full_clean()
    unit.save()
    _credit(unit, unit.main_preparer, day=timezone.localdate(), by=by)
    return unit


def _credit(unit: PreparationUnit, teacher: Teacher, *, day, by) -> None:
    design_credit(
        teacher=teacher,
        source=unit.source_key,
        title=_("%(unit)s (collective preparation)") % {"unit": unit.title},
        venue=str(unit.plan.group),
        date=day,
        by=by,
    )


@transaction.atomic
def adaptation_save(
    *, unit: PreparationUnit, class_name: str, text: str, taught_on, reflection: str, by
) -> Adaptation:
    """A member adapts the common plan for their class and, after teaching, reflects on it;
    with the reflection it counts as their teaching design."""
    teacher = _member(unit, by)
    unit = _locked(unit)
    if unit.stage != Stage.AGREED:
        raise ValidationError(_("Adapt the plan once the group has agreed it."))
    if taught_on:
        check_day(taught_on, future=False)
    if reflection.strip() and not taught_on:
        raise ValidationError({"taught_on": _("Give the day you taught the lesson.")})
    row = Adaptation.objects.filter(unit=unit, teacher=teacher).first() or Adaptation(
        unit=unit, teacher=teacher
    )
    row.class_name, row.text = class_name.strip(), text.strip()
    row.taught_on, row.reflection = taught_on, reflection.strip()
    row.full_clean()
    row.save()
    if row.is_reflected:
        _credit(unit, teacher, day=row.taught_on, by=by)
    return row
