"""Who may export which schools: a school (its principal, training office, district office)
or a whole district (its district office)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from core.export_tables import ExportTarget
from core.job_files import owner_choices
from core.models import District, School


def may_export(user) -> bool:
    """Principals, training offices and district offices (and superusers) export data."""
    scope = user.scope
    return scope.is_superuser or bool(scope.managed_school_ids) or scope.is_district_office


def export_choices(user) -> list[tuple[str, str]]:
    """The user's districts, then the schools they manage or whose district they work for."""
    scope = user.scope
    schools = School.objects.all()
    if not scope.is_superuser:
        schools = schools.filter(
            Q(pk__in=scope.managed_school_ids) | Q(district_id__in=scope.district_ids)
        )
    return owner_choices(user, schools=schools)


def resolve_target(user, params: dict) -> ExportTarget:
    """The export a user asked for, if they may have it; PermissionDenied otherwise (also at
    run time, so a role withdrawn meanwhile stops the job)."""
    scope = user.scope
    if params.get("district"):
        district = District.objects.filter(pk=params["district"]).first()
        if district is None or not (scope.is_superuser or district.pk in scope.district_ids):
            raise PermissionDenied
        school_ids = tuple(district.schools.order_by("code").values_list("pk", flat=True))
        return ExportTarget(
            user=user,
            school_ids=school_ids,
            district_ids=(district.pk,),
            whole_district=True,
            name=district.name,
            code=district.code,
        )
    school = School.objects.filter(pk=params.get("school") or 0).first()
    if school is None or not (
        scope.can_manage_school(school.pk) or school.district_id in scope.district_ids
    ):
        raise PermissionDenied
    return ExportTarget(
        user=user,
        school_ids=(school.pk,),
        district_ids=(school.district_id,),
        whole_district=False,
        name=school.name,
        code=school.code,
    )
