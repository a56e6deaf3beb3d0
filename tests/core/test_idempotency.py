"""The offline outbox's exactly-once posts (core.idempotency), the service worker, the manifest
and logging out on a shared phone."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.idempotency import keys_cleanup
from core.models import IdempotencyKey
from records.models import Observation
from tests.factories import TeacherFactory
from tests.records.test_observations import rows

URL = reverse("records:observations_quick")


def outbox_post(client, data, key, **extra):
    return client.post(URL, data, HTTP_IDEMPOTENCY_KEY=str(key), HTTP_X_GUGAN_OUTBOX="1", **extra)


@pytest.fixture
def colleague(school):
    return TeacherFactory(school=school, name="同事")


def test_a_retried_post_creates_the_observation_once(login, teacher_user, colleague):
    client = login(teacher_user)
    key = uuid.uuid4()
    data = rows({"observed_teacher": colleague.pk})

    first = outbox_post(client, data, key)
    second = outbox_post(client, data, key)

    assert first.status_code == second.status_code == 200
    assert first.json()["ok"] is True and first.json()["location"] == reverse("records:growth")
    assert second.json() == first.json()
    assert Observation.objects.count() == 1
    assert IdempotencyKey.objects.get().endpoint == "observations_quick"


def test_each_key_is_its_own_submission(login, teacher_user, colleague):
    client = login(teacher_user)
    data = rows({"observed_teacher": colleague.pk})

    outbox_post(client, data, uuid.uuid4())
    outbox_post(client, data, uuid.uuid4())

    assert Observation.objects.count() == 2


def test_a_refused_item_gets_the_field_errors_in_the_users_language(login, teacher_user, colleague):
    teacher_user.language = "en"
    teacher_user.save()
    client = login(teacher_user)
    key = uuid.uuid4()

    refused = outbox_post(client, rows({"observed_name": "赵老师"}), key)

    assert refused.status_code == 422
    body = refused.json()
    assert body["ok"] is False
    assert "Give the school of a teacher from outside Gugan." in str(body["errors"])
    assert not Observation.objects.exists()
    # Nothing is kept of a refusal: the fixed form may go with the same key.
    fixed_row = {"observed_name": "赵老师", "observed_school": "河东小学"}
    fixed = outbox_post(client, rows(fixed_row), key)
    assert fixed.json()["ok"] is True
    assert Observation.objects.count() == 1


def test_chinese_errors_for_a_chinese_teacher(login, teacher_user):
    teacher_user.language = "zh-hans"
    teacher_user.save()

    body = outbox_post(login(teacher_user), rows({"observed_name": "赵老师"}), uuid.uuid4()).json()

    assert body["ok"] is False
    assert "请填写系统外教师所在的学校。" in str(body["errors"])


def test_the_same_key_of_another_user_is_not_a_replay(login, teacher_user, school, colleague):
    from core.models import Role
    from tests.factories import user_with_role

    other = user_with_role(Role.TEACHER, school=school, username="teacher2")
    TeacherFactory(school=school, user=other, name="王老师")
    key = uuid.uuid4()
    data = rows({"observed_teacher": colleague.pk})

    outbox_post(login(teacher_user), data, key)
    outbox_post(Client(), data, key)  # not logged in: sent to the login page, nothing saved
    c2 = Client()
    c2.force_login(other)
    outbox_post(c2, data, key)

    assert Observation.objects.count() == 2


def test_a_bad_key_is_refused(login, teacher_user, colleague):
    response = outbox_post(login(teacher_user), rows({"observed_teacher": colleague.pk}), "nope")

    assert response.status_code == 400
    assert not Observation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_sending_at_once_create_one_record(teacher_user, colleague):
    """Two requests with one key at the same moment, on PostgreSQL: the second waits on the key's
    unique index and then replays the first one's answer."""
    key = uuid.uuid4()
    data = rows({"observed_teacher": colleague.pk})
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        client = Client()
        client.force_login(teacher_user)
        barrier.wait()
        try:
            statuses.append(outbox_post(client, data, key).json()["ok"])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert statuses == [True, True]
    assert Observation.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_old_keys_are_removed_by_the_daily_cleanup(login, teacher_user, colleague):
    outbox_post(login(teacher_user), rows({"observed_teacher": colleague.pk}), uuid.uuid4())
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    outbox_post(login(teacher_user), rows({"observed_teacher": colleague.pk}), uuid.uuid4())

    assert keys_cleanup() == 1
    assert IdempotencyKey.objects.count() == 1


def test_the_service_worker_is_served_at_the_root(client, teacher_user):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert reverse("records:observations_quick") in body
    assert "skipWaiting" in body and "clients.claim" in body


def test_the_manifest_names_the_app_in_the_users_language(client):
    zh = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").json()

    assert zh["short_name"] == "骨干" and en["short_name"] == "Gugan"
    assert {i["sizes"] for i in en["icons"]} >= {"192x192", "512x512"}
    assert en["start_url"] == "/"


def test_logging_out_clears_the_phones_caches_and_outbox(login, teacher_user):
    response = login(teacher_user).post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"cache", "storage"'
