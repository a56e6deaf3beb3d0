"""Issue 15's "done when": each role's journey starts from its home page and reaches its main
task by following what the page says. Every test logs in, lands on "/" and from there only
clicks what the pages show (links and buttons by their visible words), never typing a URL."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from backbone.models import SelectionRound
from backbone.services import rounds as round_services
from core.models import Role, TeachingGroup, school_year_start
from records.models import OpenClass, Status
from tests.backbone.test_rounds_services import open_round
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


def words(language: str, text: str) -> str:
    """What the page shows for ``text`` in ``language`` (the catalogue's own wording)."""
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def school():
    school = SchoolFactory(code="GLXX15", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=YEAR)
    return school


def a_past_class(teacher, **fields) -> OpenClass:
    """An open class held a week ago on a weekday, within this school year."""
    day = max(TODAY - datetime.timedelta(days=7), datetime.date(YEAR, 9, 1))
    while day.isoweekday() > 5:
        day -= datetime.timedelta(days=1)
    return OpenClassFactory(teacher=teacher, date=day, year=YEAR, semester=1, **fields)


def home_section(page, role: str):
    return page.locator(f"section.home-section:has(#home-{role})")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_teacher_follows_a_returned_record_to_resubmitting_it(open_session, school, language):
    user = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    teacher = TeacherFactory(school=school, user=user, name="李明", subject="语文")
    record = a_past_class(
        teacher,
        topic="《落花生》",
        status=Status.RETURNED,
        return_reason="请补充研究主题后再提交。",
    )
    session = open_session(language, name=f"journey-teacher-{language}")
    session.login("li")
    page = session.page
    mine = home_section(page, Role.TEACHER)
    returned = mine.locator("li.home-todo", has=page.locator(".bi-arrow-return-left"))
    assert "请补充研究主题后再提交。" in returned.inner_text()  # the reason, on the home page
    session.shot("home")
    returned.get_by_role("link", name=re.compile("《落花生》")).click()
    page.wait_for_url(f"**/records/{record.pk}/edit/")
    reason = page.locator(".alert", has_text=words(language, "Returned:"))
    assert "请补充研究主题后再提交。" in reason.inner_text()
    page.fill("input[name=research_theme]", "阅读策略")
    page.get_by_role("button", name=words(language, "Save and submit")).click()
    page.wait_for_load_state()
    session.shot("resubmitted")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.research_theme == "阅读策略"
    with translation.override(language):
        submitted = str(Status.SUBMITTED.label)
    assert page.locator(".record-status-submitted", has_text=submitted).count() >= 1


def test_the_office_follows_the_waiting_count_to_verifying_a_record(open_session, school):
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office")
    teacher = TeacherFactory(school=school, name="周红")
    record = a_past_class(
        teacher, topic="《草船借箭》", status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    session = open_session("zh-hans", name="journey-office")
    session.login("office")
    page = session.page
    office = home_section(page, Role.TRAINING_OFFICE)
    office.get_by_role("link", name=re.compile(r"^\s*1\s*条记录待审核")).first.click()
    page.wait_for_url("**/records/verification/")
    assert page.get_by_role("heading", name="待审核记录").is_visible()
    row = page.locator("tr", has_text="《草船借箭》")
    row.get_by_role("button", name="审核通过").click()
    page.get_by_text("“《草船借箭》”已审核通过。").wait_for()  # the row says so in place
    session.shot("verified")
    record.refresh_from_db()
    assert record.status == Status.VERIFIED
    assert page.get_by_role("button", name="审核通过", exact=True).count() == 0


def test_a_committee_member_follows_the_sheet_due_to_submitting_scores(open_session, school):
    principal = user_with_role(Role.PRINCIPAL, school=school, username="wang")
    member = user_with_role(Role.COMMITTEE, school=school, username="chen")
    round = open_round(school=school, by=principal, committee=[member], title="校级骨干教师评选")
    for name in ("王芳", "刘洋"):
        teacher = TeacherFactory(school=school, name=name)
        round_services.candidate_nominate(round=round, teacher=teacher, by=principal)
    round_services.round_close_applications(round=round, by=principal)
    session = open_session("zh-hans", name="journey-committee")
    session.login("chen")
    page = session.page
    due = home_section(page, Role.COMMITTEE)
    assert "1份评分表待提交" in due.inner_text()
    # The round sets no date for the committee; closed early, no later "since" date is shown.
    assert due.locator("li.text-break").inner_text().endswith("— 未设截止日期")
    session.shot("home")
    due.get_by_role("link", name=re.compile("校级骨干教师评选")).click()
    page.wait_for_url(f"**/backbone/rounds/{round.pk}/score/")
    inputs = page.locator("input.score-input")
    assert inputs.count() == 2 * round.criteria.count()
    for i in range(inputs.count()):
        inputs.nth(i).fill("8")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state()
    session.shot("submitted")
    assert page.get_by_role("alert").filter(has_text="您的评分表已提交。").is_visible()
    assert round.panel.sheets.filter(member=member, submitted_at__isnull=False).count() == 1


def test_a_principal_follows_terms_ending_to_opening_a_round(open_session, school):
    user_with_role(Role.PRINCIPAL, school=school, username="wang")
    user_with_role(Role.COMMITTEE, school=school, username="chen")
    DesignationFactory(
        teacher=TeacherFactory(school=school, name="李明"), first_year=YEAR - 2, last_year=YEAR
    )
    session = open_session("zh-hans", name="journey-principal")
    session.login("wang")
    page = session.page
    terms = home_section(page, Role.PRINCIPAL).locator(
        "li.home-todo", has=page.locator(".bi-hourglass-split")
    )
    assert "李明" in terms.inner_text()
    terms.get_by_role("link", name="发起评选").click()
    page.wait_for_url("**/backbone/rounds/new/")
    session.shot("form")
    page.fill("input[name=title]", f"{YEAR}学年校级骨干教师评选")
    page.fill("input[name=quota]", "1")
    page.get_by_label("chen", exact=False).check()
    page.locator("main form [type=submit]").last.click()
    page.wait_for_url("**/backbone/rounds/*/")
    session.shot("round")
    round = SelectionRound.objects.get()
    assert page.get_by_role("heading", name=round.title).count() >= 1


def test_the_district_office_follows_a_school_behind_to_its_figures(open_session, school):
    from assessment.services.duties import duty_templates_ensure_defaults

    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    SchoolFactory(district=school.district, code="GLXX16", name="鼓楼区第二小学")
    user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="district")
    DesignationFactory(
        teacher=TeacherFactory(school=school, name="李明"), first_year=YEAR - 1, last_year=YEAR
    )
    session = open_session("zh-hans", name="journey-district")
    session.login("district")
    page = session.page
    behind = home_section(page, Role.DISTRICT_OFFICE)
    assert "1所学校骨干教师任职义务进度落后" in behind.inner_text()
    behind.get_by_role("link", name=school.name).click()
    page.wait_for_url(f"**/assessment/duties/?school={school.pk}&year={YEAR}")
    session.shot("figures")
    assert page.get_by_role("heading", name="骨干教师职责完成情况").is_visible()
    # The filters say which school and year the figures are of.
    chosen = "s => s.options[s.selectedIndex].text"
    assert page.get_by_label("学校", exact=True).evaluate(chosen) == school.name
    assert page.get_by_label("学年", exact=True).evaluate(chosen) == f"{YEAR}–{YEAR + 1}"
    assert page.get_by_role("link", name="李明").is_visible()


def test_a_group_head_follows_the_groups_menu_to_a_new_plan(open_session, school):
    group = TeachingGroup.objects.create(school=school, name="语文组")
    user = user_with_role(Role.TEACHER, school=school, username="zhou")
    TeacherFactory(school=school, user=user, name="周组长", group=group)
    group.heads.add(user)
    session = open_session("zh-hans", name="journey-group-head")
    session.login("zhou")
    page = session.page
    page.get_by_role("button", name="业务记录").click()
    page.get_by_role("link", name="教研组").click()
    page.wait_for_url("**/groups/")
    page.get_by_role("link", name="语文组").click()
    page.get_by_role("link", name="新建学期计划").click()
    page.select_option("select[name=weekday]", "3")
    page.fill("input[name=starts_at]", "15:00")
    page.fill("input[name=ends_at]", "16:30")
    page.fill("input[name=place]", "三楼语文教研室")
    page.locator("main form button[type=submit].btn-primary").first.click()
    page.wait_for_url("**/groups/plans/*/")
    session.shot("plan")
    plan = group.plans.get()
    with translation.override("zh-hans"):
        semester = str(plan.semester)
    assert page.get_by_role("heading", name=re.compile(re.escape(semester))).count()
