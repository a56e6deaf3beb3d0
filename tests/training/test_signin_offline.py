"""A sign-in scanned while offline and sent later by the outbox: accepted once if the code's
token was valid at the scan time, for the logged-in teacher, during the session's window."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import IdempotencyKey
from training import signin
from training.models import Attendance

from .conftest import TODAY

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
START = datetime.datetime.combine(TODAY, datetime.time(14, 0), tzinfo=TZ)
URL = reverse("training:signin_offline")


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = START + datetime.timedelta(minutes=40)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def scan(session, at, *, token_at=None):
    token = signin.token_for(session, signin.step_at(token_at or at))
    return {"s": session.code, "t": token, "scanned_at": at.isoformat()}


def outbox_post(client, data, key=None):
    return client.post(
        URL,
        data,
        HTTP_IDEMPOTENCY_KEY=str(key or uuid.uuid4()),
        HTTP_X_GUGAN_OUTBOX="1",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def teacher_client(client, teacher_user, trainee, clock):
    # Logged in at the test's clock: at night (UTC+8 after midnight) the session's afternoon
    # is hours ahead of the real time, past a session cookie made before the clock was set.
    teacher_user.language = "en"
    teacher_user.save()
    client.force_login(teacher_user)
    return client


def test_a_scan_kept_offline_signs_in_at_the_scan_time_once(teacher_client, session, clock):
    scanned = START - datetime.timedelta(minutes=5)
    key = uuid.uuid4()

    first = outbox_post(teacher_client, scan(session, scanned), key)
    again = outbox_post(teacher_client, scan(session, scanned), key)

    assert first.status_code == again.status_code == 200
    assert first.json()["ok"] is True and again.json() == first.json()
    assert "when you scanned the code" in first.json()["message"]
    line = Attendance.objects.get()
    assert line.signed_in_at == scanned
    assert line.status == Attendance.Status.PRESENT  # on time when scanned, though sent later
    assert line.method == Attendance.Method.QR
    assert IdempotencyKey.objects.get().endpoint == "training_signin_offline"


def test_a_second_scan_of_the_same_session_changes_nothing(teacher_client, session, clock):
    outbox_post(teacher_client, scan(session, START - datetime.timedelta(minutes=5)))
    later = outbox_post(teacher_client, scan(session, START + datetime.timedelta(minutes=30)))

    assert later.json()["ok"] is True
    assert "already signed in" in later.json()["message"]
    line = Attendance.objects.get()
    assert line.signed_in_at == START - datetime.timedelta(minutes=5)


def test_a_late_scan_is_late(teacher_client, session, clock):
    outbox_post(teacher_client, scan(session, START + datetime.timedelta(minutes=20)))

    assert Attendance.objects.get().status == Attendance.Status.LATE


@pytest.mark.parametrize(
    ("scanned", "token_at", "message"),
    [
        # a code photographed at 14:05 and "scanned" ten minutes later
        (
            datetime.timedelta(minutes=15),
            datetime.timedelta(minutes=5),
            "The code had expired when it was scanned.",
        ),
        # a scan time set before the code existed
        (
            datetime.timedelta(minutes=4),
            datetime.timedelta(minutes=5),
            "The code had expired when it was scanned.",
        ),
        # a scan time later than the request
        (
            datetime.timedelta(minutes=41),
            datetime.timedelta(minutes=41),
            "The scan time is later than now",
        ),
        # before the sign-in opens
        (
            datetime.timedelta(minutes=-16),
            datetime.timedelta(minutes=-16),
            "outside the sign-in time of this session",
        ),
    ],
)
def test_a_scan_whose_code_was_not_valid_then_is_refused(
    teacher_client, session, clock, scanned, token_at, message
):
    refused = outbox_post(teacher_client, scan(session, START + scanned, token_at=START + token_at))

    assert refused.status_code == 422
    assert message in refused.json()["message"]
    assert not Attendance.objects.exists()
    assert not IdempotencyKey.objects.exists()  # a refusal keeps nothing


def test_a_scan_sent_after_the_session_ended_still_counts(teacher_client, session, clock):
    clock.now = START + datetime.timedelta(hours=5)  # the phone found a network that evening
    sent = outbox_post(teacher_client, scan(session, START + datetime.timedelta(minutes=1)))

    assert sent.json()["ok"] is True, sent.json()
    assert Attendance.objects.get().signed_in_at == START + datetime.timedelta(minutes=1)


def test_a_forged_token_or_time_is_refused(teacher_client, session, clock):
    data = scan(session, START)
    assert outbox_post(teacher_client, {**data, "t": "0" * 20}).status_code == 422
    no_time = outbox_post(teacher_client, {**data, "scanned_at": "yesterday"})
    assert no_time.json()["message"] == "The scan carries no valid time."
    naive = outbox_post(teacher_client, {**data, "scanned_at": "2026-01-01T14:00:00"})
    assert naive.status_code == 422
    assert not Attendance.objects.exists()


def test_a_teacher_not_enrolled_is_refused(client, session, clock, school):
    from core.models import Role
    from tests.factories import TeacherFactory, user_with_role

    user = user_with_role(Role.TEACHER, school=school, username="other", language="en")
    TeacherFactory(school=school, user=user)
    client.force_login(user)

    refused = outbox_post(client, scan(session, START))

    assert refused.json()["message"] == "You are not enrolled in this programme."
    assert not Attendance.objects.exists()


def test_without_the_outbox_the_page_shows_the_answer(teacher_client, session, clock):
    response = teacher_client.post(URL, scan(session, START), follow=True)

    assert response.redirect_chain[-1][0] == reverse("training:signin") + f"?s={session.code}"
    assert "when you scanned the code" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_a_phone_clock_a_little_ahead_counts_as_the_requests_time(teacher_client, session, clock):
    ahead = clock.now + datetime.timedelta(seconds=10)

    sent = outbox_post(teacher_client, scan(session, ahead, token_at=clock.now))

    assert sent.json()["ok"] is True, sent.json()
    assert Attendance.objects.get().signed_in_at == clock.now
