import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import User
from records.hours import hours_for
from training.ledger import register_mark
from training.models import Attendance, Programme

from .conftest import TODAY, YEAR, make_session

pytestmark = pytest.mark.django_db


def test_my_training_shows_todays_sign_in_upcoming_and_credited_hours(
    client, programme, trainee, teacher_user, training_office, count_queries
):
    today = make_session(
        programme, theme="今天的讲座", starts_at=datetime.time(0), ends_at=datetime.time(23, 59)
    )  # open all day, whatever the hour the test runs
    make_session(programme, day=TODAY + datetime.timedelta(days=7), theme="下周的讲座")
    make_session(
        programme, day=TODAY + datetime.timedelta(days=8), theme="未发布", published_at=None
    )
    past = make_session(programme, day=TODAY - datetime.timedelta(days=1), theme="昨天的讲座")
    register_mark(session=past, teacher=trainee, status="present", by=training_office)
    client.force_login(teacher_user)
    page = client.get(reverse("training:mine"))
    text = page.content.decode()
    assert "今天的讲座" in text and "下周的讲座" in text and "昨天的讲座" in text
    assert "未发布" not in text
    assert f"?s={today.code}" in text
    assert page.context["hours"].credited == 3
    few = count_queries(client, reverse("training:mine"))
    for i in range(10):
        s = make_session(programme, day=TODAY - datetime.timedelta(days=2 + i), theme=f"往期{i}")
        register_mark(session=s, teacher=trainee, status="late", by=training_office)
    assert count_queries(client, reverse("training:mine")) == few


def test_my_training_is_the_teachers_own(client, principal):
    client.force_login(principal)
    assert client.get(reverse("training:mine")).status_code == 404


def test_seed_demo_credits_the_demo_teachers_hours_and_adds_a_district_programme():
    call_command("seed_demo", stdout=io.StringIO())
    teacher = User.objects.get(username="teacher").teacher
    hours = hours_for(teacher=teacher, year=YEAR)
    assert hours.credited >= 3 and hours.school_based >= 3
    assert Programme.objects.filter(school__isnull=True).count() == 1
    school_based = Programme.objects.get(school__code="GLXX01", kind="school_based")
    assert school_based.sessions.filter(date__lt=TODAY).exists()
    lines = Attendance.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Attendance.objects.count() == lines
