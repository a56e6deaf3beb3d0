import datetime
import json

import pytest
from django.utils import timezone

from api.models import ApiToken
from core.models import Role
from records.hours import hours_for
from records.models import AuditEntry, Training
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db

HOURS = ApiToken.Scope.HOURS


def entry(teacher, external_id="JXJY-1", **extra):
    return {
        "external_id": external_id,
        "school": teacher.school.code,
        "staff_no": teacher.staff_no,
        "name": teacher.name,
        "course": "新课标背景下的大单元教学",
        "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "hours": "6",
        "school_based": False,
        "organiser_level": "district",
        **extra,
    }


def push(client, *entries):
    return client.post(
        "/api/v1/hours/",
        json.dumps({"entries": list(entries)}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


@pytest.fixture
def teacher(school, teacher_user):
    return teacher_user.teacher


def test_pushed_hours_land_once_in_the_teachers_ledger(bearer, principal, teacher):
    client = bearer(principal, HOURS)
    first = push(client, entry(teacher))
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 1
    record = Training.objects.get(teacher=teacher)
    assert record.source == "bureau:JXJY-1" and record.status == "verified"
    year = record.year
    assert hours_for(teacher=teacher, year=year).total == 6
    assert hours_for(teacher=teacher, year=year).credited == 6
    # A retry changes nothing: no new record, no new trail entry.
    trail = AuditEntry.objects.count()
    again = push(client, entry(teacher))
    assert again.json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "entries": [{"external_id": "JXJY-1", "id": record.pk, "action": "unchanged"}],
    }
    assert Training.objects.filter(teacher=teacher).count() == 1
    assert AuditEntry.objects.count() == trail
    assert hours_for(teacher=teacher, year=year).total == 6


def test_the_pushed_hours_show_on_my_growth_once(bearer, principal, teacher, login, teacher_user):
    client = bearer(principal, HOURS)
    push(client, entry(teacher, course="区级骨干研修班"))
    push(client, entry(teacher, course="区级骨干研修班"))
    page = login(teacher_user).get("/records/growth/")
    assert page.content.decode().count("区级骨干研修班") == 1


def test_a_corrected_entry_updates_its_record(bearer, principal, teacher):
    client = bearer(principal, HOURS)
    push(client, entry(teacher))
    response = push(client, entry(teacher, hours="4.5"))
    assert response.json()["updated"] == 1
    assert Training.objects.get(teacher=teacher).hours == 4.5


def test_one_bad_entry_writes_nothing_of_its_batch(bearer, principal, teacher, school):
    other = TeacherFactory(school=school)
    client = bearer(principal, HOURS)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = push(
        client,
        entry(teacher, "A-1"),
        entry(other, "A-2", hours="-1"),
        entry(other, "A-3", date=future),
        entry(other, "A-4", staff_no="NOPE"),
        entry(other, "A-1"),
        entry(other, "A-5", name="别人"),
    )
    assert response.status_code == 400
    errors = response.json()["entries"]
    assert errors[0] == {}
    assert list(errors[1]) == ["hours"]
    assert "after today" in errors[2]["date"][0]
    assert list(errors[3]) == ["staff_no"]
    assert "entry 1" in errors[4]["external_id"][0]
    assert list(errors[5]) == ["name"]
    assert not Training.objects.exists()


def test_an_external_id_sent_for_another_teacher_is_refused(bearer, principal, teacher, school):
    client = bearer(principal, HOURS)
    push(client, entry(teacher, "X-9"))
    response = push(client, entry(TeacherFactory(school=school), "X-9"))
    assert response.status_code == 400
    assert list(response.json()["entries"][0]) == ["external_id"]


def test_a_school_outside_the_pushers_reach_is_refused(bearer, principal, other_school):
    stranger = TeacherFactory(school=other_school)
    response = push(bearer(principal, HOURS), entry(stranger))
    assert response.status_code == 400
    assert list(response.json()["entries"][0]) == ["school"]
    assert not Training.objects.exists()


def test_the_district_office_pushes_for_its_districts_schools(bearer, district_office, school):
    neighbour = TeacherFactory(school=SchoolFactory(district=school.district))
    response = push(bearer(district_office, HOURS), entry(neighbour))
    assert response.status_code == 200
    assert Training.objects.get().teacher == neighbour


def test_a_read_token_or_a_committee_member_may_not_push(
    bearer, principal, committee_member, teacher
):
    assert push(bearer(principal), entry(teacher)).status_code == 403
    # A committee member cannot even hold a token of scope hours; if one were made for them
    # before they lost a manager's role, it still may not push.
    token = ApiToken.objects.create(
        user=committee_member, scope=HOURS, prefix="x", key_hash="0" * 64
    )
    assert token.allows(HOURS)
    from django.test import Client

    from api.models import token_hash

    ApiToken.objects.filter(pk=token.pk).update(key_hash=token_hash("committee-secret"))
    client = Client(headers={"Authorization": "Bearer committee-secret"})
    assert push(client, entry(teacher)).status_code == 403
    assert not Training.objects.exists()


def test_a_batch_without_entries_or_too_large_is_refused(bearer, principal, teacher, settings):
    client = bearer(principal, HOURS)
    assert push(client).status_code == 400
    settings.API_PUSH_MAX_ENTRIES = 2
    response = push(client, *(entry(teacher, f"E-{i}") for i in range(3)))
    assert response.status_code == 413
    assert not Training.objects.exists()


def test_the_pushed_hours_are_listed_as_from_the_bureau(bearer, principal, teacher):
    client = bearer(principal, HOURS)
    push(client, entry(teacher, "JXJY-77"))
    rows = client.get("/api/v1/hours/", {"credited_from": "bureau"}).json()["results"]
    assert [(r["external_id"], r["credited_from"]) for r in rows] == [("JXJY-77", "bureau")]


def test_the_push_answers_in_a_number_of_queries_proportional_to_writes(
    bearer, principal, school, django_assert_max_num_queries
):
    teachers = [TeacherFactory(school=school) for _ in range(10)]
    client = bearer(principal, HOURS)
    push(client, *(entry(t, f"Q-{i}") for i, t in enumerate(teachers)))
    # The retry writes nothing and reads in a fixed number of queries.
    with django_assert_max_num_queries(8):
        response = push(client, *(entry(t, f"Q-{i}") for i, t in enumerate(teachers)))
    assert response.json()["unchanged"] == 10


def test_a_principal_of_two_schools_pushes_for_both(bearer, school):
    second = SchoolFactory()
    user = user_with_role(Role.PRINCIPAL, school=school, username="both")
    user.role_assignments.create(role=Role.TRAINING_OFFICE, school=second)
    a, b = TeacherFactory(school=school), TeacherFactory(school=second)
    response = push(bearer(user, HOURS), entry(a, "P-1"), entry(b, "P-2"))
    assert response.status_code == 200 and response.json()["created"] == 2
