"""The demo looks like a real school's year: open classes on school days in teaching hours,
送课下乡 at rural schools, winter and summer trainings in those holidays."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contests.demo import _weekday_near
from core.models import Semester
from records.models import OpenClass, Status, Training


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def in_a_semester(day) -> bool:
    return Semester.objects.filter(start_date__lte=day, end_date__gte=day).exists()


def test_open_classes_fall_on_school_days_in_teaching_hours(seeded):
    classes = list(OpenClass.objects.all())
    assert len(classes) > 20
    for open_class in classes:
        start = timezone.localtime(open_class.starts_at)
        assert start.date() == open_class.date
        assert start.weekday() < 5, f"{open_class} on a weekend: {start:%Y-%m-%d %A}"
        assert 8 <= start.hour < 17, f"{open_class} at {start:%H:%M}"
        assert in_a_semester(open_class.date), f"{open_class} in a holiday: {start:%Y-%m-%d}"
    today = timezone.localdate()
    for open_class in classes:
        if open_class.date > today:
            assert open_class.status in (Status.PLANNED, Status.DRAFT)


def test_outreach_classes_are_held_at_rural_schools(seeded):
    outreach = OpenClass.objects.filter(class_kind=OpenClass.ClassKind.OUTREACH)
    assert outreach.exists()
    for open_class in outreach:
        host = open_class.host_school
        assert "县" in host and ("乡" in host or "镇" in host), host
        assert "城关" not in host and "区" not in host, host


def test_winter_and_summer_trainings_fall_in_those_holidays(seeded):
    holiday_trainings = Training.objects.filter(course__regex="暑期|寒假")
    assert holiday_trainings.exists()
    for training in holiday_trainings:
        for day in (training.date, training.end_date or training.date):
            assert not in_a_semester(day), f"{training.course} in term time: {day}"
            if "暑期" in training.course:
                assert day.month in (7, 8), f"{training.course} on {day}"
            else:
                assert day.month in (1, 2), f"{training.course} on {day}"
        assert training.date <= timezone.localdate()


@pytest.mark.parametrize(
    ("day", "held_on"),
    [
        ("2026-11-28", "2026-11-27"),  # a Saturday: the Friday before
        ("2026-11-29", "2026-11-27"),  # a Sunday: the Friday before
        ("2026-11-26", "2026-11-26"),  # a Thursday stays
        ("2026-09-06", "2026-09-07"),  # a Sunday whose Friday is before the school year: Monday
    ],
)
def test_the_demo_class_competition_is_held_on_a_weekday_whatever_the_date(day, held_on):
    first = datetime.date(2026, 9, 5)
    got = _weekday_near(datetime.date.fromisoformat(day), first)
    assert got.isoformat() == held_on and got.weekday() < 5
