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


def records_by_id(statuses: Iterable[DutyStatus]) -> dict[int, Record]:
    """The records behind the statuses, verified and pending, in one query."""
    ids = {pk for s in statuses for pk in (*s.record_ids, *s.pending_ids)}
    return Record.objects.in_bulk(ids) if ids else {}
