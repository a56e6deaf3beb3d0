"""The city overview: the districts of the city office's city side by side, read only."""

import pytest
from django.urls import reverse

from core.models import Role
from tests.factories import (
    CityFactory,
    DesignationFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    user_with_role,
)

URL = reverse("documents:city")


def _district_with_data(city, code):
    district = DistrictFactory(code=code, name=f"{code}区教育局", city=city)
    school = SchoolFactory(district=district)
    DesignationFactory(teacher=TeacherFactory(school=school), first_year=2026, last_year=2027)
    TeacherFactory(school=school)
    return district


@pytest.fixture
def city(db):
    return CityFactory(code="FZ", name="福州市教育局")


@pytest.fixture
def city_office(city):
    return user_with_role(Role.CITY_OFFICE, city=city, username="city")


def test_the_city_office_sees_its_districts_side_by_side(city, city_office, login):
    gulou, taijiang = _district_with_data(city, "GL"), _district_with_data(city, "TJ")
    other = _district_with_data(CityFactory(code="XM"), "SM")
    response = login(city_office).get(URL)
    assert response.status_code == 200
    assert gulou.name in response.text and taijiang.name in response.text
    assert other.name not in response.text
    assert f"?district={gulou.pk}" in response.text
    rows = response.context["rows"]
    assert [r["teachers"] for r in rows] == [2, 2]
    assert response.context["report"].total.teachers == 4
    # Drilling down: the district's own overview, read by the city office.
    drill = login(city_office).get(reverse("documents:district"), {"district": gulou.pk})
    assert drill.status_code == 200 and gulou.name in drill.text
    refused = login(city_office).get(reverse("documents:district"), {"district": other.pk})
    assert refused.status_code == 404


def test_another_city_office_sees_only_its_own_city(city, login):
    _district_with_data(city, "GL")
    elsewhere = CityFactory(code="XM", name="厦门市教育局")
    _district_with_data(elsewhere, "SM")
    office = user_with_role(Role.CITY_OFFICE, city=elsewhere)
    response = login(office).get(URL)
    assert response.status_code == 200 and "SM区教育局" in response.text
    assert "GL区教育局" not in response.text
    assert login(office).get(URL, {"city": city.pk}).status_code == 404


def test_school_staff_and_district_offices_get_404(city, login):
    district = _district_with_data(city, "GL")
    school = district.schools.get()
    for role, place in ((Role.PRINCIPAL, {"school": school}), (Role.DISTRICT_OFFICE, {})):
        user = user_with_role(role, district=district, **place)
        assert login(user).get(URL).status_code == 404


def test_the_city_office_is_in_the_navigation_and_on_the_home_page(city, city_office, login):
    gulou = _district_with_data(city, "GL")
    response = login(city_office).get(reverse("home"))
    assert response.status_code == 200
    assert URL in response.text
    assert gulou.name in response.text
    assert f"{reverse('documents:district')}?district={gulou.pk}" in response.text


def test_the_city_overview_query_count_does_not_grow_with_districts(
    city, city_office, login, count_queries
):
    for code in ("D1", "D2"):
        _district_with_data(city, code)
    client = login(city_office)
    few = count_queries(client, URL, {"refresh": 1})
    for code in ("D3", "D4", "D5", "D6"):
        _district_with_data(city, code)
    assert count_queries(client, URL, {"refresh": 1}) == few


def test_the_home_page_query_count_does_not_grow_with_districts(
    city, city_office, login, count_queries
):
    _district_with_data(city, "D1")
    client = login(city_office)
    few = count_queries(client, reverse("home"))
    for code in ("D2", "D3", "D4"):
        _district_with_data(city, code)
    assert count_queries(client, reverse("home")) == few
