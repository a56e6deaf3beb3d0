"""Weekly observation compliance (mentoring.compliance): the arithmetic, the traffic light and
the constant number of queries. The calendar is SchoolYearFactory's: semesters 2025-09-01 (a
Monday) to 2026-01-20 and 2026-02-20 to 2026-07-10."""

import datetime
from operator import attrgetter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Holiday
from mentoring.compliance import (
    AMBER_PERCENT,
    GREEN_PERCENT,
    RECENT_WEEKS,
    Compliance,
    Light,
    Tally,
    Week,
    compliance_for,
    pairing_compliance,
    required_for,
)
from mentoring.models import Pairing
from records.models import Observation, Status
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory

D = datetime.date
SECOND_SEMESTER_END = D(2026, 7, 10)


@pytest.fixture
def calendar(school):
    return SchoolYearFactory(district=school.district, start_year=2025)


def make_pairing(school, *, start, end=SECOND_SEMESTER_END, status=Pairing.Status.ACTIVE, **extra):
    return Pairing.objects.create(
        school=school,
        mentor=extra.pop("mentor", None) or TeacherFactory(school=school),
        apprentice=extra.pop("apprentice", None) or TeacherFactory(school=school),
        origin=Pairing.Origin.SCHOOL,
        status=status,
        start_date=start,
        end_date=end,
        goals="站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
        **extra,
    )


def observe(pairing, day, *, by="mentor", status=Status.VERIFIED, tagged=True, observed=None):
    observer, other = (pairing.mentor, pairing.apprentice)
    if by == "apprentice":
        observer, other = other, observer
    return Observation.objects.create(
        teacher=observer,
        observed_teacher=observed or other,
        pairing=pairing if tagged else None,
        date=day,
        year=2025,
        subject="语文",
        status=status,
    )


def observe_week(pairing, monday, mentor=2, apprentice=1):
    for i in range(mentor):
        observe(pairing, monday + datetime.timedelta(days=i))
    for i in range(apprentice):
        observe(pairing, monday + datetime.timedelta(days=i), by="apprentice")


def column(compliance, attribute):
    return [attrgetter(attribute)(week) for week in compliance.weeks]


# -- weeks and what they require ------------------------------------------------------------
def test_required_is_the_weekly_number_pro_rated_by_teaching_days_rounded_up():
    assert [required_for(2, days) for days in range(6)] == [0, 1, 1, 2, 2, 2]
    assert [required_for(1, days) for days in range(6)] == [0, 1, 1, 1, 1, 1]
    assert [required_for(3, days) for days in range(6)] == [0, 1, 2, 2, 3, 3]


def test_full_weeks_require_the_weekly_number_in_each_direction(school, calendar):
    pairing = make_pairing(school, start=D(2025, 9, 1))
    observe_week(pairing, D(2025, 9, 1))
    observe_week(pairing, D(2025, 9, 8))
    observe_week(pairing, D(2025, 9, 15), mentor=1)

    c = pairing_compliance(pairing=pairing, today=D(2025, 9, 21))  # a Sunday: three weeks over

    assert column(c, "monday") == [D(2025, 9, 1), D(2025, 9, 8), D(2025, 9, 15)]
    assert column(c, "teaching_days") == [5, 5, 5]
    assert column(c, "mentor.required") == [2, 2, 2]
    assert column(c, "apprentice.required") == [1, 1, 1]
    assert column(c, "missed") == [False, False, True]
    assert (c.mentor.done, c.mentor.required) == (5, 6)
    assert (c.apprentice.done, c.apprentice.required) == (3, 3)
    assert c.missed_weeks == 1
    assert c.percent == 88  # 8 of 9, rounded down
    assert c.light == Light.AMBER


def test_a_holiday_week_is_not_counted(school, calendar):
    Holiday.objects.create(
        district=school.district, name="秋假", start_date=D(2025, 10, 6), end_date=D(2025, 10, 10)
    )
    pairing = make_pairing(school, start=D(2025, 9, 29))
    observe_week(pairing, D(2025, 9, 29))
    observe_week(pairing, D(2025, 10, 13))

    c = pairing_compliance(pairing=pairing, today=D(2025, 10, 19))

    assert column(c, "teaching_days") == [5, 0, 5]
    assert column(c, "counts") == [True, False, True]
    assert column(c, "holidays") == [[], ["秋假"], []]
    assert column(c, "mentor.required") == [2, 0, 2]
    assert column(c, "missed") == [False, False, False]
    assert (c.mentor.required, c.apprentice.required) == (4, 2)
    assert c.light == Light.GREEN


def test_a_holiday_inside_a_week_pro_rates_it(school, calendar):
    Holiday.objects.create(
        district=school.district, name="国庆节", start_date=D(2025, 10, 1), end_date=D(2025, 10, 7)
    )
    pairing = make_pairing(school, start=D(2025, 9, 29))

    c = pairing_compliance(pairing=pairing, today=D(2025, 10, 12))

    # Monday and Tuesday before the holiday, Wednesday to Friday after it.
    assert column(c, "teaching_days") == [2, 3]
    assert column(c, "mentor.required") == [1, 2]
    assert column(c, "apprentice.required") == [1, 1]
    assert column(c, "holidays") == [["国庆节"], ["国庆节"]]


def test_partial_weeks_at_the_start_and_the_end_are_pro_rated(school, calendar):
    # Thursday 4 September to Tuesday 16 September, three a week.
    pairing = make_pairing(
        school, start=D(2025, 9, 4), end=D(2025, 9, 16), mentor_observations_per_week=3
    )
    observe(pairing, D(2025, 9, 2))  # before the start: no week's
    observe(pairing, D(2025, 9, 4))
    observe(pairing, D(2025, 9, 17))  # after the end: no week's

    c = pairing_compliance(pairing=pairing, today=D(2025, 10, 1))

    assert column(c, "first") == [D(2025, 9, 4), D(2025, 9, 8), D(2025, 9, 15)]
    assert column(c, "last") == [D(2025, 9, 7), D(2025, 9, 14), D(2025, 9, 16)]
    assert column(c, "teaching_days") == [2, 5, 2]
    assert column(c, "mentor.required") == [2, 3, 2]  # ceil(3 × 2 / 5) = 2
    assert column(c, "apprentice.required") == [1, 1, 1]
    assert column(c, "in_progress") == [False, False, False]
    assert c.mentor.done == 1
    assert c.end == D(2025, 9, 16)


def test_a_pairing_ended_early_stops_counting_on_the_day_it_ended(school, calendar):
    pairing = make_pairing(
        school, start=D(2025, 9, 1), status=Pairing.Status.ENDED_EARLY, ended_on=D(2025, 9, 10)
    )

    c = pairing_compliance(pairing=pairing, today=D(2025, 11, 1))

    assert column(c, "teaching_days") == [5, 3]
    assert column(c, "mentor.required") == [2, 2]
    assert column(c, "missed") == [True, True]


def test_the_current_week_is_pro_rated_to_today_and_not_missed_while_it_runs(school, calendar):
    pairing = make_pairing(school, start=D(2025, 9, 1))

    c = pairing_compliance(pairing=pairing, today=D(2025, 9, 9))  # a Tuesday

    assert column(c, "teaching_days") == [5, 2]
    assert column(c, "in_progress") == [False, True]
    assert column(c, "mentor.required") == [2, 1]
    assert column(c, "missed") == [True, False]
    assert c.missed_weeks == 1
    assert c.mentor.required == 3  # the requirement so far counts


def test_weeks_outside_the_semesters_are_not_counted(school, calendar):
    # The first semester ends on Tuesday 20 January, the second starts on Friday 20 February.
    pairing = make_pairing(school, start=D(2026, 1, 12))

    c = pairing_compliance(pairing=pairing, today=D(2026, 2, 27))

    assert column(c, "teaching_days") == [5, 2, 0, 0, 0, 1, 5]
    assert column(c, "mentor.required") == [2, 1, 0, 0, 0, 1, 2]
    assert column(c, "counts") == [True, True, False, False, False, True, True]
    assert c.missed_weeks == 3  # the last week is still running on Friday
    assert c.mentor.required == 6


def test_without_a_calendar_nothing_is_due(school):
    pairing = make_pairing(school, start=D(2025, 9, 1))
    c = pairing_compliance(pairing=pairing, today=D(2025, 10, 1))
    assert c.weeks and not c.counted_weeks
    assert (c.percent, c.light) == (None, Light.NONE)


def test_a_proposed_pairing_has_nothing_due(school, calendar):
    pairing = make_pairing(school, start=D(2025, 9, 1), status=Pairing.Status.PROPOSED)
    c = pairing_compliance(pairing=pairing, today=D(2025, 10, 1))
    assert c.weeks == [] and c.end is None
    assert (c.percent, c.light) == (None, Light.NONE)


# -- which observations count ----------------------------------------------------------------
def test_an_observation_is_counted_once_and_the_tag_decides(school, calendar):
    earlier = make_pairing(
        school, start=D(2025, 3, 1), end=D(2025, 8, 31), status=Pairing.Status.COMPLETED
    )
    pairing = make_pairing(
        school, start=D(2025, 9, 1), mentor=earlier.mentor, apprentice=earlier.apprentice
    )
    observe(pairing, D(2025, 9, 2))  # tagged, and the people match: counted once
    observe(pairing, D(2025, 9, 3), tagged=False)  # the same people, untagged: not counted
    observe(pairing, D(2025, 9, 4), observed=TeacherFactory(school=school))  # someone else
    observe(earlier, D(2025, 9, 4))  # tagged with the earlier pairing

    result = compliance_for(pairings=[earlier, pairing], today=D(2025, 9, 7))

    assert result[pairing.pk].mentor.done == 1
    assert result[pairing.pk].apprentice.done == 0
    assert result[earlier.pk].mentor.done == 0  # after its end


def test_each_direction_needs_its_own_observer(school, calendar):
    pairing = make_pairing(school, start=D(2025, 9, 1))
    observe(pairing, D(2025, 9, 2), by="apprentice")
    c = pairing_compliance(pairing=pairing, today=D(2025, 9, 7))
    assert (c.mentor.done, c.apprentice.done) == (0, 1)


def test_drafts_returned_and_archived_do_not_count_submitted_ones_are_pending(school, calendar):
    pairing = make_pairing(school, start=D(2025, 9, 1))
    for status in (Status.DRAFT, Status.RETURNED, Status.ARCHIVED):
        observe(pairing, D(2025, 9, 2), status=status)
    observe(pairing, D(2025, 9, 3), status=Status.SUBMITTED)
    observe(pairing, D(2025, 9, 4), status=Status.VERIFIED)

    c = pairing_compliance(pairing=pairing, today=D(2025, 9, 7))

    assert (c.mentor.done, c.mentor.pending, c.mentor.verified) == (2, 1, 1)
    assert c.weeks[0].mentor.pending == 1
    assert not c.weeks[0].mentor.short


# -- the traffic light -----------------------------------------------------------------------
def synthetic(mentor: list[tuple[int, int]], apprentice: list[tuple[int, int]] | None = None):
    """A Compliance from (done, required) per week."""
    apprentice = apprentice or [(0, 0)] * len(mentor)
    weeks = []
    for i, ((m_done, m_req), (a_done, a_req)) in enumerate(zip(mentor, apprentice, strict=True)):
        monday = D(2025, 9, 1) + datetime.timedelta(weeks=i)
        weeks.append(
            Week(
                monday=monday,
                first=monday,
                last=monday + datetime.timedelta(days=6),
                teaching_days=5,
                holidays=[],
                in_progress=False,
                mentor=Tally(required=m_req, done=m_done),
                apprentice=Tally(required=a_req, done=a_done),
            )
        )
    c = Compliance(
        pairing_id=1,
        start=weeks[0].first,
        end=weeks[-1].last,
        mentor_per_week=2,
        apprentice_per_week=1,
        weeks=weeks,
    )
    for week in weeks:
        c.mentor.add(week.mentor)
        c.apprentice.add(week.apprentice)
    return c


def test_the_thresholds_are_the_documented_ones():
    assert (GREEN_PERCENT, AMBER_PERCENT, RECENT_WEEKS) == (90, 60, 4)


@pytest.mark.parametrize(
    ("weeks", "percent", "light"),
    [
        ([(1, 2)] * 2 + [(2, 2)] * 8, 90, Light.GREEN),  # 18 of 20, the misses long ago
        ([(1, 2)] * 3 + [(2, 2)] * 7, 85, Light.AMBER),
        ([(2, 2)] * 6 + [(0, 2)] * 4, 60, Light.AMBER),
        ([(2, 2)] * 5 + [(1, 2)] + [(0, 2)] * 4, 55, Light.RED),
        ([(2, 2)] * 18 + [(1, 2)] * 2, 95, Light.AMBER),  # two of the last four weeks missed
        ([(2, 2)] * 18 + [(1, 2), (2, 2)], 97, Light.GREEN),  # one of the last four missed
        ([(2, 2)] * 16 + [(1, 2), (2, 2), (2, 2), (2, 2)], 97, Light.GREEN),
        ([(0, 0)] * 3, None, Light.NONE),
    ],
)
def test_traffic_light(weeks, percent, light):
    c = synthetic(weeks)
    assert (c.percent, c.light) == (percent, light)


def test_one_directions_surplus_does_not_cover_the_others_shortfall():
    c = synthetic([(4, 2)] * 3, [(0, 1)] * 3)
    assert c.percent == 66  # 6 of 9: the mentor's surplus is capped at 6
    assert c.light == Light.AMBER


def test_a_week_still_running_is_not_among_the_recent_missed_weeks():
    c = synthetic([(2, 2)] * 9 + [(1, 2), (0, 1)])
    c.weeks[-1].in_progress = True
    assert c.recent_missed == 1
    assert c.light == Light.GREEN


# -- many pairings at once ------------------------------------------------------------------
def test_compliance_for_equals_pairing_compliance_in_a_constant_number_of_queries(school, calendar):
    far = SchoolFactory()  # another district, another calendar and holidays
    SchoolYearFactory(district=far.district, start_year=2025)
    Holiday.objects.create(
        district=far.district, name="国庆节", start_date=D(2025, 10, 1), end_date=D(2025, 10, 7)
    )
    today = D(2025, 10, 22)

    def add_pairings(n):
        for i in range(n):
            where = school if i % 2 else far
            pairing = make_pairing(where, start=D(2025, 9, 1) + datetime.timedelta(days=i))
            observe_week(pairing, D(2025, 9, 8), mentor=i % 3, apprentice=1)
            observe(pairing, D(2025, 9, 29), by="apprentice", status=Status.SUBMITTED)

    def measure():
        pairings = list(Pairing.objects.select_related("school"))
        with CaptureQueriesContext(connection) as ctx:
            result = compliance_for(pairings=pairings, today=today)
        return result, len(ctx.captured_queries)

    add_pairings(2)
    _, few = measure()
    add_pairings(6)
    result, many = measure()

    assert few == many == 3  # observations, semesters, holidays
    assert len(result) == 8
    for pairing in Pairing.objects.all():
        assert result[pairing.pk] == pairing_compliance(pairing=pairing, today=today)
    assert {c.apprentice.pending for c in result.values()} == {1}
