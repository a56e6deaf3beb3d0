"""The batch dossier form answers bad teacher ids with a field error (issue 12, item 9): an id
of another school, one that does not exist, or ``abc`` used to crash its clean() with a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Job, Role
from tests.factories import SchoolFactory, TeacherFactory, user_with_role


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def batch(db):
    school, other = SchoolFactory(), SchoolFactory()
    return {
        "school": school,
        "mine": TeacherFactory(school=school),
        "foreign": TeacherFactory(school=other),
        "principal": user_with_role(Role.PRINCIPAL, school=school, language="en"),
        "principal_zh": user_with_role(Role.PRINCIPAL, school=school, language="zh-hans"),
        "committee": user_with_role(Role.COMMITTEE, school=school),
        "outsider": user_with_role(Role.PRINCIPAL, school=other),
    }


@pytest.mark.parametrize(
    ("teachers", "message"),
    [
        pytest.param(lambda b: [str(b["foreign"].pk)], "Choose one of the entries", id="foreign"),
        pytest.param(lambda b: ["99999999"], "Choose one of the entries", id="missing"),
        pytest.param(lambda b: ["abc"], "Choose one of the entries", id="not-a-number"),
        pytest.param(lambda b: [str(b["mine"].pk), "abc"], "Choose one of the entries", id="mixed"),
    ],
)
def test_a_batch_dossier_with_bad_teacher_ids_gets_a_field_error(batch, teachers, message):
    client = client_for(batch["principal"])
    data = {"school": batch["school"].pk, "format": "zip", "teachers": teachers(batch)}
    response = client.post(reverse("documents:dossier_batch"), data)
    assert response.status_code == 200
    assert "teachers" in response.context["form"].errors
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_the_batch_dossier_error_is_in_the_users_language(batch):
    client = client_for(batch["principal_zh"])
    data = {"school": batch["school"].pk, "format": "zip", "teachers": ["abc"]}
    response = client.post(reverse("documents:dossier_batch"), data)
    assert response.status_code == 200
    assert "请从列表中选择。" in response.content.decode()  # Gugan's words (core/wording.py)


def test_the_batch_dossier_refuses_a_reader_and_another_school(batch):
    """Who may post the form at all: the committee only reads, the outsider is elsewhere."""
    data = {"school": batch["school"].pk, "format": "zip", "teachers": ["abc"]}
    assert (
        client_for(batch["committee"]).post(reverse("documents:dossier_batch"), data).status_code
        == 404
    )
    response = client_for(batch["outsider"]).post(reverse("documents:dossier_batch"), data)
    assert response.status_code == 200 and "school" in response.context["form"].errors
    assert not Job.objects.exists()
