"""Every free-text field has a maximum length, in the model and in the form: a 100 KB text
once held a web worker for 64 s while it laid out a one-page contract."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.fields import SHORT_TEXT, LimitedTextField
from mentoring.models import Pairing
from mentoring.services import PairingTerms
from tests.factories import TeacherFactory, user_with_role

# Text the application writes itself, never typed into a form.
WRITTEN_BY_GUGAN = {
    ("core", "Job", "error"),
    ("records", "AuditEntry", "note"),
    ("backbone", "Designation", "flag_reason"),
    ("assessment", "AssessmentEntry", "explanation"),
    ("core", "IdempotencyKey", "body"),  # the answer kept for a retried phone submission
}


def test_every_text_field_of_every_model_has_a_maximum():
    unlimited = [
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        if model.__module__.split(".")[0] in {"core", "teachers", "records", "backbone",
                                               "mentoring", "assessment", "documents"}
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not isinstance(field, LimitedTextField)
    ]  # fmt: skip
    assert set(unlimited) <= WRITTEN_BY_GUGAN, set(unlimited) - WRITTEN_BY_GUGAN


def test_the_model_refuses_a_text_past_its_maximum(school):
    pairing = Pairing(
        school=school,
        mentor=TeacherFactory(school=school),
        apprentice=TeacherFactory(school=school),
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 7, 10),
        goals="好" * (SHORT_TEXT + 1),
        mentor_duties="听课",
        apprentice_duties="听课",
    )
    with pytest.raises(ValidationError) as caught:
        pairing.full_clean(exclude=["origin", "requested_by"])
    assert list(caught.value.message_dict) == ["goals"]


def test_100_kb_of_goals_in_a_mentoring_request_gets_a_field_error_in_chinese(login, school):
    mentor = TeacherFactory(school=school, name="王建国")
    user = user_with_role("teacher", school=school, username="apprentice")
    TeacherFactory(school=school, user=user, name="李小梅")
    client = login(user)
    form = client.get(reverse("mentoring:new")).context["form"]
    data = {name: form[name].value() for name in PairingTerms.__annotations__}
    data.update(role="request", colleague=mentor.pk, goals="认真备课，虚心请教。" * 10_000)

    response = client.post(reverse("mentoring:new"), data)

    assert response.status_code == 200
    assert not Pairing.objects.exists()
    [error] = response.context["form"].errors["goals"]
    assert "2000" in error and "字符" in error
    assert 'maxlength="2000"' in response.content.decode()
