"""Issue 16's competition journey: a teacher on a phone-size screen enters the school's class
competition with a file, a judge fills the score sheet, the training office publishes the
results, and the prize is on the teacher's record without anybody typing it in. The library
and a lesson study are looked at on both screen sizes."""

import datetime

import pytest
from django.utils import timezone

from contests.models import Entry
from contests.services import contests as services
from core.models import Role, school_year_start
from records.models import OpenClass, Paper
from records.services.lessonstudy import lesson_study_create, lesson_study_round_add
from tests.contests.conftest import make_contest
from tests.factories import (
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _no_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_teacher_enters_a_judge_scores_and_the_prize_lands_on_the_record(
    open_session, language, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    year = school_year_start(today)
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=year)
    office = user_with_role(Role.TRAINING_OFFICE, school=school, username="office",
                            language=language)  # fmt: skip
    judge = user_with_role(Role.COMMITTEE, school=school, username="judge", language=language)
    li = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    teacher = TeacherFactory(school=school, user=li, name="李明")
    contest = make_contest(office, school=school, judges=[judge], title="青年教师课堂教学比赛")

    entrant = open_session(language, name=f"contest-{language}-teacher")
    entrant.page.set_viewport_size(PHONE)
    entrant.login("li")
    page = entrant.goto(f"/contests/{contest.pk}/")
    entrant.shot("contest-phone")
    _no_overflow(page)
    page = entrant.goto(f"/contests/{contest.pk}/enter/")
    page.select_option("select[name=category]", "class")
    page.fill("input[name=title]", "《秋天的雨》")
    page.fill("input[name=subject]", "语文")
    page.fill("input[name=grade]", "三年级")
    pdf = tmp_path / "教学设计.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    page.set_input_files("input[name=upload]", str(pdf))
    entrant.shot("entry-form-phone")
    _no_overflow(page)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(f"**/contests/{contest.pk}/")
    entry = Entry.objects.get()
    assert entry.teacher == teacher and entry.original_name == "教学设计.pdf"
    services.entries_close(contest=contest, by=office)

    scorer = open_session(language, name=f"contest-{language}-judge")
    scorer.login("judge")
    page = scorer.goto(f"/contests/{contest.pk}/sheet/")
    for field in page.locator("#score-sheet input[type=number]").all():
        field.fill("88")
    scorer.shot("sheet")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/contests/{contest.pk}/results/")

    organiser = open_session(language, name=f"contest-{language}-office")
    organiser.login("office")
    services.scores_reveal(contest=contest, by=office)
    page = organiser.goto(f"/contests/{contest.pk}/results/")
    page.select_option(f"select[name=prize_{entry.pk}]", "first")
    page.locator("#save-prizes").click()
    page.wait_for_url(f"**/contests/{contest.pk}/results/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"form[action='/contests/{contest.pk}/publish/'] button").click()
    page.wait_for_url(f"**/contests/{contest.pk}/results/")
    organiser.shot("results-published")
    record = OpenClass.objects.get(teacher=teacher, source=entry.source_key)
    assert record.class_kind == "competition" and record.status == "verified"

    page = entrant.goto(f"/contests/{contest.pk}/results/")
    assert "李明" in page.content()
    entrant.shot("results-phone")
    _no_overflow(page)


def test_the_library_and_a_lesson_study_on_both_screens(open_session):
    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office")
    principal = user_with_role(Role.PRINCIPAL, school=school, username="principal")
    li = user_with_role(Role.TEACHER, school=school, username="li")
    teacher = TeacherFactory(school=school, user=li, name="李明", grades="三年级")
    from contests.models import SharedItem

    for i, kind in enumerate(["case", "design", "courseware"]):
        paper = Paper.objects.create(
            teacher=TeacherFactory(school=school, name=f"作者{i}"), year=year, status="verified",
            date=datetime.date(year, 10, 1 + i), result_kind=kind,
            paper_title=f"大单元教学中的朗读指导实践研究（第{i + 1}篇）",
        )  # fmt: skip
        SharedItem.objects.create(record=paper, kind=kind, reach="school", selected=i == 0)
    study = lesson_study_create(
        school=school, kind="polishing", lesson="《秋天的雨》", subject="语文", grade="三年级",
        theme="朗读指导", by=principal,
    )  # fmt: skip
    for n in (1, 2):
        day = datetime.date(year, 10, 10 * n)
        lesson = OpenClassFactory(
            teacher=teacher, status="verified", year=year, topic=f"《秋天的雨》第{n}轮", date=day
        )
        lesson_study_round_add(study=study, open_class=lesson, note="调整朗读环节", by=principal)

    viewer = open_session("zh-hans", name="library-office")
    viewer.login("office")
    for path, label in (("/contests/library/", "library"),
                        (f"/records/lesson-studies/{study.pk}/", "lesson-study")):  # fmt: skip
        page = viewer.goto(path)
        viewer.shot(label)
        page.set_viewport_size(PHONE)
        page.reload()
        viewer.shot(f"{label}-phone")
        _no_overflow(page)
        page.set_viewport_size({"width": 1280, "height": 900})
