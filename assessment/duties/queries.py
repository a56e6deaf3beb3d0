"""Reads for the duty pages: the backbone teachers of a year, and the records behind statuses."""

from collections.abc import Iterable

from django.db.models import QuerySet

from backbone.models import Designation
from records.models import Record
from teachers.models import Teacher

from .state import DutyStatus


def backbone_teachers(*, year: int, teachers: QuerySet | None = None) -> QuerySet:
    """Active teachers with a tier designation covering ``year``."""
    teachers = Teacher.objects.all() if teachers is None else teachers
    covering = (
        Designation.objects.tiers()
        .filter(
            first_year__lte=year,
            last_year__gte=year,
            status__in=[Designation.Status.ACTIVE, Designation.Status.EXPIRED],
        )
        .values("teacher_id")
    )
    return (
        teachers.filter(is_active=True, pk__in=covering)
        .select_related("school", "group", "user")
        .order_by("school__code", "staff_no")
    )


def stage_teachers(*, year: int, teachers: QuerySet | None = None, stage: str = "") -> QuerySet:
    """Active teachers without a tier designation covering ``year`` whose district sets duties
    for a growth stage that year; with ``stage``, only those in that stage on the first day of
    the school year (as the engine reads it: requirements.stage_terms)."""
    from django.db.models import Q

    from core.models import District
    from teachers.stages import career_start_range

    from ..models import DutyTemplate
    from .periods import default_year_dates

    teachers = Teacher.objects.all() if teachers is None else teachers
    covering = (
        Designation.objects.tiers()
        .filter(
            first_year__lte=year,
            last_year__gte=year,
            status__in=[
                Designation.Status.ACTIVE,
                Designation.Status.EXPIRED,
                Designation.Status.SUPERSEDED,
            ],
        )
        .values("teacher_id")
    )
    with_stage_duties = DutyTemplate.objects.filter(tier=None, valid_from__lte=year).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=year)
    )
    if stage:
        with_stage_duties = with_stage_duties.filter(stage=stage)
    found = teachers.filter(
        is_active=True, school__district_id__in=with_stage_duties.values("district_id")
    ).exclude(pk__in=covering)
    if stage:
        first_day = default_year_dates(year)[0]
        districts = District.objects.filter(pk__in=found.values("school__district_id"))
        in_stage = Q(pk__in=[])
        for district in districts:
            after, until = career_start_range(stage, district, first_day)
            q = Q(school__district=district)
            if after is not None:
                q &= Q(career_start__gt=after)
            if until is not None:
                q &= Q(career_start__lte=until)
            in_stage |= q
        found = found.filter(in_stage)
    return found.select_related("school", "group", "user").order_by("school__code", "staff_no")


def records_by_id(statuses: Iterable[DutyStatus]) -> dict[int, Record]:
    """The records behind the statuses, verified and pending, in one query."""
    ids = {pk for s in statuses for pk in (*s.record_ids, *s.pending_ids)}
    return Record.objects.in_bulk(ids) if ids else {}
