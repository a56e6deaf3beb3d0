"""The periods a duty is counted over, from a district's calendar.

year      the school year (SchoolYear dates; 1 Sep – 31 Aug when the year is not set up).
semester  with ``semester`` given, that semester; without it, every semester of the year
          begun by ``today``, each owing ``required`` (so the whole year owes it twice).
term      the designation's term, first_year .. last_year (school years).
month     ``required`` for each month begun so far, from the first day of teaching
          (of the year, or of the chosen semester) to the end of the current month.
week      the same by weeks of seven days from the first day of teaching.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from backbone.models import term_end_date
from core.models import SchoolYear

from ..models import DutyTemplate, Period

# The calendar of a district without a SchoolYear row (and what open_school_year creates).
DEFAULT_SEMESTERS = (((9, 1), (1, 20)), ((2, 20), (7, 10)))


def default_year_dates(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def default_semester_dates(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    (sm, sd), (em, ed) = DEFAULT_SEMESTERS[number - 1]
    start = datetime.date(year if sm >= 9 else year + 1, sm, sd)
    end = datetime.date(year if em >= 9 else year + 1, em, ed)
    return start, end


@dataclass
class _Calendar:
    year: int
    start: datetime.date
    end: datetime.date
    semesters: dict[int, tuple[datetime.date, datetime.date]]

    @property
    def teaching_start(self) -> datetime.date:
        return self.semesters[1][0]

    @property
    def teaching_end(self) -> datetime.date:
        return self.semesters[max(self.semesters)][1]


def _calendars(district_ids: set[int], year: int) -> dict[int, _Calendar]:
    found: dict[int, _Calendar] = {}
    rows = (  # a row per semester, or one without a semester: one query
        SchoolYear.objects.filter(district_id__in=district_ids, start_year=year)
        .order_by()
        .values_list(
            "district_id",
            "start_date",
            "end_date",
            "semesters__number",
            "semesters__start_date",
            "semesters__end_date",
        )
    )
    for district_id, start, end, number, semester_start, semester_end in rows:
        if district_id not in found:
            found[district_id] = _Calendar(year, start, end, {})
        if number is not None:
            found[district_id].semesters[number] = (semester_start, semester_end)
    for cal in found.values():
        for number in (1, 2):
            cal.semesters.setdefault(number, default_semester_dates(year, number))
    for district_id in district_ids - found.keys():
        start, end = default_year_dates(year)
        semesters = {n: default_semester_dates(year, n) for n in (1, 2)}
        found[district_id] = _Calendar(year, start, end, semesters)
    return found


def _months_begun(start: datetime.date, end: datetime.date, today: datetime.date) -> int:
    last = min(max(today, start), end)
    return (last.year - start.year) * 12 + last.month - start.month + 1


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


class TierTerm(NamedTuple):
    """What a teacher's duties follow: a tier designation (its tier and its term), or, for a
    teacher without one, the growth stage of the school year (``tier_id`` None, ``stage``
    set, the term being that year)."""

    tier_id: int | None
    first_year: int
    last_year: int
    stage: str = ""


@dataclass
class _Window:
    key: str
    start: datetime.date
    end: datetime.date
    factor: int  # how many times ``required`` is owed over the window
    years: tuple[int, int]  # records of these school years count
    semester: int | None  # ... and only of this semester


def _window(
    template: DutyTemplate,
    *,
    cal: _Calendar,
    semester: int | None,
    designation: TierTerm,
    today: datetime.date,
) -> _Window:
    year = cal.year
    if template.period == Period.TERM:
        first, last = designation.first_year, designation.last_year
        return _Window(
            f"T{first}-{last}",
            default_year_dates(first)[0],
            term_end_date(last),
            1,
            (first, last),
            None,
        )
    if template.period == Period.SEMESTER:
        if semester:
            start, end = cal.semesters[semester]
            return _Window(f"{year}-S{semester}", start, end, 1, (year, year), semester)
        # Every semester begun by today owes the duty once.
        begun = 2 if today >= cal.semesters[2][0] else 1
        end = cal.semesters[begun][1] if begun == 1 else cal.end
        return _Window(f"{year}-S{begun}", cal.start, end, begun, (year, year), None)
    if template.period in (Period.MONTH, Period.WEEK):
        weekly = template.period == Period.WEEK
        if semester:
            start, end = cal.semesters[semester]
            key = f"{year}-S{semester}"
        else:
            start, end = cal.teaching_start, cal.teaching_end
            key = f"{year}"
        last = min(max(today, start), end)
        if weekly:
            begun = (last - start).days // 7 + 1
            window_end = min(end, start + datetime.timedelta(days=7 * begun - 1))
        else:
            begun = _months_begun(start, end, today)
            window_end = min(end, _month_end(last))
        return _Window(key, start, window_end, begun, (year, year), semester)
    return _Window(f"{year}", cal.start, cal.end, 1, (year, year), None)
