"""The teaching days of a district: its semesters without its holidays."""

import datetime
from dataclasses import dataclass, field

from core.models import Holiday, School, Semester

from ..models import Pairing


# -- the calendar ------------------------------------------------------------------------------
@dataclass
class Calendar:
    """A district's semesters and holidays, as date ranges."""

    semesters: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    holidays: list[tuple[datetime.date, datetime.date, str]] = field(default_factory=list)
    _spans: dict = field(default_factory=dict, repr=False, compare=False)

    def holiday_on(self, day: datetime.date) -> str | None:
        for start, end, name in self.holidays:
            if start <= day <= end:
                return name
        return None

    def is_teaching_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and any(start <= day <= end for start, end in self.semesters)
            and self.holiday_on(day) is None
        )

    def span(self, first: datetime.date, last: datetime.date) -> tuple[int, list[str]]:
        """The teaching days in [first, last] and the holidays' names there. Computed once per
        span: a district's pairings share their weeks, so an overview of thousands of pairings
        looks at each week's days once instead of once a pairing."""
        key = (first, last)
        if key not in self._spans:
            days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
            teaching = sum(1 for day in days if self.is_teaching_day(day))
            holidays = list(dict.fromkeys(filter(None, map(self.holiday_on, days))))
            self._spans[key] = (teaching, holidays)
        teaching, holidays = self._spans[key]
        return teaching, list(holidays)


def _calendars(district_ids: set[int], since: datetime.date) -> dict[int, Calendar]:
    calendars = {pk: Calendar() for pk in district_ids}
    semesters = Semester.objects.filter(
        school_year__district_id__in=district_ids, end_date__gte=since
    ).values_list("school_year__district_id", "start_date", "end_date")
    for district_id, start, end in semesters:
        calendars[district_id].semesters.append((start, end))
    holidays = Holiday.objects.filter(district_id__in=district_ids, end_date__gte=since)
    for district_id, start, end, name in holidays.values_list(
        "district_id", "start_date", "end_date", "name"
    ):
        calendars[district_id].holidays.append((start, end, name))
    return calendars


def district_calendar(*, district_id: int, since: datetime.date) -> Calendar:
    """One district's calendar from ``since`` on (the demo data plans its observations on it)."""
    return _calendars({district_id}, since)[district_id]


def _district_ids(pairings: list[Pairing]) -> dict[int, int]:
    """school id → district id, without a query when the schools came with the pairings."""
    school_field = Pairing._meta.get_field("school")
    known = {p.school_id: p.school.district_id for p in pairings if school_field.is_cached(p)}
    missing = {p.school_id for p in pairings} - set(known)
    if missing:
        known.update(School.objects.filter(pk__in=missing).values_list("pk", "district_id"))
    return known
