"""City-run selection in the browser: the city office opens a municipal round with a quota per
district, a district office nominates from one of its schools' reserve pools and finds its
quota full, the city office reads the nominations by district. The key pages are kept at 1280
and 390 px."""

import pytest

from backbone.models import EligibilityRuleSet, SelectionRound
from backbone.services.reserve import reserve_add
from core.models import Role
from tests.browser.test_district_round_journey import phone_shot
from tests.factories import (
    CityFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    tier,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    city = CityFactory(code="FZ", name="福州市教育局")
    gulou = DistrictFactory(code="GL", name="鼓楼区教育局", city=city)
    taijiang = DistrictFactory(code="TJ", name="台江区教育局", city=city)
    school_a = SchoolFactory(code="GL01", name="鼓楼第一小学", district=gulou)
    SchoolFactory(code="GL02", name="鼓楼第二小学", district=gulou)
    SchoolFactory(code="TJ01", name="台江第一小学", district=taijiang)
    for district in (gulou, taijiang):
        rules = tier(district, "municipal")
        EligibilityRuleSet.objects.filter(tier=rules, school=None).delete()
        EligibilityRuleSet.objects.create(tier=rules, school=None, min_years_teaching=5)
    principal = user_with_role(Role.PRINCIPAL, school=school_a, username="pa")
    for name in ("王芳", "刘洋"):
        teacher = TeacherFactory(school=school_a, name=name)
        reserve_add(teacher=teacher, tier=tier(gulou, "municipal"), reason="教学突出", by=principal)
    user_with_role(Role.CITY_OFFICE, city=city, username="shi")
    user_with_role(Role.DISTRICT_OFFICE, district=gulou, username="gl")
    user_with_role(Role.COMMITTEE, school=school_a, username="chen")
    return {"gulou": gulou}


def test_a_city_runs_its_municipal_selection_with_its_districts(open_session, people):
    office = open_session("zh-hans", name="city-round-zh-hans-city")
    office.login("shi")
    page = office.goto("/backbone/rounds/new/")
    page.fill("input[name=title]", "2026学年市级骨干教师评选")
    page.fill("input[name=quota]", "2")
    page.fill("input[name=district_quota]", "1")
    page.get_by_label("chen", exact=False).check()
    office.shot("open-round")
    phone_shot(office, "open-round")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/backbone/rounds/*/")
    round = SelectionRound.objects.get()
    assert round.is_city
    base = f"/backbone/rounds/{round.pk}"

    district = open_session("zh-hans", name="city-round-zh-hans-district")
    district.login("gl")
    page = district.goto(f"{base}/")
    page.locator(f"a[href^='{base}/nominate/']").first.click()
    page.wait_for_url(f"**{base}/nominate/*")
    page.get_by_label("王芳", exact=False).check()
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"**{base}/")
    page = district.goto(f"{base}/nominate/")
    assert page.locator("#district-quota.alert-warning").count() == 1  # the quota is full
    district.shot("nominate-full")
    phone_shot(district, "nominate-full")

    page = office.goto(f"{base}/")
    assert page.locator("#quota-rows").count() == 1
    assert "王芳" in page.locator("#candidates").inner_text()
    office.shot("round-city")
    phone_shot(office, "round-city")
