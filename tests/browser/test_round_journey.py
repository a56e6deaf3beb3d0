"""Issue 3's "done when": a principal runs a school-level selection round end to end in the
browser — open, applications, nomination, secret scoring, proposal, 公示 with an objection,
confirmation — and the roster reflects it. Run once in Chinese and once in English."""

import datetime

import pytest

from backbone.models import Designation, SelectionRound
from core.models import Role
from scoring.models import Sheet
from tests.factories import SchoolFactory, TeacherFactory, TeachingGroupFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    group = TeachingGroupFactory(school=school, name="语文组")
    principal = user_with_role(Role.PRINCIPAL, school=school, username="wang")
    member = user_with_role(Role.COMMITTEE, school=school, username="chen")
    applicant = user_with_role(Role.TEACHER, school=school, username="li")
    TeacherFactory(school=school, user=applicant, name="李明", staff_no="X001", group=group)
    TeacherFactory(school=school, name="周红", staff_no="X002", group=group)
    colleague = user_with_role(Role.TEACHER, school=school, username="zhao")
    TeacherFactory(school=school, user=colleague, name="赵强", staff_no="X003", group=group)
    return {"school": school, "users": [principal, member, applicant, colleague]}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_principal_runs_a_school_round_to_confirmation(open_session, people, language):
    for user in people["users"]:
        user.language = language
        user.save()

    principal = open_session(language, name=f"round-{language}-principal")
    principal.login("wang")
    page = principal.goto("/backbone/rounds/new/")
    page.fill("input[name=title]", "2026学年校级骨干教师评选")
    page.fill("input[name=quota]", "1")
    page.get_by_label("chen", exact=False).check()
    principal.shot("open-round")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/backbone/rounds/*/")
    round = SelectionRound.objects.get()
    base = f"/backbone/rounds/{round.pk}"

    teacher = open_session(language, name=f"round-{language}-teacher")
    teacher.login("li")
    page_t = teacher.goto(f"{base}/apply/")
    page_t.fill("textarea[name=statement]", "近三年承担区级公开课两节，主持校级课题一项。")
    page_t.locator("form [type=submit]").last.click()
    page_t.wait_for_load_state()
    teacher.shot("applied")

    page.goto(principal.base_url + f"{base}/nominate/")
    page.get_by_label("周红", exact=False).check()
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"**{base}/")
    assert round.candidates.count() == 2
    # Closing before the application deadline asks first.
    page.once("dialog", lambda d: d.accept())
    page.locator(f"form[action='{base}/close/'] button").click()
    page.wait_for_load_state()

    member = open_session(language, name=f"round-{language}-committee")
    member.login("chen")
    page_m = member.goto(f"{base}/score/")
    li = round.candidates.get(teacher__name="李明")
    inputs = page_m.locator("input.score-input")
    assert inputs.count() == 2 * round.criteria.count()
    # A score above the maximum: the range check answers before any "cannot be changed"
    # question, and nothing is submitted.
    inputs.first.fill("150")
    asked = []

    def refuse(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page_m.on("dialog", refuse)
    page_m.locator("button[name=submit]").click()
    page_m.wait_for_load_state()
    assert asked == []
    assert page_m.locator("#score-sheet .text-danger.small").count() == 1
    assert not Sheet.objects.filter(panel=round.panel, submitted_at__isnull=False).exists()
    page_m.remove_listener("dialog", refuse)
    inputs = page_m.locator("input.score-input")
    for i in range(inputs.count()):
        # 李明 scores high, 周红 lower: the ranking must follow.
        name = inputs.nth(i).get_attribute("name")
        inputs.nth(i).fill("90" if name.startswith(f"s_{li.pk}_") else "70")
    member.shot("scoring")
    page_m.on("dialog", lambda d: d.accept())
    page_m.locator("button[name=submit]").click()
    page_m.wait_for_load_state()

    page.goto(principal.base_url + f"{base}/propose/")
    page.locator("button[name=default]").click()
    page.wait_for_load_state()
    page.goto(principal.base_url + f"{base}/announce/")
    page.fill("input[name=notice_contact]", "教导处 张老师 0591-1234567")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.status == SelectionRound.Status.ANNOUNCED
    proposed = [c.teacher.name for c in round.candidates.filter(proposed=True)]
    assert proposed == ["李明"]

    colleague = open_session(language, name=f"round-{language}-colleague")
    colleague.login("zhao")
    page_c = colleague.goto(f"/backbone/notices/{round.pk}/")
    assert "李明" in page_c.content()
    colleague.shot("notice")
    page_c.goto(colleague.base_url + f"/backbone/notices/{round.pk}/object/")
    page_c.fill("textarea[name=text]", "希望公布评分细则。")
    page_c.locator("form [type=submit]").last.click()
    page_c.wait_for_load_state()

    objection = round.objections.get()
    page.goto(principal.base_url + f"/backbone/rounds/objections/{objection.pk}/handle/")
    page.check("input[name=outcome][value=dismissed]")
    page.fill("textarea[name=response]", "评分细则已在评选方案中公布，异议不成立。")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()

    # The 公示 window passes (moved into the past rather than waiting five days).
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    SelectionRound.objects.filter(pk=round.pk).update(
        announce_from=yesterday - datetime.timedelta(days=5), announce_until=yesterday
    )
    page.goto(principal.base_url + f"{base}/")
    page.on("dialog", lambda d: d.accept())
    page.locator(f"form[action='{base}/confirm/'] button").click()
    page.wait_for_load_state()
    principal.shot("confirmed")
    designation = Designation.objects.get()
    assert designation.teacher.name == "李明" and designation.round_id == round.pk
    assert designation.tier.code == "school"

    page.goto(principal.base_url + "/backbone/roster/")
    assert page.get_by_role("link", name="李明").count() >= 1
    principal.shot("roster")
