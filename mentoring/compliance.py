"""Weekly observation compliance of a mentoring pairing (师带徒听课), and the training office's
overview of every pairing it may see.

The rules, each tested in tests/mentoring/test_compliance.py:

1. Weeks run Monday to Sunday, from the week of the pairing's start date to the week of its
   *period end*: the earliest of today, its end date and the day it ended (``ended_on``).
   Days of the first and last week outside [start date, period end] belong to no count.
   Proposed and declined pairings have no weeks: nothing is due before a pairing is active.
2. A *teaching day* is a Monday to Friday inside a semester of the school's district calendar
   and not inside one of the district's holidays. Weekends are never teaching days (weekend
   make-up days, 调休, are not in the calendar model).
3. A week *counts* when it has at least one teaching day. In each direction it requires
   ``ceil(per_week × teaching_days / 5)`` observations: a full week requires ``per_week``; a
   partial week (the pairing or a semester starts or ends in it, a holiday takes some days,
   or it is the current week up to today) is pro-rated and rounded up.
4. An observation counts when it is a records.Observation *tagged with the pairing* (the tag
   decides: an untagged observation between the two people does not count, and a tagged one
   is counted once) whose observer and observed teacher are the direction's two people
   (mentor → apprentice: the mentor observed the apprentice's class; apprentice → mentor: the
   reverse), dated inside the week's days. Verified and submitted observations count;
   submitted ones are shown as *pending* verification. Drafts, returned and archived
   records never count.
5. A counted week is *missed* when either direction did fewer than it required. The current
   week is shown with the requirement so far but is not missed while it runs.
6. Percent: observations done over observations required so far, both directions together,
   each direction's done capped at its own requirement (a mentor's surplus does not make up
   for the apprentice's shortfall). Rounded down.
7. Traffic light: green at GREEN_PERCENT or more with at most RECENT_MISSED_ALLOWED missed
   weeks among the last RECENT_WEEKS counted weeks that are over; amber at AMBER_PERCENT or
   more; red below. A pairing with nothing required yet has no light.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import django_filters
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Holiday, School, Semester, TeachingGroup
from records.models import Observation, Status

from .models import Pairing

GREEN_PERCENT = 90  # green: at least this share of the observations required so far ...
RECENT_WEEKS = 4  # ... and, among the last RECENT_WEEKS counted weeks that are over, ...
RECENT_MISSED_ALLOWED = 1  # ... no more than this many missed
AMBER_PERCENT = 60  # amber: at least this share; red below
TEACHING_DAYS_PER_WEEK = 5

COUNTED_STATUSES = (Status.VERIFIED, Status.SUBMITTED)
STARTED_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.COMPLETED, Pairing.Status.ENDED_EARLY)


class Light(models.TextChoices):
    RED = "red", _("Behind")
    AMBER = "amber", _("Falling behind")
    GREEN = "green", _("On track")
    NONE = "none", _("Nothing due yet")


LIGHT_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2, Light.NONE: 3}


def required_for(per_week: int, teaching_days: int) -> int:
    """Observations a week requires: the weekly number pro-rated by its teaching days, rounded
    up (2 a week: 1 teaching day → 1, 3 days → 2, 5 days → 2)."""
    return math.ceil(per_week * teaching_days / TEACHING_DAYS_PER_WEEK)


# -- the numbers -------------------------------------------------------------------------------
@dataclass
class Tally:
    """Observations in one direction: required, done (verified or pending) and pending."""

    required: int = 0
    done: int = 0
    pending: int = 0

    @property
    def short(self) -> bool:
        return self.done < self.required

    @property
    def verified(self) -> int:
        return self.done - self.pending

    @property
    def credited(self) -> int:
        return min(self.done, self.required)

    def add(self, other: "Tally") -> None:
        self.required += other.required
        self.done += other.done
        self.pending += other.pending


@dataclass
class Week:
    monday: datetime.date
    first: datetime.date  # the week's first day inside the pairing
    last: datetime.date  # and its last
    teaching_days: int
    holidays: list[str]
    in_progress: bool
    mentor: Tally = field(default_factory=Tally)
    apprentice: Tally = field(default_factory=Tally)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def counts(self) -> bool:
        return self.teaching_days > 0

    @property
    def missed(self) -> bool:
        return self.counts and not self.in_progress and (self.mentor.short or self.apprentice.short)


@dataclass
class Compliance:
    pairing_id: int
    start: datetime.date
    end: datetime.date | None  # the period end; None when nothing has started
    mentor_per_week: int
    apprentice_per_week: int
    weeks: list[Week]
    mentor: Tally = field(default_factory=Tally)
    apprentice: Tally = field(default_factory=Tally)

    @property
    def counted_weeks(self) -> list[Week]:
        return [w for w in self.weeks if w.counts]

    @property
    def missed_weeks(self) -> int:
        return sum(1 for w in self.weeks if w.missed)

    @property
    def recent_missed(self) -> int:
        finished = [w for w in self.counted_weeks if not w.in_progress]
        return sum(1 for w in finished[-RECENT_WEEKS:] if w.missed)

    @property
    def required(self) -> int:
        return self.mentor.required + self.apprentice.required

    @property
    def credited(self) -> int:
        return self.mentor.credited + self.apprentice.credited

    @property
    def percent(self) -> int | None:
        if not self.required:
            return None
        return 100 * self.credited // self.required

    @property
    def light(self) -> Light:
        if not self.required:
            return Light.NONE
        # Compare in whole numbers: 89.9% is not 90%.
        share = 100 * self.credited
        if share >= GREEN_PERCENT * self.required and self.recent_missed <= RECENT_MISSED_ALLOWED:
            return Light.GREEN
        if share >= AMBER_PERCENT * self.required:
            return Light.AMBER
        return Light.RED

    @property
    def light_label(self) -> str:
        return self.light.label

    @property
    def weeks_newest_first(self) -> list[Week]:
        return self.weeks[::-1]


# -- the calendar ------------------------------------------------------------------------------
@dataclass
class Calendar:
    """A district's semesters and holidays, as date ranges."""

    semesters: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    holidays: list[tuple[datetime.date, datetime.date, str]] = field(default_factory=list)

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

    def within(self, first: datetime.date, last: datetime.date) -> "Calendar":
        """Only the ranges touching [first, last]: a pairing's weeks look at a few."""
        return Calendar(
            semesters=[(s, e) for s, e in self.semesters if s <= last and e >= first],
            holidays=[(s, e, n) for s, e, n in self.holidays if s <= last and e >= first],
        )


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


# -- the arithmetic ----------------------------------------------------------------------------
def own_end(pairing: Pairing) -> datetime.date:
    """The pairing's last day: its end date, or the day it ended if that came first."""
    return min(pairing.end_date, pairing.ended_on or pairing.end_date)


def _weeks(pairing: Pairing, calendar: Calendar, today: datetime.date) -> list[Week]:
    end = min(today, own_end(pairing))
    running = today < own_end(pairing)
    if pairing.status not in STARTED_STATUSES or end < pairing.start_date:
        return []
    calendar = calendar.within(pairing.start_date, end)
    weeks = []
    monday = pairing.start_date - datetime.timedelta(days=pairing.start_date.weekday())
    while monday <= end:
        first = max(monday, pairing.start_date)
        last = min(monday + datetime.timedelta(days=6), end)
        days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
        teaching = sum(1 for day in days if calendar.is_teaching_day(day))
        holidays = list(dict.fromkeys(filter(None, map(calendar.holiday_on, days))))
        weeks.append(
            Week(
                monday=monday,
                first=first,
                last=last,
                teaching_days=teaching,
                holidays=holidays,
                # Today's week while the pairing runs: not over, so never missed yet.
                in_progress=running and last == end and last < monday + datetime.timedelta(days=6),
                mentor=Tally(required=required_for(pairing.mentor_observations_per_week, teaching)),
                apprentice=Tally(
                    required=required_for(pairing.apprentice_observations_per_week, teaching)
                ),
            )
        )
        monday += datetime.timedelta(days=7)
    return weeks


def _compliance(
    pairing: Pairing, calendar: Calendar, observations: Iterable[tuple], today: datetime.date
) -> Compliance:
    weeks = _weeks(pairing, calendar, today)
    result = Compliance(
        pairing_id=pairing.pk,
        start=pairing.start_date,
        end=weeks[-1].last if weeks else None,
        mentor_per_week=pairing.mentor_observations_per_week,
        apprentice_per_week=pairing.apprentice_observations_per_week,
        weeks=weeks,
    )
    if weeks:
        directions = {
            (pairing.mentor_id, pairing.apprentice_id): "mentor",
            (pairing.apprentice_id, pairing.mentor_id): "apprentice",
        }
        for observer_id, observed_id, day, status in observations:
            direction = directions.get((observer_id, observed_id))
            if direction is None or not weeks[0].first <= day <= weeks[-1].last:
                continue
            week = weeks[(day - weeks[0].monday).days // 7]
            tally = getattr(week, direction)
            tally.done += 1
            tally.pending += status == Status.SUBMITTED
    for week in weeks:
        result.mentor.add(week.mentor)
        result.apprentice.add(week.apprentice)
    return result


def compliance_for(
    *, pairings: Iterable[Pairing], today: datetime.date | None = None
) -> dict[int, Compliance]:
    """Compliance of many pairings in a constant number of queries: one for their
    observations, one each for the semesters and holidays of their districts (and one for the
    districts when the pairings came without their school)."""
    today = today or timezone.localdate()
    pairings = list(pairings)
    if not pairings:
        return {}
    districts = _district_ids(pairings)
    calendars = _calendars(set(districts.values()), min(p.start_date for p in pairings))
    observations: Mapping[int, list[tuple]] = defaultdict(list)
    rows = Observation.objects.filter(
        pairing_id__in=[p.pk for p in pairings], status__in=COUNTED_STATUSES
    ).values_list("pairing_id", "teacher_id", "observed_teacher_id", "date", "status")
    for pairing_id, *row in rows:
        observations[pairing_id].append(tuple(row))
    return {
        p.pk: _compliance(p, calendars[districts[p.school_id]], observations[p.pk], today)
        for p in pairings
    }


def pairing_compliance(*, pairing: Pairing, today: datetime.date | None = None) -> Compliance:
    return compliance_for(pairings=[pairing], today=today)[pairing.pk]


# -- the overview ------------------------------------------------------------------------------
def overview_pairings(*, user) -> models.QuerySet[Pairing]:
    """The pairings the overview lists: scoped, with what each row shows."""
    return (
        Pairing.objects.visible_to(user)
        .select_related("school", "mentor", "apprentice")
        .annotate(session_count=Count("sessions"))
    )


class OverviewFilter(django_filters.FilterSet):
    """Filters of the compliance overview; the queryset comes scoped (overview_pairings)."""

    q = django_filters.CharFilter(label=_("Mentor or apprentice"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Pairing.Status.choices, empty_label=_("Any status")
    )
    school = django_filters.ModelChoiceFilter(label=_("School"), queryset=School.objects.none())
    group = django_filters.ModelChoiceFilter(
        label=_("Teaching-research group"),
        queryset=TeachingGroup.objects.none(),
        method="filter_group",
    )
    # Applied to the computed compliance, not in SQL (overview_rows).
    light = django_filters.ChoiceFilter(
        label=_("Compliance"), choices=Light.choices, method="filter_nothing"
    )

    class Meta:
        model = Pairing
        fields = ["q", "status", "school", "group", "light"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        schools = user.scope.schools()
        self.filters["school"].queryset = schools
        self.filters["group"].queryset = TeachingGroup.objects.filter(
            school__in=schools, kind=TeachingGroup.Kind.RESEARCH
        ).select_related("school")
        if len(schools) <= 1:
            del self.filters["school"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(mentor__name__icontains=value) | Q(apprentice__name__icontains=value)
        )

    def filter_group(self, queryset, name, value):
        return queryset.filter(Q(mentor__group=value) | Q(apprentice__group=value))

    def filter_nothing(self, queryset, name, value):
        return queryset


@dataclass
class OverviewRow:
    pairing: Pairing
    compliance: Compliance

    @property
    def sort_key(self) -> tuple:
        c = self.compliance
        percent = 101 if c.percent is None else c.percent
        return (
            LIGHT_ORDER[c.light],
            percent,
            -c.missed_weeks,
            self.pairing.mentor.name,
            self.pairing.pk,
        )


@dataclass
class Overview:
    filter: OverviewFilter
    rows: list[OverviewRow]  # after every filter, overdue first
    counts: dict[str, int]  # per light, before the light filter


def overview_rows(*, user, data: Mapping, today: datetime.date | None = None) -> Overview:
    """Pairings the user may see, filtered (active ones unless a status is chosen), with their
    compliance; red first, then amber, each the furthest behind first."""
    data = data.copy()
    data.setdefault("status", Pairing.Status.ACTIVE)
    filterset = OverviewFilter(data, queryset=overview_pairings(user=user), user=user)
    pairings = list(filterset.qs)
    compliance = compliance_for(pairings=pairings, today=today)
    rows = sorted(
        (OverviewRow(pairing=p, compliance=compliance[p.pk]) for p in pairings),
        key=lambda row: row.sort_key,
    )
    counts = {light: 0 for light in Light.values}
    for row in rows:
        counts[row.compliance.light] += 1
    light = filterset.form.cleaned_data.get("light") if filterset.is_valid() else ""
    if light:
        rows = [row for row in rows if row.compliance.light == light]
    return Overview(filter=filterset, rows=rows, counts=counts)
