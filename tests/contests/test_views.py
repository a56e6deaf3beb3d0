"""Every competition page with one user who may act, one who may only read and one of another
school (404), the organiser's steps in the browser, and query counts that do not grow."""

import pytest
from django.urls import reverse
from django.utils import translation

from contests.models import Category, Contest, Entry
from contests.services import contests as services
from core.models import Job
from records.models import OpenClass
from tests.factories import TeacherFactory

from .conftest import TODAY, enter, pdf_upload, score_all, teacher_login

pytestmark = pytest.mark.django_db


def _url(name, obj):
    return reverse(f"contests:{name}", args=[obj.pk])


def test_the_list_shows_the_schools_contests_and_not_to_another_school(
    login, contest, teacher_user, outsider
):
    assert contest.title in login(teacher_user).get(reverse("contests:contests")).content.decode()
    page = login(outsider).get(reverse("contests:contests")).content.decode()
    assert contest.title not in page


@pytest.mark.parametrize("name", ["contest", "results", "entry_new", "sheet"])
def test_another_schools_user_gets_not_found(login, contest, outsider, name):
    assert login(outsider).get(_url(name, contest)).status_code == 404


@pytest.mark.parametrize(
    "name", ["entries_close", "scores_reveal", "results_publish", "results_unpublish",
             "certificates_print", "results_export", "recuse"],
)  # fmt: skip
def test_another_schools_user_cannot_post_the_steps(login, contest, outsider, name):
    assert login(outsider).post(_url(name, contest)).status_code == 404
    assert Contest.objects.get().stage == Contest.Stage.OPEN and not Job.objects.exists()


@pytest.mark.parametrize("name", ["entries_close", "certificates_print", "results_export"])
def test_a_reader_cannot_take_the_organisers_steps(login, contest, committee_member, name):
    assert login(committee_member).post(_url(name, contest)).status_code == 403
    assert Contest.objects.get().stage == Contest.Stage.OPEN and not Job.objects.exists()


def test_the_organiser_creates_a_contest_and_a_reader_may_not(
    login, school, school_year, training_office, committee_member
):
    assert login(committee_member).get(reverse("contests:contest_new")).status_code == 403
    client = login(training_office)
    assert client.get(reverse("contests:contest_new")).status_code == 200
    data = {
        "organiser": f"s{school.pk}",
        "title": "教学基本功大赛",
        "categories": [Category.SKILLS, Category.SPEECH],
        "entry_opens": TODAY.isoformat(),
        "entry_closes": TODAY.replace(year=TODAY.year + 3).isoformat(),
        "held_on": TODAY.isoformat(),
        "criteria": "书写 60\n演讲 40",
        "judges": [committee_member.pk],
    }
    with translation.override("zh-hans"):
        page = client.post(reverse("contests:contest_new"), data).content.decode()
    assert not Contest.objects.exists() and "学年" in page  # outside the school year
    data["entry_closes"] = TODAY.isoformat()
    response = client.post(reverse("contests:contest_new"), data)
    contest = Contest.objects.get()
    assert response.status_code == 302 and contest.categories == ["skills", "speech"]
    assert [(i.name, i.weight) for i in contest.panel.items.all()] == [("书写", 60), ("演讲", 40)]


def test_a_teacher_enters_with_a_file_and_a_colleague_cannot_download_it(
    login, contest, teacher_user, school, committee_member, district_office, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    client = login(teacher_user)
    assert client.get(_url("entry_new", contest)).status_code == 200
    data = {"teacher": teacher_user.teacher.pk, "category": Category.CLASS, "title": "《雨》",
            "upload": pdf_upload()}  # fmt: skip
    assert client.post(_url("entry_new", contest), data).status_code == 302
    entry = Entry.objects.get()
    assert client.get(_url("entry_file", entry)).status_code == 200
    colleague = teacher_login(school, "同事", "colleague")
    assert login(colleague).get(_url("entry_file", entry)).status_code == 404
    for reader in (colleague, district_office):  # before the results: nobody else's entries
        for name in ("contest", "results"):
            assert "《雨》" not in login(reader).get(_url(name, contest)).content.decode()
    assert "《雨》" in login(committee_member).get(_url("contest", contest)).content.decode()
    assert login(colleague).post(_url("entry_withdraw", entry)).status_code == 404
    # A judge reads the file; a reader who neither judges nor organises cannot enter anyone.
    assert login(committee_member).get(_url("entry_file", entry)).status_code == 200
    assert login(committee_member).get(_url("entry_new", contest)).status_code == 403


def test_the_sheet_is_for_judges_only_and_submits(
    login, contest, entrants, training_office, committee_member
):
    entry = enter(contest, entrants[0], training_office)
    services.entries_close(contest=contest, by=training_office)
    assert login(training_office).get(_url("sheet", contest)).status_code == 403
    client = login(committee_member)
    page = client.get(_url("sheet", contest)).content.decode()
    assert entry.title in page
    data = {f"s_{entry.pk}_{i.pk}": "85" for i in contest.panel.items.all()}
    response = client.post(_url("sheet", contest), {**data, "submit": "1"})
    assert response.status_code == 302
    assert contest.panel.sheets.get(member=committee_member).is_submitted


def _published(contest, entrants, office, judges, n=3):
    entries = [enter(contest, t, office) for t in entrants[:n]]
    services.entries_close(contest=contest, by=office)
    for judge in judges:
        score_all(contest, judge, value=lambda e: 60 + e.pk % 30)
    services.scores_reveal(contest=contest, by=office)
    services.prizes_set(contest=contest, prizes={entries[0].pk: "first"}, by=office)
    return entries


def test_the_organiser_publishes_in_the_browser_and_others_see_only_the_winners(
    login, contest, entrants, training_office, committee_member, judge_teacher, teacher_user
):
    entries = _published(contest, entrants, training_office, [committee_member, judge_teacher])
    prizes = {f"prize_{e.pk}": "" for e in entries} | {f"prize_{entries[1].pk}": "second"}
    assert login(committee_member).post(_url("results", contest), prizes).status_code == 403
    client = login(training_office)
    assert client.post(_url("results", contest), prizes).status_code == 302
    assert client.post(_url("results_publish", contest)).status_code == 302
    assert client.post(_url("results_publish", contest)).status_code == 302  # double click
    assert OpenClass.objects.filter(teacher=entries[1].teacher, prize="二等奖").count() == 1
    assert OpenClass.objects.count() == 1
    page = login(teacher_user).get(_url("results", contest)).content.decode()
    assert entries[1].teacher.name in page and entries[2].teacher.name not in page
    assert "data-total" not in page and "排名" not in page  # no total, no rank
    detail = login(teacher_user).get(_url("contest", contest)).content.decode()
    assert entries[1].teacher.name in detail and entries[0].teacher.name not in detail


def test_pages_make_the_same_number_of_queries_with_more_entries(
    login, school, contest, training_office, committee_member, judge_teacher,
    django_assert_max_num_queries,
):  # fmt: skip
    few = [TeacherFactory(school=school) for _ in range(3)]
    _published(contest, few, training_office, [committee_member, judge_teacher])
    client = login(training_office)
    counts = {}
    for name in ("contest", "results"):
        client.get(_url(name, contest))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(_url(name, contest))
        counts[name] = len(ctx.captured_queries)
    # 15 more entries, scored by both judges: the same counts.
    more = Contest.objects.create(
        school=school, district=school.district, title="第二场", categories=["class"],
        entry_opens=contest.entry_opens, entry_closes=contest.entry_closes,
        held_on=contest.held_on,
    )  # fmt: skip
    more.panel.items.create(name="综合", weight=100)
    for judge in (committee_member, judge_teacher):
        more.panel.memberships.create(user=judge)
    many = [TeacherFactory(school=school) for _ in range(15)]
    _published(more, many, training_office, [committee_member, judge_teacher], n=15)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(_url(name, more)).status_code == 200
    assert counts["contest"] <= 25 and counts["results"] <= 30, counts
