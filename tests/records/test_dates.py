"""Dates that make sense: a record's date is checked against today and the school year; a
class that has not happened yet is planned (a draft), not submittable nor verifiable."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from records.models import OpenClass, Record, Status
from records.services.workflow import record_submit, record_verify
from tests.factories import OpenClassFactory, TrainingFactory

NEW_CLASS = reverse("records:new", args=["open_class"])


def class_data(starts_at: str) -> dict:
    return {
        "class_kind": "demonstration", "level": "1", "starts_at": starts_at,
        "place": "三楼录播教室", "subject": "语文", "grade_class": "四年级（2）班",
        "topic": "《落花生》",
    }  # fmt: skip


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def author(teacher_user, client, login):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(teacher_user)


def test_an_open_class_in_2036_is_refused_and_makes_no_school_year(author):
    response = author.post(NEW_CLASS, {**class_data("2036-05-12T09:00"), "save_submit": "1"})
    assert response.status_code == 200
    assert "is too far ahead" in response.context["form"].errors["starts_at"][0]
    assert not Record.objects.exists()
    growth = author.get(reverse("records:growth")).content.decode()
    assert "2035–2036" not in growth and "2036–2037" not in growth


def test_a_future_class_is_put_on_the_calendar_as_planned_not_submitted(
    author, training_office, login
):
    day = in_days(7)
    response = author.post(
        NEW_CLASS, {**class_data(f"{day.isoformat()}T09:00"), "save_submit": "1"}, follow=True
    )
    record = OpenClass.objects.get()
    assert record.status == Status.PLANNED and record.submitted_at is None
    page = response.content.decode()
    assert "put on the open-class calendar as planned" in page
    assert reverse("records:submit", args=[record.pk]) not in page  # not until it is held
    assert not record.audit_entries.filter(action="submitted").exists()
    assert record.audit_entries.filter(action="planned").exists()
    queue = login(training_office).get(reverse("records:queue")).content.decode()
    assert reverse("records:detail", args=[record.pk]) not in queue
    with pytest.raises(ValidationError):
        record_verify(record=record, by=training_office)


def test_a_planned_class_is_submitted_once_it_has_taken_place(teacher_user):
    record = OpenClassFactory(teacher=teacher_user.teacher, date=in_days(3))
    record_submit(record=record, by=teacher_user)
    assert record.status == Status.PLANNED
    Record.objects.filter(pk=record.pk).update(date=in_days(-1))
    record = OpenClass.objects.get(pk=record.pk)
    record_submit(record=record, by=teacher_user)
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.submitted_at


def test_other_records_dated_after_today_stay_drafts(teacher_user):
    record = TrainingFactory(teacher=teacher_user.teacher, date=in_days(3))
    with pytest.raises(ValidationError, match="after today"):
        record_submit(record=record, by=teacher_user)
    record.refresh_from_db()
    assert record.status == Status.DRAFT


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("observation", {"date": "FUTURE", "observed_name": "张老师", "subject": "语文"}, "date"),
        ("paper", {"paper_title": "作业设计", "result_kind": "paper", "date": "FUTURE",
                   "progress": "written"}, "date"),
        ("training", {"course": "区级培训", "organiser_level": "2", "date": "1990-03-02",
                      "hours": "6"}, "date"),
        ("training", {"course": "区级培训", "organiser_level": "2", "date": "2025-10-01",
                      "end_date": "2038-10-02", "hours": "6"}, "end_date"),
        ("project", {"project_title": "课题", "level": "2", "role": "leader", "stage": "approved",
                     "date": "2025-09-20", "approved_on": "FUTURE"}, "approved_on"),
    ],
)  # fmt: skip
def test_dates_after_today_or_far_off_are_refused_with_a_field_error(author, kind, data, field):
    future = in_days(5).isoformat()
    data = {k: (future if v == "FUTURE" else v) for k, v in data.items()}
    response = author.post(reverse("records:new", args=[kind]), {**data, "save": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Record.objects.exists()


def test_the_queue_does_not_offer_to_verify_a_class_not_yet_held(
    login, teacher_user, training_office
):
    held = OpenClassFactory(teacher=teacher_user.teacher, date=in_days(-1))
    planned = OpenClassFactory(teacher=teacher_user.teacher, date=in_days(10))
    # Submitted before dates were checked: the queue must still not verify it.
    Record.objects.filter(pk__in=[held.pk, planned.pk]).update(status=Status.SUBMITTED)
    client = login(training_office)
    page = client.get(reverse("records:queue")).content.decode()
    assert f'name="records" value="{held.pk}"' in page
    assert f'name="records" value="{planned.pk}"' not in page
    assert reverse("records:verify", args=[planned.pk]) not in page

    client.post(reverse("records:verify_bulk"), {"records": [held.pk, planned.pk]})
    statuses = dict(Record.objects.values_list("pk", "status"))
    assert statuses == {held.pk: Status.VERIFIED, planned.pk: Status.SUBMITTED}

    client.post(reverse("records:verify", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == Status.SUBMITTED
    with pytest.raises(ValidationError, match="尚未开展，不能审核"):
        record_verify(record=planned, by=training_office)


def test_a_planned_class_may_be_withdrawn_to_a_draft(teacher_user):
    from records.services.workflow import record_withdraw

    record = OpenClassFactory(teacher=teacher_user.teacher, date=in_days(3))
    record_submit(record=record, by=teacher_user)
    record_withdraw(record=record, by=teacher_user)
    record.refresh_from_db()
    assert record.status == Status.DRAFT
    assert list(record.audit_entries.values_list("action", flat=True)) == ["planned", "withdrawn"]
