"""The training office's verification queue, bulk verify, and the workflow pages: submit,
verify, return, archive and the audit trail, each tried by one who may act, one who may only
read, and one from another school."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from records.models import AuditEntry, Kind, Record, Status
from records.services.workflow import record_return, record_save, record_submit
from tests.factories import (
    OpenClassFactory,
    TeacherFactory,
    TeachingGroupFactory,
    TrainingFactory,
    user_with_role,
)


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def status_of(record) -> str:
    return Record.objects.values_list("status", flat=True).get(pk=record.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def submitted_at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@pytest.fixture
def colleague(school):
    user = user_with_role(Role.TEACHER, school=school, username="colleague")
    TeacherFactory(school=school, user=user)
    return user


@pytest.fixture
def queue(school, other_school, teacher_user):
    chinese = TeachingGroupFactory(school=school, name="语文组")
    maths = TeachingGroupFactory(school=school, name="数学组")
    wang = teacher_user.teacher
    wang.group = chinese
    wang.save()
    liu = TeacherFactory(school=school, name="刘洋", group=maths)
    submitted = {"status": Status.SUBMITTED}
    return {
        "chinese": chinese,
        "maths": maths,
        "wang_training": TrainingFactory(
            teacher=wang, course="大单元教学", submitted_at=submitted_at(3), **submitted
        ),
        "wang_class": OpenClassFactory(
            teacher=wang, topic="《落花生》", submitted_at=submitted_at(1), **submitted
        ),
        "liu_training": TrainingFactory(
            teacher=liu, course="作业设计", submitted_at=submitted_at(2), **submitted
        ),
        "liu_draft": TrainingFactory(teacher=liu, course="草稿中的培训"),
        "wang_verified": TrainingFactory(teacher=wang, course="已审核", status=Status.VERIFIED),
        "elsewhere": TrainingFactory(
            teacher__school=other_school, course="外校培训", submitted_at=submitted_at(0),
            **submitted,
        ),
    }  # fmt: skip


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"]]


# -- the queue ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["training_office", "principal"])
def test_queue_lists_the_schools_submitted_records_newest_first(request, login, queue, who):
    response = login(request.getfixturevalue(who)).get(reverse("records:queue"))
    assert response.status_code == 200
    assert titles(response) == ["《落花生》", "作业设计", "大单元教学"]
    body = response.content.decode()
    assert "外校培训" not in body and "草稿中的培训" not in body and "已审核" not in body
    for key in ("wang_class", "liu_training", "wang_training"):
        assert f'href="{reverse("records:detail", args=[queue[key].pk])}"' in body
        assert f'name="records" value="{queue[key].pk}"' in body


def test_queue_filters_by_kind_and_teaching_research_group(login, training_office, queue):
    client = login(training_office)
    url = reverse("records:queue")
    assert titles(client.get(url, {"kind": Kind.TRAINING})) == ["作业设计", "大单元教学"]
    assert titles(client.get(url, {"group": queue["chinese"].pk})) == ["《落花生》", "大单元教学"]
    both = {"kind": Kind.TRAINING, "group": queue["maths"].pk}
    assert titles(client.get(url, both)) == ["作业设计"]


def test_queue_htmx_filtering_returns_only_the_results(login, training_office, queue):
    response = login(training_office).get(
        reverse("records:queue"), {"kind": Kind.OPEN_CLASS}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "《落花生》" in body and "<html" not in body


def test_another_schools_principal_sees_none_of_our_records(login, outsider, queue):
    response = login(outsider).get(reverse("records:queue"))
    assert response.status_code == 200
    assert titles(response) == ["外校培训"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher_user", 404),
        ("colleague", 404),
        ("committee_member", 403),
        ("district_office", 403),
    ],
)
def test_the_queue_is_only_for_principals_and_the_training_office(
    request, login, queue, who, status
):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("records:queue")).status_code == status
    response = client.post(reverse("records:verify_bulk"), {"records": [queue["wang_class"].pk]})
    assert response.status_code == status
    assert status_of(queue["wang_class"]) == Status.SUBMITTED


def test_the_queue_makes_a_constant_number_of_queries(
    login, training_office, school, count_queries
):
    groups = [TeachingGroupFactory(school=school) for _ in range(3)]
    teachers = [TeacherFactory(school=school, group=g) for g in groups]
    factories = [TrainingFactory, OpenClassFactory]

    def add(n):
        for i in range(n):
            factories[i % 2](teacher=teachers[i % 3], status=Status.SUBMITTED)

    client = login(training_office)
    add(5)
    five = count_queries(client, reverse("records:queue"))
    add(25)
    thirty = count_queries(client, reverse("records:queue"))
    assert Record.objects.filter(status=Status.SUBMITTED).count() == 30
    assert five == thirty


# -- bulk and per-row verify ----------------------------------------------------------------
def test_bulk_verify_verifies_only_the_users_schools_submitted_records(
    login, training_office, queue
):
    english(training_office)
    picked = [queue[k].pk for k in ("wang_class", "liu_training", "liu_draft", "elsewhere")]
    response = login(training_office).post(
        reverse("records:verify_bulk"),
        {"records": picked, "next": "/records/verification/?kind=training"},
    )
    assert response.url == "/records/verification/?kind=training"
    assert status_of(queue["wang_class"]) == Status.VERIFIED
    assert status_of(queue["liu_training"]) == Status.VERIFIED
    assert status_of(queue["liu_draft"]) == Status.DRAFT
    assert status_of(queue["elsewhere"]) == Status.SUBMITTED
    assert status_of(queue["wang_training"]) == Status.SUBMITTED
    assert messages_of(response)[:1] == ["2 records verified."]


def test_bulk_verify_without_a_selection_says_so(login, training_office, queue):
    english(training_office)
    response = login(training_office).post(reverse("records:verify_bulk"))
    assert messages_of(response) == ["Select the records to verify first."]
    assert Record.objects.filter(status=Status.VERIFIED).count() == 1


def test_verifying_a_row_with_htmx_swaps_in_a_confirmation(login, principal, queue):
    english(principal)
    response = login(principal).post(
        reverse("records:verify", args=[queue["wang_class"].pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<tr id="queue-row-{queue["wang_class"].pk}"')
    assert "was verified" in body
    assert status_of(queue["wang_class"]) == Status.VERIFIED


def test_verify_goes_back_to_a_safe_next_with_a_message(login, training_office, queue):
    english(training_office)
    record = queue["wang_class"]
    response = login(training_office).post(
        reverse("records:verify", args=[record.pk]), {"next": "//evil.example/"}
    )
    assert response.url == reverse("records:detail", args=[record.pk])
    assert "“《落花生》” was verified." in messages_of(response)
    assert AuditEntry.objects.filter(record_id=record.pk, action="verified").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 403), ("district_office", 403), ("outsider", 404), ("colleague", 404)],
)
def test_verify_and_return_are_refused_to_others(request, login, queue, who, status):
    client = login(request.getfixturevalue(who))
    pk = queue["wang_class"].pk
    assert client.post(reverse("records:verify", args=[pk])).status_code == status
    assert client.get(reverse("records:return", args=[pk])).status_code == status
    response = client.post(reverse("records:return", args=[pk]), {"reason": "不行"})
    assert response.status_code == status
    assert status_of(queue["wang_class"]) == Status.SUBMITTED


def test_nobody_verifies_a_draft_they_cannot_see(login, training_office, queue):
    response = login(training_office).post(reverse("records:verify", args=[queue["liu_draft"].pk]))
    assert response.status_code == 404


# -- return ---------------------------------------------------------------------------------
def test_returning_asks_for_a_reason(login, training_office, queue):
    english(training_office)
    client = login(training_office)
    url = reverse("records:return", args=[queue["wang_class"].pk])
    page = client.get(url, {"next": "/records/verification/"})
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert page.context["form"]["next"].value() == "/records/verification/"

    response = client.post(url, {"reason": "  ", "next": "/records/verification/"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert status_of(queue["wang_class"]) == Status.SUBMITTED

    response = client.post(url, {"reason": "请补充教学反思。", "next": "/records/verification/"})
    assert response.status_code == 302 and response.url == "/records/verification/"
    record = Record.objects.get(pk=queue["wang_class"].pk)
    assert record.status == Status.RETURNED and record.return_reason == "请补充教学反思。"


def actions_partial(user, record, **context) -> str:
    request = RequestFactory().get(f"/records/{record.pk}/")
    request.user = user
    return render_to_string(
        "records/_workflow_actions.html", {"record": record, **context}, request=request
    )


def test_the_returned_record_shows_the_reason_and_a_resubmit_button_to_its_author(
    teacher_user, training_office, queue
):
    record = Record.objects.select_related("teacher").get(pk=queue["wang_class"].pk)
    record_return(record=record, by=training_office, reason="请补充教学反思。")
    body = actions_partial(teacher_user, record, can_edit=True, can_verify=False)
    assert "请补充教学反思。" in body and "alert-warning" in body
    assert reverse("records:submit", args=[record.pk]) in body
    assert reverse("records:verify", args=[record.pk]) not in body


def test_the_verifier_gets_verify_and_return_buttons_for_a_submitted_record(training_office, queue):
    record = queue["wang_class"]
    body = actions_partial(training_office, record, can_edit=False, can_verify=True)
    assert reverse("records:verify", args=[record.pk]) in body
    assert reverse("records:return", args=[record.pk]) in body
    assert reverse("records:submit", args=[record.pk]) not in body
    assert "text-bg-warning" in body  # the "awaiting verification" badge


def test_readers_get_no_buttons(committee_member, queue):
    record = queue["wang_class"]
    body = actions_partial(committee_member, record, can_edit=False, can_verify=False)
    assert "<form" not in body and "<button" not in body


def test_the_record_page_shows_the_workflow_partials(login, teacher_user, training_office, queue):
    record = queue["wang_class"]
    record_return(record=record, by=training_office, reason="请补充教学反思。")
    body = login(teacher_user).get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "请补充教学反思。" in body
    assert f'id="attachments-{record.pk}"' in body


# -- submit and archive ---------------------------------------------------------------------
def test_the_author_submits_and_is_told_in_their_language(login, teacher_user, queue):
    english(teacher_user)
    draft = TrainingFactory(teacher=teacher_user.teacher, course="读书分享")
    response = login(teacher_user).post(
        reverse("records:submit", args=[draft.pk]), {"next": "/records/growth/"}
    )
    assert response.url == "/records/growth/"
    assert "“读书分享” was submitted for verification." in messages_of(response)
    assert status_of(draft) == Status.SUBMITTED


def test_a_resubmission_after_return_lands_back_in_the_queue(
    login, teacher_user, training_office, queue
):
    record = queue["wang_training"]
    record_return(record=record, by=training_office, reason="学时不对")
    assert "大单元教学" not in titles(login(training_office).get(reverse("records:queue")))
    login(teacher_user).post(reverse("records:submit", args=[record.pk]))
    assert "大单元教学" in titles(login(training_office).get(reverse("records:queue")))


def test_submitting_a_verified_record_is_refused_with_a_message(login, teacher_user, queue):
    english(teacher_user)
    record = queue["wang_verified"]
    response = login(teacher_user).post(reverse("records:submit", args=[record.pk]))
    assert messages_of(response) == ["Only drafts and returned records can be submitted."]
    assert status_of(record) == Status.VERIFIED


def test_only_the_author_submits(login, principal, training_office, teacher_user, queue):
    record = queue["wang_training"]
    record_return(record=record, by=training_office, reason="学时不对")
    assert login(principal).post(reverse("records:submit", args=[record.pk])).status_code == 403
    draft = queue["liu_draft"]
    assert login(principal).post(reverse("records:submit", args=[draft.pk])).status_code == 404


def test_archiving_from_the_record_page(login, teacher_user, committee_member, queue):
    draft = TrainingFactory(teacher=teacher_user.teacher)
    assert login(teacher_user).post(reverse("records:archive", args=[draft.pk])).status_code == 302
    assert status_of(draft) == Status.ARCHIVED
    record = queue["wang_verified"]
    response = login(committee_member).post(reverse("records:archive", args=[record.pk]))
    assert response.status_code == 403
    assert status_of(record) == Status.VERIFIED


# -- the audit trail ------------------------------------------------------------------------
@pytest.fixture
def edited(teacher_user, training_office):
    record = TrainingFactory(teacher=teacher_user.teacher, course="校本研修", hours=6)
    record_save(record=record, by=teacher_user)
    record.hours = 9
    record_save(record=record, by=teacher_user)
    record_submit(record=record, by=teacher_user)
    return record


@pytest.mark.parametrize("who", ["training_office", "principal", "teacher_user"])
def test_the_audit_trail_shows_who_when_and_what_changed(request, login, edited, who):
    user = request.getfixturevalue(who)
    english(user)
    response = login(user).get(reverse("records:audit", args=[edited.pk]))
    assert response.status_code == 200
    # The first save moves the semester to the district's calendar; the second changes hours.
    actions = [e.action for e in response.context["audit_entries"]]
    assert actions == ["updated", "updated", "submitted"]
    body = response.content.decode()
    assert "Hours:" in body and "6.0" in body and "9.0" in body
    assert "Submitted" in body and "teacher" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 403), ("district_office", 403), ("colleague", 404), ("outsider", 404)],
)
def test_the_audit_trail_is_refused_to_others(request, login, edited, who, status):
    response = login(request.getfixturevalue(who)).get(reverse("records:audit", args=[edited.pk]))
    assert response.status_code == status
