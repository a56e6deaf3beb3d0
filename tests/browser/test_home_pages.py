"""Every role's home page, in both languages, at desktop and phone width: it says what to do
next, every count is a link, and nothing is wider than the screen. The district overview too."""

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from records.models import Status
from tests.factories import (
    DesignationFactory,
    SchoolFactory,
    TeacherFactory,
    TrainingFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = school_year_start(timezone.localdate())
ROLES = ["teacher", "office", "committee", "principal", "district"]


@pytest.fixture
def people(school):
    from assessment.services.duties import duty_templates_ensure_defaults

    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    SchoolFactory(district=school.district, code="A002", name="城关第二小学（分校区）")
    teacher = TeacherFactory(school=school, name="李老师", staff_no="L001")
    teacher.user = user_with_role(Role.TEACHER, school=school, username="teacher")
    teacher.save()
    DesignationFactory(teacher=teacher, first_year=YEAR - 1, last_year=YEAR)
    TrainingFactory(
        teacher=teacher,
        year=YEAR,
        status=Status.RETURNED,
        course="国家中小学智慧教育平台寒假研修（一个很长很长的培训名称，手机上也要能读）",
        return_reason="请写明培训的主办单位，并补充培训证书的扫描件后再提交。",
    )
    TrainingFactory(teacher=teacher, year=YEAR, status=Status.SUBMITTED)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office")
    user_with_role(Role.COMMITTEE, school=school, username="committee")
    user_with_role(Role.PRINCIPAL, school=school, username="principal")
    user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="district")


def overflow(page, within: str = "html") -> int:
    """How many pixels the page (or its part ``within``) is wider than the window: what is
    cut off, not what scrolls inside a box of its own."""
    return page.evaluate(
        "(s) => { const e = document.querySelector(s);"
        " return Math.max(e.scrollWidth - e.clientWidth, e.getBoundingClientRect().right"
        " - window.innerWidth); }",
        within,
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_home_page_fits_the_screen_and_links_each_count(open_session, people, language):
    for username in ROLES:
        session = open_session(language, name=f"home-{username}-{language}")
        session.login(username)
        page = session.page
        sections = page.locator("section.home-section")
        assert sections.count() >= 1, username
        counts = page.locator("a.home-count")
        assert counts.count() >= 1
        for i in range(counts.count()):
            assert counts.nth(i).get_attribute("href"), username
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert overflow(page, "main") <= 0, (username, width)
            assert overflow(page) <= 0, (username, width)  # the English menu too
            session.shot(f"{width}")
    # The teacher's page names the returned record and its reason, and logs an open class.
    teacher = open_session(language, name=f"home-teacher-follow-{language}")
    teacher.login("teacher")
    assert "请写明培训的主办单位" in teacher.page.locator("section.home-section").inner_text()
    teacher.page.locator("a[href='/records/new/open_class/']").click()
    teacher.page.wait_for_url("**/records/new/open_class/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_district_overview_fits_a_phone(open_session, people, language):
    session = open_session(language, name=f"district-overview-{language}")
    session.login("district")
    page = session.goto("/assessment/district/")
    page.set_viewport_size({"width": 390, "height": 900})
    assert overflow(page) <= 0
    assert page.locator(".district-charts svg").count() == 4
    session.shot("390")
