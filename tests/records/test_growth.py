import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Role, school_year_start
from records.hours import hours_for_teachers
from records.models import Kind, Lecture, Paper, Record, Status, Training
from teachers.models import Teacher
from tests.factories import OpenClassFactory, TeacherFactory, TrainingFactory, user_with_role

GROWTH = reverse("records:growth")
CURRENT = school_year_start(timezone.localdate())


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def teacher(teacher_user):
    return teacher_user.teacher


def on(year: int, month: int = 10, day: int = 15) -> datetime.date:
    return datetime.date(year if month >= 9 else year + 1, month, day)


@pytest.fixture
def history(teacher):
    """Two school years of records in every status."""
    prev = CURRENT - 1
    return {
        "old_class": OpenClassFactory(
            teacher=teacher, topic="去年的示范课", date=on(prev, 11), year=prev,
            status=Status.VERIFIED,
        ),
        "old_training": TrainingFactory(
            teacher=teacher, course="去年的校本培训", date=on(prev), year=prev, hours=30,
            status=Status.VERIFIED,
        ),
        "verified": TrainingFactory(
            teacher=teacher, course="今年的校本培训", date=on(CURRENT), year=CURRENT, hours=20,
            status=Status.VERIFIED,
        ),
        "other_verified": TrainingFactory(
            teacher=teacher, course="区级研修", date=on(CURRENT), year=CURRENT, hours=40,
            school_based=False, status=Status.VERIFIED,
        ),
        "submitted": TrainingFactory(
            teacher=teacher, course="待审核的培训", date=on(CURRENT, 11), year=CURRENT, hours=6,
            status=Status.SUBMITTED,
        ),
        "returned": Lecture.objects.create(
            teacher=teacher, topic="被退回的讲座", audience="whole_staff", date=on(CURRENT, 10),
            year=CURRENT, status=Status.RETURNED, return_reason="请补充讲座课件。",
        ),
        "draft": Paper.objects.create(
            teacher=teacher, paper_title="草稿论文", result_kind="paper", date=on(CURRENT, 11),
            year=CURRENT,
        ),
        "archived": Paper.objects.create(
            teacher=teacher, paper_title="归档的论文", result_kind="paper", date=on(CURRENT, 9),
            year=CURRENT, status=Status.ARCHIVED,
        ),
    }  # fmt: skip


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def test_my_growth_shows_every_year_newest_first_without_archived(login, en, teacher_user, history):
    response = login(teacher_user).get(GROWTH)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(f"School year {CURRENT}–{CURRENT + 1}") < body.index(
        f"School year {CURRENT - 1}–{CURRENT}"
    )
    assert "草稿论文" in titles(response) and "去年的示范课" in titles(response)
    assert "归档的论文" not in titles(response)


def test_growth_filters_by_kind_year_status_and_shows_archived_on_request(
    login, teacher_user, history
):
    client = login(teacher_user)
    assert set(titles(client.get(GROWTH, {"kind": Kind.OPEN_CLASS}))) == {"去年的示范课"}
    assert set(titles(client.get(GROWTH, {"year": CURRENT - 1}))) == {
        "去年的示范课",
        "去年的校本培训",
    }
    assert titles(client.get(GROWTH, {"status": Status.RETURNED})) == ["被退回的讲座"]
    assert "归档的论文" in titles(client.get(GROWTH, {"archived": "on"}))
    assert titles(client.get(GROWTH, {"status": Status.ARCHIVED})) == ["归档的论文"]
    # A stale link is ignored rather than an error.
    assert len(titles(client.get(GROWTH, {"year": "1999", "kind": "nope"}))) == 7


def test_growth_counts_verified_and_total_by_kind(login, teacher_user, history):
    counts = {
        c.kind: (c.verified, c.total)
        for c in login(teacher_user).get(GROWTH, {"year": CURRENT}).context["counts"]
    }
    assert counts[Kind.TRAINING] == (2, 3)
    assert counts[Kind.LECTURE] == (0, 1)
    assert counts[Kind.PAPER] == (0, 1)  # the draft; the archived paper is hidden
    assert counts[Kind.OPEN_CLASS] == (0, 0)
    assert len(counts) == len(Kind.values)


def test_growth_shows_the_hours_meter_of_the_selected_year(login, en, teacher_user, history):
    client = login(teacher_user)
    response = client.get(GROWTH)
    hours = response.context["hours"]
    assert (hours.total, hours.school_based, hours.pending) == (60, 20, 6)
    assert "12 more hours needed, at least 4 of them school-based." in response.content.decode()
    hours = client.get(GROWTH, {"year": CURRENT - 1}).context["hours"]
    assert (hours.total, hours.school_based) == (30, 30)


def test_growth_lists_what_awaits_verification_and_what_was_returned(
    login, en, teacher_user, history
):
    response = login(teacher_user).get(GROWTH)
    attention = response.context["attention"]
    assert [r.title for r in attention["submitted"]] == ["待审核的培训"]
    assert [r.title for r in attention["returned"]] == ["被退回的讲座"]
    body = response.content.decode()
    assert "请补充讲座课件。" in body
    assert reverse("records:edit", args=[history["returned"].pk]) in body


def test_the_htmx_filter_returns_only_the_results(login, teacher_user, history):
    response = login(teacher_user).get(GROWTH, {"kind": Kind.TRAINING}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">') and "<nav" not in body.split("results")[0]


def test_the_teacher_can_log_every_kind_from_growth(login, teacher_user):
    body = login(teacher_user).get(GROWTH).content.decode()
    for kind in Kind.values:
        assert reverse("records:new", args=[kind]) in body


@pytest.mark.parametrize(
    "who", ["principal", "training_office", "committee_member", "district_office"]
)
def test_staff_follow_a_teachers_growth_without_drafts(request, login, who, teacher, history):
    client = login(request.getfixturevalue(who))
    response = client.get(reverse("records:teacher_growth", args=[teacher.pk]))
    assert response.status_code == 200
    assert "草稿论文" not in titles(response) and "被退回的讲座" in titles(response)
    assert not response.context["new_kinds"]
    statuses = dict(response.context["filter_form"].fields["status"].choices)
    assert Status.DRAFT not in statuses


def test_outsiders_and_other_teachers_cannot_follow_a_teachers_growth(
    login, outsider, school, teacher, history
):
    url = reverse("records:teacher_growth", args=[teacher.pk])
    assert login(outsider).get(url).status_code == 404
    other = user_with_role(Role.TEACHER, school=school, username="teacher2")
    TeacherFactory(school=school, user=other)
    assert login(other).get(url).status_code == 404


def test_my_growth_needs_a_teacher_profile(login, principal, teacher_user, teacher):
    assert login(principal).get(GROWTH).status_code == 404
    assert (
        login(teacher_user).get(reverse("records:teacher_growth", args=[teacher.pk])).status_code
        == 200
    )


def test_the_teacher_profile_shows_the_growth_summary(login, en, principal, teacher, history):
    body = login(principal).get(reverse("teachers:detail", args=[teacher.pk])).content.decode()
    assert 'id="growth-summary"' in body
    assert reverse("records:teacher_growth", args=[teacher.pk]) in body
    assert "1 record awaits verification" in body


def _make_records(teacher, count):
    kinds = [
        lambda i: TrainingFactory(teacher=teacher, status=Status.VERIFIED, year=CURRENT - i % 3),
        lambda i: OpenClassFactory(teacher=teacher, status=Status.SUBMITTED, year=CURRENT),
        lambda i: Lecture.objects.create(
            teacher=teacher,
            topic=f"讲座{i}",
            audience="whole_staff",
            date=on(CURRENT),
            year=CURRENT - 1,
            status=Status.RETURNED,
            return_reason="请补充。",
        ),  # fmt: skip
    ]
    for i in range(count):
        kinds[i % len(kinds)](i)


def test_growth_takes_the_same_number_of_queries_for_5_or_40_records(
    login, teacher_user, teacher, principal, count_queries
):
    client = login(teacher_user)
    _make_records(teacher, 5)
    few = count_queries(client, GROWTH)
    _make_records(teacher, 35)
    assert Record.objects.filter(teacher=teacher).count() == 40
    assert count_queries(client, GROWTH) == few
    assert count_queries(client, GROWTH, {"year": CURRENT}) == few
    url = reverse("records:teacher_growth", args=[teacher.pk])
    staff = login(principal)
    assert count_queries(staff, url) <= few + 2


def test_the_timeline_is_paged(login, teacher_user, teacher):
    for i in range(45):
        TrainingFactory(teacher=teacher, year=CURRENT, hours=Decimal(1), course=f"培训{i:02d}")
    client = login(teacher_user)
    assert len(titles(client.get(GROWTH))) == 40
    assert len(titles(client.get(GROWTH, {"page": 2}))) == 5


# -- demo data ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_step_gives_teachers_records_of_every_kind_and_status_once():
    call_command("seed_demo", stdout=StringIO())
    count = Record.objects.count()
    teacher = Record.objects.filter(teacher__user__username="teacher").first().teacher
    mine = Record.objects.filter(teacher=teacher)
    assert set(mine.values_list("kind", flat=True)) == set(Kind.values)
    assert {CURRENT, CURRENT - 1} <= set(mine.values_list("year", flat=True))
    assert set(Record.objects.values_list("status", flat=True)) == set(Status.values)
    returned = Record.objects.filter(status=Status.RETURNED)
    assert returned.exists() and not returned.filter(return_reason="").exists()
    assert Record.objects.values("teacher").distinct().count() >= 5
    assert not Record.objects.filter(attachments__isnull=False).exists()

    teachers = Teacher.objects.filter(records__isnull=False).distinct()
    hours = hours_for_teachers(teachers=teachers, year=CURRENT)
    near = [h for h in hours.values() if Decimal(66) <= h.total <= Decimal(78)]
    assert any(h.met for h in near) and any(not h.met for h in near)
    assert hours[teacher.pk].pending > 0
    assert Training.objects.filter(year=CURRENT - 1, status=Status.VERIFIED).exists()

    call_command("seed_demo", stdout=StringIO())
    assert Record.objects.count() == count
