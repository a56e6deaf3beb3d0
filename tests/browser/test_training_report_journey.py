"""Issue 14's feedback, report and needs survey in the browser: the office adds a feedback
question, a teacher on a phone answers it, the office reads the report with its charts and
prints it, opens the year's training-needs survey, teachers answer it from My training, and
the office reads the aggregates. Every page fits 1280 px and 390 px screens."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from records.models import Observation
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_home_pages import overflow
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, user_with_role
from training.feedback import feedback_give, questions_ensure
from training.ledger import register_mark
from training.models import Enrolment, NeedsSurvey
from training.needs.services import questions_of, survey_answer

from ..training.conftest import make_programme, make_session

pytestmark = pytest.mark.django_db(transaction=True)
CHART = "(s) => window.Chart && !!window.Chart.getChart(document.querySelector(s))"


def fits(session, label):
    """Screenshots at 1280 px and 390 px, with nothing cut off at either width."""
    page = session.page
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        # (Chart.js resizes its canvases on the next frames: let them settle)
        page.wait_for_timeout(300)
        assert overflow(page) <= 0, (label, width, overflow(page))
        session.shot(f"{label}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_feedback_report_and_needs_survey(open_session, jobs_in_thread, language):
    today = timezone.localdate()
    year = school_year_start(today)
    school = SchoolFactory(code="GLXX02", name="鼓楼区第二小学")
    SchoolYearFactory(district=school.district, start_year=year)
    office_user = user_with_role(Role.TRAINING_OFFICE, school=school, username="office",
                                 language=language)  # fmt: skip
    teacher_user = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    li = TeacherFactory(school=school, user=teacher_user, name="李明")
    programme = make_programme(school, title="新课标校本研修")
    session = make_session(programme, day=today - datetime.timedelta(days=2), theme="大单元作业")
    others = [TeacherFactory(school=school, name=f"学员{i}") for i in range(4)]
    observer = TeacherFactory(school=school, name="听课人")
    for teacher in [li, *others]:
        Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    for teacher, status in zip([li, *others], ["present"] * 3 + ["late", "absent"], strict=True):
        register_mark(session=session, teacher=teacher, status=status, by=office_user)
    questions = {q.key: q for q in questions_ensure(programme=programme)}
    for teacher, (c, s, text) in zip(
        others, [(5, 4, "案例很实用"), (4, 5, "希望多些互动"), (4, 4, "时间稍紧")], strict=False
    ):
        feedback_give(session=session, teacher=teacher, answers=[
            (questions["content"], c, ""), (questions["speaker"], s, ""),
            (questions["usefulness"], 4, ""), (questions["comment"], None, text),
        ])  # fmt: skip
    for teacher, before, during in zip(others[:3], (3, 2, 3), (4, 4, 5), strict=True):
        for day, rating in (
            (programme.start_date - datetime.timedelta(days=20), before),
            (programme.start_date + datetime.timedelta(days=20), during),
        ):
            Observation.objects.create(
                teacher=observer, observed_teacher=teacher, date=day, year=year, subject="语文",
                rating=rating, status="verified",
            )  # fmt: skip

    office = open_session(language, name=f"report-{language}-office")
    office.login("office")
    page = office.goto(f"/training/{programme.pk}/feedback/questions/")
    page.select_option("#id_kind", "yes_no")
    page.fill("#id_text", "会推荐给同事吗？")
    page.locator("main form.card [type=submit]").click()
    page.wait_for_selector(".alert-success")
    fits(office, "feedback-questions")

    phone = open_session(language, name=f"report-{language}-teacher")
    phone.page.set_viewport_size({"width": 390, "height": 844})
    phone.login("li")
    page_t = phone.goto("/training/mine/")
    page_t.locator(f"a[href='/training/sessions/{session.pk}/feedback/']").click()
    for name in ("content", "speaker", "usefulness"):
        q = questions[name]
        page_t.locator(f"input[name=q{q.pk}][value='5']").check()
    page_t.locator("input[type=radio][value='1']").last.check()  # the yes/no question: yes
    phone.shot("feedback-form")
    assert overflow(page_t) <= 0
    page_t.locator("main form [type=submit]").click()
    page_t.wait_for_selector(".alert-success")

    page = office.goto(f"/training/{programme.pk}/report/")
    for chart in ("attendance", "feedback", "effect"):
        page.wait_for_function(CHART, arg=f"[data-chart={chart}]")
    assert "80%" in page.inner_text("main")  # 4 of 5 attended
    assert "案例很实用" in page.inner_text("main")
    fits(office, "report")
    page.locator(f"form[action='/training/{programme.pk}/report/print/'] button").click()
    pdf = office.job_file("report-job")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"report-{language}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", path, ARTIFACTS / f"report-{language}-pdf"],
                   check=True)  # fmt: skip

    page = office.goto("/training/needs/")
    page.locator("main form.card [type=submit]").click()
    page.wait_for_url("**/training/needs/*/")
    survey = NeedsSurvey.objects.get()
    topics = {q.key: q for q in questions_of(survey)}
    for teacher, chosen in zip(others[:3], ((0, 1), (1,), (1, 4)), strict=True):
        survey_answer(survey=survey, teacher=teacher, answers=[
            *[(topics["topics"], n, "") for n in chosen], (topics["times"], 0, ""),
        ])  # fmt: skip
    page_t = phone.goto("/training/mine/")
    page_t.locator(f"a[href='/training/needs/{survey.pk}/answer/']").click()
    page_t.locator(f"input[name=q{topics['topics'].pk}][value='1']").check()
    page_t.locator(f"input[name=q{topics['forms'].pk}][value='0']").check()
    page_t.locator(f"input[name=q{topics['times'].pk}][value='3']").check()
    page_t.fill(f"textarea[name=q{topics['problems'].pk}]", "如何设计分层作业")
    phone.shot("needs-form")
    assert overflow(page_t) <= 0
    page_t.locator("main form [type=submit]").click()
    page_t.wait_for_selector(".alert-success")

    page = office.goto(f"/training/needs/{survey.pk}/")
    assert page.locator("a[href^='/training/new/?title=']").count() >= 1
    fits(office, "needs-results")
