"""Scope helpers of the planning pages: who reads them, which districts, tiers and schools."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from core.models import District, School

from ...models import Tier


def require_planning_reader(user) -> None:
    """The planning pages are for school staff and the district office; others get a 404."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.reads_districts):
        raise Http404


def visible_district_ids(user) -> QuerySet:
    """The districts of every school the user may see (a subquery, not evaluated)."""
    if user.scope.is_superuser:
        return District.objects.values("pk")
    return user.scope.schools().values("district_id")


def tiers_for(*, user, honorary: bool = False) -> QuerySet[Tier]:
    kind = Tier.Kind.HONORARY if honorary else Tier.Kind.TIER
    return (
        Tier.objects.filter(district_id__in=visible_district_ids(user), kind=kind)
        .select_related("district")
        .order_by("district__code", "level")
    )


def get_school_for_user(*, user, pk, write: bool = False) -> School:
    """A school from a request parameter: 404 outside the scope, 403 for read-only roles."""
    try:
        school = user.scope.schools().get(pk=int(pk))
    except (School.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if write and not user.scope.can_manage_school(school.pk):
        raise PermissionDenied
    return school


def default_school(*, user, pk=None, write: bool = False) -> School:
    """The school a page is about: the one asked for, else the user's first."""
    if pk:
        return get_school_for_user(user=user, pk=pk, write=write)
    school = user.scope.schools(write=write).order_by("code").first()
    if school is None:
        if user.scope.schools().exists():
            raise PermissionDenied
        raise Http404
    return school
