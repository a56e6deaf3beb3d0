"""The organiser's new pages of issue 14 (exemptions from school-based hours, ...) at desk
and phone width, in both languages: they render without console errors or failed requests,
and nothing overflows sideways."""

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from records.models import HoursExemption
from tests.factories import (
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [1280, 390]


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def _look(session, path: str, label: str) -> None:
    for width in WIDTHS:
        session.page.set_viewport_size({"width": width, "height": 900})
        session.goto(path)
        _no_sideways_scroll(session.page)
        session.shot(f"{label}-{width}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_exemptions_page_at_desk_and_phone_width(open_session, language):
    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX02", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    for i, reason in enumerate(["赴华东师范大学脱产进修一学年", "援疆支教（长周期）", "挂职锻炼"]):
        teacher = TeacherFactory(school=school, name=f"教师{i}", staff_no=f"T{i:03}")
        TrainingFactory(teacher=teacher, status="verified", hours=40 + i, year=year)
        HoursExemption.objects.create(teacher=teacher, year=year, reason=reason)
    office = open_session(language, name=f"train-a-{language}-office")
    office.login("office")
    _look(office, "/records/exemptions/", "exemptions")
