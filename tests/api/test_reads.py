import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import AssessmentRound
from core.models import Role
from records.models import Status
from tests.api.conftest import build_school
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db

ENDPOINTS = ["schools", "teachers", "designations", "records", "hours", "results"]


def items(client, endpoint, **query):
    response = client.get(f"/api/v1/{endpoint}/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def school_ids(rows, endpoint):
    return {row["id"] if endpoint == "schools" else row["school"] for row in rows}


@pytest.fixture
def world(school, other_school, principal, outsider):
    build_school(school, principal, tag="甲")
    build_school(other_school, outsider, tag="乙")
    return school, other_school


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_principal_sees_only_their_own_school(world, bearer, principal, endpoint):
    school, _other = world
    rows = items(bearer(principal), endpoint)
    assert rows and school_ids(rows, endpoint) == {school.pk}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_district_office_sees_its_districts_schools(world, bearer, district_office, endpoint):
    school, _other = world
    neighbour = SchoolFactory(district=school.district)
    TeacherFactory(school=neighbour)
    rows = items(bearer(district_office), endpoint)
    assert school_ids(rows, endpoint) <= {school.pk, neighbour.pk}
    assert school.pk in school_ids(rows, endpoint)


def test_a_teacher_sees_their_own_profile_and_verified_records_only(world, bearer, teacher_user):
    client = bearer(teacher_user)
    own = teacher_user.teacher
    assert items(client, "schools") == []
    assert [t["id"] for t in items(client, "teachers")] == [own.pk]
    assert items(client, "teachers")[0]["phone"] == own.phone
    assert items(client, "designations") == []
    from tests.factories import TrainingFactory

    mine = TrainingFactory(teacher=own, status=Status.VERIFIED, course="我的培训")
    TrainingFactory(teacher=own, status=Status.SUBMITTED)
    assert [r["id"] for r in items(client, "records")] == [mine.pk]
    assert [r["id"] for r in items(client, "hours")] == [mine.pk]
    # The results of their school while the notice runs, as the results page shows them.
    results = items(client, "results")
    assert results and {r["school"] for r in results} == {own.school_id}
    assert "score" not in results[0]


def test_results_reach_the_teacher_only_while_the_notice_runs(
    world, bearer, teacher_user, principal
):
    school, _other = world
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AssessmentRound.objects.filter(school=school).update(notice_until=yesterday)
    assert items(bearer(teacher_user), "results") == []
    assert items(bearer(principal), "results")  # staff read them after the notice too


def test_results_of_a_round_not_yet_posted_are_not_listed(world, bearer, principal):
    AssessmentRound.objects.update(status=AssessmentRound.Status.FINALISED)
    assert items(bearer(principal), "results") == []


def test_records_and_hours_list_verified_ones_only(world, bearer, principal):
    client = bearer(principal)
    titles = [r["title"] for r in items(client, "records", kind="training")]
    assert any("已审核" in t for t in titles)
    assert not any("待审核" in t or "草稿" in t for t in titles)
    hours = items(client, "hours")
    assert all("待审核" not in h["course"] and "草稿" not in h["course"] for h in hours)
    assert {h["credited_from"] for h in hours} == {"", "register"}
    assert {h["credited_from"] for h in items(client, "hours", credited_from="register")} == {
        "register"
    }


def test_a_user_with_roles_in_two_schools_sees_each_as_their_role_there(world, bearer):
    school, other = world
    user = user_with_role(Role.PRINCIPAL, school=school, username="two-hats")
    user.role_assignments.create(role=Role.TEACHER, school=other)
    profile = TeacherFactory(school=other, user=user, name="兼任老师")
    client = bearer(user)
    teachers = items(client, "teachers", page_size=500)
    seen_at_other = {t["id"] for t in teachers if t["school"] == other.pk}
    assert seen_at_other == {profile.pk}  # at the other school, only themself
    assert {t["school"] for t in teachers} == {school.pk, other.pk}
    assert school_ids(items(client, "schools"), "schools") == {school.pk}
    # The other school's results: during the notice, as everyone with a role there.
    assert {r["school"] for r in items(client, "results")} == {school.pk, other.pk}


def test_filters_narrow_the_list(world, bearer, district_office):
    school, _other = world
    client = bearer(district_office)
    assert items(client, "teachers", school=school.pk)
    assert items(client, "teachers", school=999999) == []
    assert items(client, "records", year=2024) == []
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert items(client, "teachers", updated_since=future) == []
    assert items(client, "designations", year=2026)
    response = client.get("/api/v1/teachers/", {"school": "abc"})
    assert response.status_code == 400 and "school" in response.json()


def test_pages_have_a_stable_order_and_a_next_link(world, bearer, principal):
    client = bearer(principal)
    first = client.get("/api/v1/records/", {"page_size": 2}).json()
    assert first["count"] > 2 and first["next"] and len(first["results"]) == 2
    again = client.get("/api/v1/records/", {"page_size": 2}).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    ids = [r["id"] for r in first["results"]]
    assert ids == sorted(ids)


def captured(client, url):
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return ctx.captured_queries


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_queries_stay_constant_as_rows_grow(school, principal, bearer, endpoint):
    client = bearer(principal)
    url = f"/api/v1/{endpoint}/?page_size=500"
    build_school(school, principal, teachers=2, tag="少")
    few = queries(client, url)
    build_school(school, principal, teachers=12, tag="多")
    many = queries(client, url)
    assert few == many
    assert many <= 4, "\n".join(q["sql"][:90] for q in captured(client, url))


def test_contact_details_follow_the_profile_pages_rule(
    school, other_school, principal, teacher_user
):
    from api.serializers import may_see_contact

    mine, theirs = TeacherFactory(school=school), TeacherFactory(school=other_school)
    assert may_see_contact(principal, mine) and not may_see_contact(principal, theirs)
    assert may_see_contact(teacher_user, teacher_user.teacher)
    assert not may_see_contact(teacher_user, mine)  # a colleague's phone is not theirs to read
