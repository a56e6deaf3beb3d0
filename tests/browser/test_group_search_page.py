"""A district office finds a teaching-research group among hundreds by typing, on a desktop
and on a phone, and the teacher list filters by it."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from tests.factories import (
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    TeachingGroupFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_district_office_types_a_group_name_picks_it_and_the_list_follows(open_session, width):
    district = DistrictFactory(code="GL", name="鼓楼区")
    chosen = None
    for n in range(6):
        school = SchoolFactory(district=district, code=f"GL{n:02d}", name=f"鼓楼区第{n + 1}小学")
        for subject in ("语文", "数学", "英语", "科学", "美术", "音乐", "体育", "道德与法治"):
            group = TeachingGroupFactory(school=school, name=f"{subject}组")
            if n == 4 and subject == "科学":
                chosen = group
    TeacherFactory(school=chosen.school, group=chosen, name="林静怡")
    TeacherFactory(school=chosen.school, name="周海波")
    user_with_role(Role.DISTRICT_OFFICE, district=district, username="district")

    office = open_session(name=f"group-search-{width}")
    office.page.set_viewport_size({"width": width, "height": 900})
    office.login("district")
    page = office.goto("/teachers/")
    search = page.get_by_placeholder("输入教研组或学校名称")
    search.fill("第5小学")
    menu = page.locator("select[name=group]")
    expect(menu.locator("option")).to_have_count(9)  # 全部 and the school's eight groups
    menu.select_option(label="鼓楼区第5小学 · 科学组")
    office.shot("searched")
    page.get_by_role("button", name="筛选").click()
    # htmx swaps the list in and puts the filter into the address
    expect(page.get_by_text("周海波")).to_have_count(0)
    expect(page.get_by_text("林静怡")).to_be_visible()
    assert f"group={chosen.pk}" in page.url
    assert menu.locator("option:checked").inner_text() == "鼓楼区第5小学 · 科学组"
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"the page is {width_now} px wide on a {width} px screen"
