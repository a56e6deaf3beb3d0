"""Quick entry of several class observations (听课记录) at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import AuditEntry, Observation, Status
from tests.factories import TeacherFactory

URL = reverse("records:observations_quick")
DAY = datetime.date(2025, 11, 5)


def rows(*filled: dict, total: int = 3) -> dict:
    """The POST data of the quick-entry formset: ``filled`` rows, then empty ones."""
    data = {
        "rows-TOTAL_FORMS": str(total),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "30",
    }
    for i in range(total):
        row = {"date": timezone.localdate().isoformat(), "subject": "语文"}
        if i < len(filled):
            row.update(filled[i])
        data.update({f"rows-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def colleagues(school):
    return [TeacherFactory(school=school, name=f"同事{n}") for n in range(3)]


def test_the_page_starts_with_three_rows_and_more_on_request(login, teacher_user):
    client = login(teacher_user)

    assert client.get(URL).content.decode().count('class="card mb-2 quick-row') == 3
    assert client.get(URL, {"rows": 5}).content.decode().count("quick-row") == 5


def test_three_rows_create_three_draft_observations(login, teacher_user, colleagues):
    data = rows(
        {"date": DAY.isoformat(), "observed_teacher": colleagues[0].pk, "rating": "4"},
        {"date": DAY.isoformat(), "observed_teacher": colleagues[1].pk, "class_name": "三（1）班"},
        {"date": DAY.isoformat(), "observed_name": "赵老师", "observed_school": "河东小学",
         "subject": "数学", "notes": "板书清楚"},
        total=5,
    )  # fmt: skip

    response = login(teacher_user).post(URL, data)

    assert response.status_code == 302
    observations = Observation.objects.order_by("pk")
    assert observations.count() == 3
    assert {o.status for o in observations} == {Status.DRAFT}
    assert {o.teacher_id for o in observations} == {teacher_user.teacher.pk}
    outside = observations[2]
    assert (outside.observed_name, outside.observed_school, outside.subject) == (
        "赵老师", "河东小学", "数学",
    )  # fmt: skip
    assert observations[0].year == 2025 and observations[0].rating == 4
    assert AuditEntry.objects.filter(action="created", actor=teacher_user).count() == 3


def test_save_and_submit_all_submits_every_row(login, teacher_user, colleagues):
    data = rows(
        {"observed_teacher": colleagues[0].pk},
        {"observed_teacher": colleagues[1].pk},
    )

    login(teacher_user).post(URL, {**data, "submit": "1"})

    assert list(Observation.objects.values_list("status", flat=True)) == [Status.SUBMITTED] * 2


def test_one_bad_row_saves_nothing_and_names_the_row(login, teacher_user, colleagues):
    teacher_user.language = "en"
    teacher_user.save()
    data = rows(
        {"observed_teacher": colleagues[0].pk},
        {"observed_name": "赵老师"},  # a teacher from outside, but no school given
        {"observed_teacher": colleagues[1].pk},
    )

    response = login(teacher_user).post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Observation.objects.exists()
    bad_row = html[html.index('id="row-1"') : html.index('id="row-2"')]
    assert "Give the school of a teacher from outside Gugan." in bad_row
    good_row = html[html.index('id="row-0"') : html.index('id="row-1"')]
    assert "Give the school" not in good_row


def test_row_errors_are_shown_in_the_users_language(login, teacher_user, colleagues):
    teacher_user.language = "zh-hans"
    teacher_user.save()
    data = rows({"observed_teacher": colleagues[0].pk, "date": "2025-02-30"})

    html = login(teacher_user).post(URL, data).content.decode()

    assert not Observation.objects.exists()
    assert (
        "请输入日期，例如2026-09-01。" in html[html.index('id="row-0"') : html.index('id="row-1"')]
    )


def test_a_row_needs_a_teacher_or_a_name_but_not_both(login, teacher_user, colleagues):
    teacher_user.language = "en"
    teacher_user.save()
    data = rows(
        {"observed_teacher": colleagues[0].pk, "observed_name": "赵老师",
         "observed_school": "河东小学"},
        {"rating": "3"},
    )  # fmt: skip

    html = login(teacher_user).post(URL, data).content.decode()

    assert not Observation.objects.exists()
    assert "not both" in html
    assert "Choose the observed teacher or type their name." in html


def test_teachers_of_other_schools_cannot_be_picked(login, teacher_user, other_school):
    stranger = TeacherFactory(school=other_school)

    response = login(teacher_user).post(URL, rows({"observed_teacher": stranger.pk}))

    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_a_future_date_is_refused(login, teacher_user, colleagues):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    login(teacher_user).post(
        URL, rows({"observed_teacher": colleagues[0].pk, "date": tomorrow.isoformat()})
    )

    assert not Observation.objects.exists()


def test_all_empty_rows_ask_for_at_least_one(login, teacher_user):
    teacher_user.language = "en"
    teacher_user.save()

    html = login(teacher_user).post(URL, rows()).content.decode()

    assert "Fill in at least one observation." in html
    assert not Observation.objects.exists()


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(login, teacher_user, colleagues):
    data = rows({"observed_teacher": colleagues[0].pk, "notes": "导入新颖"})

    html = login(teacher_user).post(URL, {**data, "add_row": "1"}).content.decode()

    assert html.count("quick-row") == 4
    assert 'value="导入新颖"' in html
    assert 'name="rows-TOTAL_FORMS" value="4"' in html
    assert not Observation.objects.exists()


def test_adding_a_row_by_htmx_returns_only_the_form(login, teacher_user):
    response = login(teacher_user).post(URL, {**rows(), "add_row": "1"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<form id="quick-form"')
    assert html.count("quick-row") == 4


@pytest.mark.parametrize("role", ["principal", "training_office", "district_office"])
def test_users_without_a_teacher_profile_get_403(request, login, role):
    user = request.getfixturevalue(role)

    assert login(user).get(URL).status_code == 403
    assert login(user).post(URL, rows()).status_code == 403
