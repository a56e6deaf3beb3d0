"""QR sign-in with a frozen clock: the code rotates, works only in the session's window, needs
the teacher's own login, and a teacher reopening the page can still sign in."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from records.hours import hours_for
from training import signin
from training.models import Attendance

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
START = datetime.datetime.combine(TODAY, datetime.time(14, 0), tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = START + datetime.timedelta(minutes=2)

        def move(self, **kwargs):
            self.now += datetime.timedelta(**kwargs)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def link_params(session, now):
    return {"s": session.code, "t": signin.token_for(session, signin.step_at(now))}


def test_the_code_rotates_and_the_previous_one_still_works(session, clock):
    token = signin.token_for(session, signin.step_at(clock.now))
    short = signin.short_code_for(session, signin.step_at(clock.now))
    assert signin.token_is_valid(session, token, clock.now)
    clock.move(seconds=25)
    assert signin.token_for(session, signin.step_at(clock.now)) != token
    assert signin.short_code_for(session, signin.step_at(clock.now)) != short
    assert signin.token_is_valid(session, token, clock.now)  # the previous step
    assert signin.session_for_short_code(short.lower(), clock.now) == session
    clock.move(seconds=25)
    assert not signin.token_is_valid(session, token, clock.now)  # a photo sent home
    assert signin.session_for_short_code(short, clock.now) is None


def test_codes_work_only_in_the_sessions_window(session, clock):
    clock.now = START - datetime.timedelta(minutes=16)
    token = signin.token_for(session, signin.step_at(clock.now))
    assert not signin.token_is_valid(session, token, clock.now)
    clock.now = START - datetime.timedelta(minutes=14)
    assert signin.token_is_valid(
        session, signin.token_for(session, signin.step_at(clock.now)), clock.now
    )
    clock.now = datetime.datetime.combine(TODAY, datetime.time(16, 31), tzinfo=TZ)
    token = signin.token_for(session, signin.step_at(clock.now))
    assert not signin.token_is_valid(session, token, clock.now)


def test_a_scan_signs_the_teacher_in_once_and_credits_the_hours(
    client, session, trainee, teacher_user, clock
):
    client.force_login(teacher_user)
    url = reverse("training:signin")
    page = client.get(url, link_params(session, clock.now))
    assert page.context["can_sign_in"]
    client.post(url, {"s": session.code})
    client.post(url, {"s": session.code})  # a second tap, another tab
    line = Attendance.objects.get()
    assert (line.status, line.method) == ("present", "qr")
    assert hours_for(teacher=trainee, year=YEAR).total == 3


def test_a_teacher_who_logs_in_after_scanning_can_still_sign_in(
    client, session, trainee, teacher_user, clock
):
    params = link_params(session, clock.now)
    response = client.get(reverse("training:signin"), params)
    assert response.status_code == 302 and "login" in response["Location"]
    assert params["t"] not in response["Location"]
    clock.move(minutes=3)  # the code on the screen changed meanwhile
    client.force_login(teacher_user)
    client.post(reverse("training:signin"), {"s": session.code})
    assert Attendance.objects.filter(teacher=trainee, status="present").exists()


def test_reopening_the_page_later_in_the_window_still_signs_in_and_then_says_signed_in(
    client, session, trainee, teacher_user, clock
):
    client.force_login(teacher_user)
    client.get(reverse("training:signin"), link_params(session, clock.now))
    clock.move(minutes=20)  # after the late threshold
    page = client.get(reverse("training:signin"), {"s": session.code})
    assert page.context["can_sign_in"]
    client.post(reverse("training:signin"), {"s": session.code})
    assert Attendance.objects.get().status == "late"
    page = client.get(reverse("training:signin"), {"s": session.code})
    assert page.context["line"] is not None and not page.context["can_sign_in"]


def test_an_old_link_without_a_pass_and_a_wrong_code_sign_in_nobody(
    client, session, trainee, teacher_user, clock
):
    old = link_params(session, clock.now)
    clock.move(minutes=2)
    client.force_login(teacher_user)
    page = client.get(reverse("training:signin"), old)
    assert not page.context["can_sign_in"]
    assert client.post(reverse("training:signin"), {"s": session.code}).status_code == 400
    assert client.post(reverse("training:signin"), {"short_code": "ABCDEF"}).status_code == 400
    assert not Attendance.objects.exists()


def test_the_short_code_signs_in_a_phone_that_cannot_scan(
    client, session, trainee, teacher_user, clock
):
    client.force_login(teacher_user)
    code = signin.short_code_for(session, signin.step_at(clock.now))
    client.post(reverse("training:signin"), {"short_code": code})
    assert Attendance.objects.get(teacher=trainee).method == "qr"


def test_a_teacher_not_enrolled_is_told_so(client, session, teacher_user, clock):
    client.force_login(teacher_user)
    code = signin.short_code_for(session, signin.step_at(clock.now))
    response = client.post(reverse("training:signin"), {"short_code": code})
    assert response.status_code == 400 and not Attendance.objects.exists()


def test_signing_in_keeps_what_the_organiser_marked(
    client, session, trainee, teacher_user, training_office, clock
):
    from training.ledger import register_mark

    register_mark(session=session, teacher=trainee, status="left_early", by=training_office)
    client.force_login(teacher_user)
    client.post(
        reverse("training:signin"),
        {"short_code": signin.short_code_for(session, signin.step_at(clock.now))},
    )
    assert Attendance.objects.get().status == "left_early"


def test_the_projector_shows_the_short_code_to_the_organiser_only(
    client, session, training_office, committee_member, clock
):
    client.force_login(committee_member)
    assert client.get(reverse("training:projector", args=[session.pk])).status_code == 403
    client.force_login(training_office)
    page = client.get(reverse("training:projector", args=[session.pk]))
    assert signin.short_code_for(session, signin.step_at(clock.now)) in page.content.decode()
    fragment = client.get(reverse("training:projector", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"projector-code" in fragment.content
    clock.move(hours=3)
    page = client.get(reverse("training:projector", args=[session.pk]))
    assert signin.short_code_for(session, signin.step_at(clock.now)) not in page.content.decode()


def test_the_projector_draws_a_qr_code_that_changes_with_the_code(
    client, session, training_office, clock
):
    """The QR code is drawn on the server as SVG; the image a photo would catch is not the one
    shown half a minute later, and outside the window there is none."""

    def qr():
        html = client.get(reverse("training:projector", args=[session.pk])).content.decode()
        start = html.find("<svg")
        return html[start : html.find("</svg>", start)] if start >= 0 else None

    client.force_login(training_office)
    first = qr()
    assert first and "<path" in first
    clock.move(seconds=settings.TRAINING_QR_STEP_SECONDS)
    second = qr()
    assert second and second != first
    clock.move(hours=3)
    assert qr() is None
