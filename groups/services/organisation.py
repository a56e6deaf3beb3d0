"""Groups, their members and heads, managed by the school's principal or training office."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import School, TeachingGroup
from teachers.models import Teacher

from ..models import GroupSettings, Membership
from ..selectors import require_manager


def _check_name(*, school_id: int, kind: str, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    same = TeachingGroup.objects.filter(school_id=school_id, kind=kind, name=name)
    if exclude:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"name": _("The school already has a group of this name.")})
    return name


@transaction.atomic
def group_create(*, school: School, name: str, kind: str, by) -> TeachingGroup:
    if not by.scope.can_manage_school(school.pk):
        raise PermissionDenied
    group = TeachingGroup(
        school=school, kind=kind, name=_check_name(school_id=school.pk, kind=kind, name=name)
    )
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_rename(*, group: TeachingGroup, name: str, by) -> TeachingGroup:
    require_manager(by, group)
    group.name = _check_name(
        school_id=group.school_id, kind=group.kind, name=name, exclude=group.pk
    )
    group.full_clean()
    group.save(update_fields=["name"])
    return group


def _own_teachers(group: TeachingGroup, teachers) -> list[Teacher]:
    teachers = list(teachers)
    if any(t.school_id != group.school_id or not t.is_active for t in teachers):
        raise ValidationError(_("Only teachers on the school's staff can join its groups."))
    return teachers


@transaction.atomic
def group_members_set(*, group: TeachingGroup, teachers, by) -> None:
    """The group's members are exactly ``teachers``. A teaching-research group's members are
    the roster's group of each teacher, so this changes their roster entry."""
    require_manager(by, group)
    teachers = _own_teachers(group, teachers)
    ids = {t.pk for t in teachers}
    if group.kind == TeachingGroup.Kind.RESEARCH:
        Teacher.objects.filter(group=group, is_active=True).exclude(pk__in=ids).update(group=None)
        Teacher.objects.filter(pk__in=ids).update(group=group)
        return
    Membership.objects.filter(group=group).exclude(teacher_id__in=ids).delete()
    Membership.objects.bulk_create(
        [Membership(group=group, teacher_id=pk) for pk in ids], ignore_conflicts=True
    )


@transaction.atomic
def group_heads_set(*, group: TeachingGroup, teachers, by) -> None:
    """教研组长 / 备课组长 (one, or a head and a deputy): teachers of the school with a login."""
    require_manager(by, group)
    teachers = _own_teachers(group, teachers)
    if len(teachers) > 2:
        raise ValidationError({"heads": _("A group has at most two heads (a head and a deputy).")})
    if any(t.user_id is None for t in teachers):
        raise ValidationError(
            {"heads": _("A group head needs a login: give the teacher an account first.")}
        )
    group.heads.set([t.user_id for t in teachers])


@transaction.atomic
def group_settings_save(*, school: School, activity_hours, hours_school_based: bool, by):
    if not by.scope.can_manage_school(school.pk):
        raise PermissionDenied
    settings, _created = GroupSettings.objects.get_or_create(school=school)
    settings.activity_hours = activity_hours
    settings.hours_school_based = hours_school_based
    settings.full_clean()
    settings.save()
    return settings
