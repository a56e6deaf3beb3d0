"""The district office (区教师发展中心) compares its schools side by side, drills into one of them
read-only, and cannot reach a school of another district — in Chinese and in English."""

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from tests.factories import (
    DesignationFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = school_year_start(timezone.localdate())


@pytest.fixture
def districts():
    gulou = DistrictFactory(code="GL", name="鼓楼区")
    primary = SchoolFactory(district=gulou, code="GLXX01", name="鼓楼区实验小学")
    middle = SchoolFactory(district=gulou, code="GLZX01", name="鼓楼区第一中学")
    wang = TeacherFactory(school=primary, name="王芳", staff_no="X001")
    DesignationFactory(teacher=wang, first_year=YEAR, last_year=YEAR + 2)
    TeacherFactory(school=primary, name="刘洋", staff_no="X002")
    TeacherFactory(school=middle, name="陈静", staff_no="Z001")
    elsewhere = SchoolFactory(district=DistrictFactory(code="TJ", name="台江区"), name="台江区小学")
    zhao = TeacherFactory(school=elsewhere, name="赵敏", staff_no="T001")
    return {"gulou": gulou, "primary": primary, "wang": wang, "elsewhere": elsewhere, "zhao": zhao}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_district_office_compares_drills_down_and_stays_in_its_district(
    open_session, districts, language
):
    user_with_role(
        Role.DISTRICT_OFFICE, district=districts["gulou"], username="district", language=language
    )
    primary, wang, zhao = districts["primary"], districts["wang"], districts["zhao"]

    office = open_session(language, name=f"district-{language}")
    office.login("district")
    page = office.goto("/assessment/district/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    for i, (name, teachers) in enumerate([("鼓楼区实验小学", "2"), ("鼓楼区第一中学", "1")]):
        cells = rows.nth(i).locator("td")
        assert name in cells.nth(0).inner_text() and cells.nth(1).inner_text() == teachers
    assert "台江区小学" not in page.content()
    office.shot("overview")

    # Drill into the primary school: its teachers, read-only.
    row = page.locator("table tbody tr", has_text="鼓楼区实验小学")
    row.locator(f"a[href='/teachers/?school={primary.pk}']").click()
    page.wait_for_url(f"**/teachers/?school={primary.pk}")
    results = page.locator("#results")
    assert "王芳" in results.inner_text() and "刘洋" in results.inner_text()
    assert "陈静" not in results.inner_text()
    assert page.locator("a[href='/teachers/new/'], a[href='/teachers/import/']").count() == 0
    office.shot("school-teachers")
    page.get_by_role("link", name="王芳").click()
    page.wait_for_url(f"**/teachers/{wang.pk}/")
    assert page.locator(f"a[href='/teachers/{wang.pk}/edit/']").count() == 0
    office.shot("teacher")
    assert office.goto_refused(f"/teachers/{wang.pk}/edit/") == 403

    page.goto(office.base_url + "/assessment/district/")
    page.locator("table tbody tr", has_text="鼓楼区实验小学").locator(
        f"a[href='/backbone/roster/?school={primary.pk}']"
    ).click()
    page.wait_for_url(f"**/backbone/roster/?school={primary.pk}")
    assert page.get_by_role("link", name="王芳").count() >= 1
    office.shot("school-roster")

    # Another district's school stays out of reach, even by guessing its ids.
    assert office.goto_refused(f"/teachers/{zhao.pk}/") == 404
    other = districts["elsewhere"].district_id
    assert office.goto_refused(f"/assessment/district/?district={other}") == 404
    office.goto(f"/teachers/?school={districts['elsewhere'].pk}")
    assert "赵敏" not in page.content()
