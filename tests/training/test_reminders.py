"""The reminder the day before a session: by email to enrolled teachers with an address, on
their home page, once per teacher and session whatever the number of runs."""

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import TeacherFactory
from training.models import Enrolment, SessionReminder
from training.reminders import reminders_send
from training.tasks import send_session_reminders

from .conftest import make_session

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def tomorrow(programme):
    return make_session(programme, TOMORROW, theme="整本书阅读教学", place="三楼报告厅")


@pytest.fixture
def people(school, programme):
    with_mail = TeacherFactory(school=school, name="张三", email="zhang@example.org")
    without = TeacherFactory(school=school, name="李四", email="")
    withdrawn = TeacherFactory(school=school, name="王五", email="wang@example.org")
    TeacherFactory(school=school, name="赵六", email="zhao@example.org")  # not enrolled
    for t, status in ((with_mail, "enrolled"), (without, "enrolled"), (withdrawn, "withdrawn")):
        Enrolment.objects.create(programme=programme, teacher=t, origin="named", status=status)
    return with_mail, without


def test_enrolled_teachers_are_reminded_once_the_day_before(tomorrow, people, programme):
    with_mail, without = people
    make_session(programme, TOMORROW, theme="草稿场次", published_at=None)  # not announced
    make_session(programme, TOMORROW + datetime.timedelta(days=1), theme="后天的场次")
    assert reminders_send(today=TODAY) == (2, 1)
    assert [m.to for m in mail.outbox] == [["zhang@example.org"]]
    message = mail.outbox[0]
    assert "整本书阅读教学" in message.subject
    assert "三楼报告厅" in message.body and "14:00" in message.body
    assert set(SessionReminder.objects.values_list("teacher_id", flat=True)) == {
        with_mail.pk, without.pk,
    }  # fmt: skip
    # A second run, the beat task or the command the same day: nothing again.
    assert reminders_send(today=TODAY) == (0, 0)
    assert send_session_reminders() == 0
    assert len(mail.outbox) == 1 and SessionReminder.objects.count() == 2


def test_a_teacher_enrolled_later_is_reminded_at_the_next_run(school, tomorrow, people, programme):
    reminders_send(today=TODAY)
    late = TeacherFactory(school=school, name="孙七", email="sun@example.org")
    Enrolment.objects.create(programme=programme, teacher=late, origin="named")
    assert reminders_send(today=TODAY) == (1, 1)
    assert mail.outbox[-1].to == ["sun@example.org"]


def test_the_command_takes_the_day_of_the_run(tomorrow, people):
    out = io.StringIO()
    call_command("training_reminders", "--date", (TODAY - datetime.timedelta(days=1)).isoformat(),
                 stdout=out)  # fmt: skip
    assert out.getvalue().strip() == "0 reminders, 0 emails"  # the day after is today
    out = io.StringIO()
    call_command("training_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "2 reminders, 1 emails"
    out = io.StringIO()
    call_command("training_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().strip() == "0 reminders, 0 emails"
    with pytest.raises(CommandError):
        call_command("training_reminders", "--date", "2025-13-01")


def test_an_english_teacher_reads_the_reminder_in_english(school, tomorrow, programme):
    teacher = TeacherFactory(school=school, email="en@example.org")
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    school.language = "en"
    school.save()
    reminders_send(today=TODAY)
    assert mail.outbox[0].subject.startswith("Training tomorrow")
    assert "takes place tomorrow" in mail.outbox[0].body


def test_the_reminder_is_on_the_teachers_home_until_the_session_is_over(
    client, teacher_user, trainee, tomorrow
):
    reminders_send(today=TODAY)
    client.force_login(teacher_user)
    page = client.get(reverse("home")).content.decode()
    assert "整本书阅读教学" in page and "三楼报告厅" in page
    tomorrow.date = TODAY - datetime.timedelta(days=1)  # the session over: gone from home
    tomorrow.save()
    assert "整本书阅读教学" not in client.get(reverse("home")).content.decode()


def test_the_beat_schedule_runs_the_reminders_daily():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()
               if e["task"] == "training.send_session_reminders"]  # fmt: skip
    assert len(entries) == 1
    from config.celery import app

    assert "training.send_session_reminders" in app.tasks


def test_the_home_page_costs_the_same_queries_with_more_reminders(
    client, teacher_user, trainee, programme, count_queries
):
    make_session(programme, TOMORROW, theme="第一场")
    reminders_send(today=TODAY)
    client.force_login(teacher_user)
    few = count_queries(client, reverse("home"))
    for i in range(8):
        make_session(programme, TOMORROW, theme=f"加场{i}")
    reminders_send(today=TODAY)
    assert SessionReminder.objects.filter(teacher=trainee).count() == 9
    assert count_queries(client, reverse("home")) == few
