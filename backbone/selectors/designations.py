"""Every read of designations and the reserve pool a page needs, already scoped to the user.

Reads go through ``.current()`` or ``effective_status``, so a term that has ended reads as
expired even before the expiry job has run."""

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from core.scoping import get_for_user
from teachers.models import Teacher

from ..models import Designation, ReserveEntry, Tier, school_year_start


def _current_titles(today: datetime.date | None = None) -> Prefetch:
    return Prefetch(
        "teacher__designations",
        queryset=Designation.objects.current(today).honorary().select_related("tier"),
        to_attr="current_titles",
    )


def roster_list(*, user, today: datetime.date | None = None) -> QuerySet[Designation]:
    """Everyone on staff with a current tier designation at the schools the user may see;
    each row's teacher carries ``current_titles`` (honorary titles held now)."""
    return (
        Designation.objects.visible_to(user)
        .current(today)
        .tiers()
        .filter(teacher__is_active=True)
        .select_related("teacher__school", "teacher__group", "tier")
        .prefetch_related(_current_titles(today))
        .order_by("-tier__level", "teacher__school__code", "teacher__staff_no")
    )


def roster_tiers(*, user) -> QuerySet[Tier]:
    """The backbone tiers (not honorary titles) of the districts the user sees."""
    districts = user.scope.schools().values("district_id")
    return Tier.objects.filter(kind=Tier.Kind.TIER, district_id__in=districts).order_by(
        "level", "district_id"
    )


def roster_tier_counts(*, designations: QuerySet[Designation], tiers) -> list[tuple[Tier, int]]:
    """(tier, number of designations) for every tier, zeros included, in one query."""
    counts = dict(
        designations.order_by()
        .values_list("tier_id")
        .annotate(n=Count("pk"))
        .values_list("tier_id", "n")
    )
    return [(tier, counts.get(tier.pk, 0)) for tier in tiers]


def get_designation(*, user, pk: int, write: bool = False) -> Designation:
    return get_for_user(
        Designation.objects.select_related("teacher__school", "tier__district"),
        user,
        write=write,
        pk=pk,
    )


def designation_history(*, teacher: Teacher) -> QuerySet[Designation]:
    """A teacher's whole record, newest first. The caller has fetched ``teacher`` through the
    scoping layer already (a teacher sees their own record)."""
    return Designation.objects.filter(teacher=teacher).select_related(
        "tier", "closed_by", "created_by", "promoted_to__tier"
    )


def current_designation(*, teacher: Teacher, today=None) -> Designation | None:
    return Designation.objects.current(today).tiers().filter(teacher=teacher).first()


def reserve_list(*, user) -> QuerySet[ReserveEntry]:
    return (
        ReserveEntry.objects.visible_to(user)
        .current()
        .filter(teacher__is_active=True)
        .select_related("teacher__school", "tier", "marked_by")
        .order_by("tier__level", "teacher__school__code", "teacher__staff_no")
    )


def get_reserve_entry(*, user, pk: int, write: bool = False) -> ReserveEntry:
    return get_for_user(
        ReserveEntry.objects.select_related("teacher", "tier"), user, write=write, pk=pk
    )


def terms_ending_count(*, user, today: datetime.date | None = None) -> int:
    """Current tier designations whose term ends this school year (for dashboards)."""
    today = today or timezone.localdate()
    return roster_list(user=user, today=today).filter(last_year=school_year_start(today)).count()
