"""A pairing's weeks counted against its observations."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.utils import timezone

from records.models import Observation, Status

from ..models import Pairing
from .rules import COUNTED_STATUSES, STARTED_STATUSES, Compliance, Tally, Week, required_for
from .teaching_days import Calendar, _calendars, _district_ids


# -- the arithmetic ----------------------------------------------------------------------------
def own_end(pairing: Pairing) -> datetime.date:
    """The pairing's last day: its end date, or the day it ended if that came first."""
    return min(pairing.end_date, pairing.ended_on or pairing.end_date)


def _weeks(pairing: Pairing, calendar: Calendar, today: datetime.date) -> list[Week]:
    end = min(today, own_end(pairing))
    running = today < own_end(pairing)
    if pairing.status not in STARTED_STATUSES or end < pairing.start_date:
        return []
    weeks = []
    monday = pairing.start_date - datetime.timedelta(days=pairing.start_date.weekday())
    while monday <= end:
        first = max(monday, pairing.start_date)
        last = min(monday + datetime.timedelta(days=6), end)
        teaching, holidays = calendar.span(first, last)
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
    # Unordered: the tallies do not depend on the order, and sorting a city's 50,000
    # observations by date was a tenth of this query.
    rows = (
        Observation.objects.filter(
            pairing_id__any=[p.pk for p in pairings], status__in=COUNTED_STATUSES
        )
        .order_by()
        .values_list("pairing_id", "teacher_id", "observed_teacher_id", "date", "status")
    )
    for pairing_id, *row in rows:
        observations[pairing_id].append(tuple(row))
    return {
        p.pk: _compliance(p, calendars[districts[p.school_id]], observations[p.pk], today)
        for p in pairings
    }


def pairing_compliance(*, pairing: Pairing, today: datetime.date | None = None) -> Compliance:
    return compliance_for(pairings=[pairing], today=today)[pairing.pk]
