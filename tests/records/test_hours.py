from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from records.hours import Hours, hours_for, hours_for_teachers
from records.models import Status
from tests.factories import TeacherFactory, TrainingFactory


def trainings(teacher, *, school_based="0", other="0", status=Status.VERIFIED, year=2025):
    if Decimal(school_based):
        TrainingFactory(
            teacher=teacher, hours=Decimal(school_based), school_based=True, status=status,
            year=year,
        )  # fmt: skip
    if Decimal(other):
        TrainingFactory(
            teacher=teacher, hours=Decimal(other), school_based=False, status=status, year=year
        )


@pytest.mark.parametrize(
    ("school_based", "other", "met"),
    [
        ("24", "47.5", False),  # 71.5 in all
        ("23.5", "48.5", False),  # 72, but 23.5 school-based
        ("24", "48", True),  # exactly on the mark
        ("72", "0", True),  # school-based hours count towards the total
        ("30", "50", True),
    ],
)
def test_72_hours_with_24_school_based_meet_the_requirement(db, school_based, other, met):
    teacher = TeacherFactory()
    trainings(teacher, school_based=school_based, other=other)
    hours = hours_for(teacher=teacher, year=2025)
    assert hours.total == Decimal(school_based) + Decimal(other)
    assert hours.school_based == Decimal(school_based)
    assert hours.met is met


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ARCHIVED]
)
def test_only_verified_training_counts(db, status):
    teacher = TeacherFactory()
    trainings(teacher, school_based="24", other="48", status=status)
    hours = hours_for(teacher=teacher, year=2025)
    assert (hours.total, hours.school_based, hours.met) == (0, 0, False)


def test_submitted_training_is_shown_as_pending(db):
    teacher = TeacherFactory()
    trainings(teacher, school_based="20", other="40")
    trainings(teacher, school_based="4", other="8", status=Status.SUBMITTED)
    trainings(teacher, school_based="10", status=Status.DRAFT)
    hours = hours_for(teacher=teacher, year=2025)
    assert (hours.total, hours.school_based) == (60, 20)
    assert (hours.pending, hours.pending_school_based) == (12, 4)
    assert not hours.met


def test_hours_of_other_school_years_and_other_teachers_do_not_count(db):
    teacher, other = TeacherFactory(), TeacherFactory()
    trainings(teacher, school_based="24", other="48", year=2024)
    trainings(other, school_based="24", other="48")
    assert hours_for(teacher=teacher, year=2025).total == 0
    assert hours_for(teacher=teacher, year=2024).met


def test_percentages_are_capped_at_100():
    hours = Hours(total=Decimal(36), school_based=Decimal(30))
    assert (hours.percent, hours.school_based_percent) == (50, 100)
    assert Hours(total=Decimal(100), school_based=Decimal(24)).percent == 100


@pytest.mark.parametrize(
    ("total", "school_based", "text"),
    [
        ("72", "24", "The 72-hour requirement is met."),
        ("60", "24", "12 more hours needed."),
        ("71.5", "24", "0.5 more hours needed."),
        ("72", "23.5", "0.5 more school-based hours needed."),
        ("70", "10", "14 more school-based hours needed."),
        ("40", "20", "32 more hours needed, at least 4 of them school-based."),
    ],
)
def test_the_shortfall_says_what_is_missing(total, school_based, text):
    hours = Hours(total=Decimal(total), school_based=Decimal(school_based))
    with translation.override("en"):
        assert hours.shortfall_text == text


def test_hours_for_many_teachers_take_one_query(db, django_assert_num_queries):
    teachers = [TeacherFactory() for _ in range(5)]
    for teacher in teachers[:3]:
        trainings(teacher, school_based="24", other="48")
    trainings(teachers[3], school_based="6", status=Status.SUBMITTED)
    with django_assert_num_queries(1):
        hours = hours_for_teachers(teachers=teachers, year=2025)
    assert [hours[t.pk].met for t in teachers] == [True, True, True, False, False]
    assert hours[teachers[3].pk].pending == 6
    assert hours[teachers[4].pk] == Hours()


def test_hours_for_a_queryset_of_teachers_use_it_as_a_subquery(
    db, school, django_assert_num_queries
):
    from teachers.models import Teacher

    mine = TeacherFactory(school=school)
    elsewhere = TeacherFactory()
    trainings(mine, school_based="24", other="48")
    trainings(elsewhere, school_based="24", other="48")
    with django_assert_num_queries(1):
        hours = hours_for_teachers(teachers=Teacher.objects.filter(school=school), year=2025)
    assert set(hours) == {mine.pk}
    assert hours_for_teachers(teachers=[], year=2025) == {}


def test_the_meter_shows_two_bars_and_what_is_pending():
    hours = Hours(
        total=Decimal(60), school_based=Decimal(24), pending=Decimal("7.5"),
        pending_school_based=Decimal(3),
    )  # fmt: skip
    with translation.override("en"):
        html = render_to_string(
            "records/growth/_hours.html", {"hours": hours, "hours_year_label": "2025–2026"}
        )
    assert html.count('class="progress-bar') == 2
    assert 'aria-valuenow="83"' in html and 'aria-valuenow="100"' in html
    assert "7.5 more hours await verification (3 school-based)." in html
    assert "12 more hours needed." in html and 'data-met="false"' in html
