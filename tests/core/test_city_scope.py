"""A city office (市教育局) reads every district of its city and every school in them, and
changes nothing; another city's districts stay out of sight."""

import pytest
from django.db import IntegrityError, transaction

from core.models import Role, RoleAssignment, SchoolYear
from core.selectors import school_year_list
from teachers.models import Teacher
from tests.factories import (
    CityFactory,
    DistrictFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    user_with_role,
)


@pytest.fixture
def cities(db):
    """City 1 with two districts (a school each), city 2 with one."""
    one, two = CityFactory(code="C1"), CityFactory(code="C2")
    d1, d2 = DistrictFactory(code="D1", city=one), DistrictFactory(code="D2", city=one)
    d3 = DistrictFactory(code="D3", city=two)
    schools = {
        "a": SchoolFactory(code="S1", district=d1),
        "b": SchoolFactory(code="S2", district=d2),
        "c": SchoolFactory(code="S3", district=d3),
    }
    for key, school in schools.items():
        TeacherFactory(school=school, name=f"{key}校老师")
    return {"one": one, "two": two, "d1": d1, "d2": d2, "d3": d3, **schools}


@pytest.fixture
def city_office(cities):
    return user_with_role(Role.CITY_OFFICE, city=cities["one"], username="city")


def names(user):
    return set(Teacher.objects.visible_to(user).values_list("name", flat=True))


def test_a_city_office_reads_the_schools_of_its_districts_not_another_citys(cities, city_office):
    scope = city_office.scope
    assert scope.city_ids == {cities["one"].pk}
    assert scope.city_district_ids == {cities["d1"].pk, cities["d2"].pk}
    assert names(city_office) == {"a校老师", "b校老师"}
    assert scope.can_view_school(cities["a"].pk) and scope.can_view_school(cities["b"].pk)
    assert not scope.can_view_school(cities["c"].pk)
    assert set(scope.schools()) == {cities["a"], cities["b"]}


def test_a_city_office_changes_nothing_of_its_schools_or_districts(cities, city_office):
    scope = city_office.scope
    assert not Teacher.objects.editable_by(city_office).exists()
    assert not scope.schools(write=True).exists()
    assert not scope.can_manage_school(cities["a"].pk)
    assert not scope.managed_school_ids
    # It is no district office: the district's own objects are not its to write.
    assert not scope.district_ids and not scope.is_district_office
    assert not scope.district_school_ids


def test_a_city_office_reads_its_districts_school_years(cities, city_office):
    for district in ("d1", "d3"):
        SchoolYearFactory(district=cities[district], start_year=2025)
    seen = set(school_year_list(user=city_office).values_list("district__code", flat=True))
    assert seen == {"D1"}
    assert SchoolYear.objects.filter(district=cities["d1"]).exists()


def test_the_whole_scope_is_still_one_query(cities, city_office, django_assert_num_queries):
    city_office = type(city_office).objects.get(pk=city_office.pk)
    with django_assert_num_queries(1):
        city_office.scope  # noqa: B018


def test_a_city_office_and_teacher_elsewhere_holds_each_role_where_it_is(cities):
    """City office of city 1 and a teacher at a school of city 2: reads city 1's schools as an
    office, city 2's school only as its teacher (no roster, no management)."""
    user = user_with_role(Role.CITY_OFFICE, city=cities["one"], username="two-hats")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=cities["c"])
    TeacherFactory(school=cities["c"], user=user, name="双重身份")
    scope = user.scope
    assert scope.city_ids == {cities["one"].pk}
    assert scope.roles_at(cities["c"].pk) == {Role.TEACHER}
    assert not scope.can_view_school(cities["c"].pk)  # a teacher does not read the roster
    assert scope.can_view_school(cities["a"].pk)
    # City 1's teachers as its office, at city 2 only their own profile, not the colleague's.
    assert names(user) == {"a校老师", "b校老师", "双重身份"}
    assert not scope.can_manage_school(cities["a"].pk)
    assert not scope.can_manage_school(cities["c"].pk)


def test_a_city_role_names_its_city_and_nothing_else(cities):
    user = user_with_role(Role.TEACHER, school=cities["a"])
    for bad in (
        {"role": Role.CITY_OFFICE},
        {"role": Role.CITY_OFFICE, "city": cities["one"], "district": cities["d1"]},
        {"role": Role.DISTRICT_OFFICE, "district": cities["d1"], "city": cities["one"]},
        {"role": Role.TEACHER, "school": cities["a"], "city": cities["one"]},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(user=user, **bad)
    RoleAssignment.objects.create(user=user, role=Role.CITY_OFFICE, city=cities["one"])
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.CITY_OFFICE, city=cities["one"])


def test_a_city_office_reads_the_pages_of_its_districts_and_changes_nothing(
    cities, city_office, login
):
    from django.urls import reverse

    SchoolYearFactory(district=cities["d1"], start_year=2025)
    client = login(city_office)
    roster = client.get(reverse("teachers:list"))
    assert roster.status_code == 200
    assert "a校老师" in roster.text and "c校老师" not in roster.text
    years = client.get(reverse("school_years"))
    assert years.status_code == 200 and years.context["can_edit"] is False
    holiday = {"name": "国庆", "start_date": "2025-10-01", "end_date": "2025-10-07"}
    assert client.post(reverse("school_years"), holiday).status_code == 403
    assert client.get(reverse("school_year_new")).status_code == 403
    assert client.get(reverse("assessment:duty_templates")).status_code == 200
    assert client.get(reverse("schools")).status_code == 200
    assert client.get(reverse("backbone:roster")).status_code == 200
    assert client.get(reverse("documents:district")).status_code == 200


def test_a_city_offices_scope_narrowed_to_a_district_sees_no_further(cities, city_office):
    """A file shared with a district (core.job_files) is read through the scope narrowed to
    it: of the city, only that district's schools stay in sight."""
    narrowed = city_office.scope.narrowed_to(
        school_ids=[cities["a"].pk, cities["c"].pk], district_ids=[cities["d1"].pk]
    )
    assert narrowed.city_district_ids == {cities["d1"].pk}
    assert narrowed.can_view_school(cities["a"].pk)
    assert not narrowed.can_view_school(cities["b"].pk)
    assert not narrowed.can_view_school(cities["c"].pk)
