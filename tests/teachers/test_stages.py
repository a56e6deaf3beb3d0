import datetime

import pytest

from core.models import Role
from teachers.filters import TeacherFilter
from teachers.models import Teacher
from teachers.stages import GrowthStage, completed_years, stage_for_years
from tests.factories import DistrictFactory, SchoolFactory, TeacherFactory, user_with_role

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("years", "stage"),
    [
        (0, GrowthStage.ADAPTATION),
        (1, GrowthStage.ADAPTATION),
        (2, GrowthStage.STABLE),
        (4, GrowthStage.STABLE),
        (5, GrowthStage.INNOVATION),
        (6, GrowthStage.INNOVATION),
        (7, GrowthStage.YOUNG_BACKBONE),
        (14, GrowthStage.YOUNG_BACKBONE),
        (15, GrowthStage.EXCELLENCE),
        (40, GrowthStage.EXCELLENCE),
    ],
)
def test_growth_stage_boundaries_follow_completed_years(db, years, stage):
    assert stage_for_years(years, DistrictFactory()) == stage


def test_completed_years_turn_over_on_the_anniversary():
    start = datetime.date(2021, 9, 1)
    assert completed_years(start, datetime.date(2026, 8, 31)) == 4
    assert completed_years(start, datetime.date(2026, 9, 1)) == 5


def test_a_district_can_move_the_thresholds(db):
    district = DistrictFactory(stage_excellence_from=12)
    assert stage_for_years(12, district) == GrowthStage.EXCELLENCE
    assert stage_for_years(11, district) == GrowthStage.YOUNG_BACKBONE


@pytest.mark.parametrize("stage", GrowthStage.values)
def test_database_stage_filter_agrees_with_the_property(db, stage, monkeypatch):
    """The list filter computes stages in SQL; it must agree with what each row shows."""
    monkeypatch.setattr(Teacher, "today", staticmethod(lambda: TODAY))
    school = SchoolFactory()
    teachers = []
    for years in [0, 1, 2, 4, 5, 6, 7, 14, 15, 30]:
        for offset in (-1, 0, 1):  # the day before, on and after an anniversary
            start = TODAY.replace(year=TODAY.year - years) + datetime.timedelta(days=offset)
            teachers.append(TeacherFactory(school=school, career_start=start))
    user = user_with_role(Role.DISTRICT_OFFICE, district=school.district)
    filtered = TeacherFilter({"stage": stage}, queryset=Teacher.objects.all(), user=user).qs
    by_property = {t.pk for t in teachers if t.growth_stage == stage}
    assert set(filtered.values_list("pk", flat=True)) == by_property
    assert by_property
