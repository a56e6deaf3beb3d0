"""District-run selection in the browser: the district office opens a round with a quota per
school, two schools nominate from their reserve pools (one also recommends a teacher upward,
推荐上报, and the district takes them in), the committee scores, the 公示 is read by a teacher
of another school of the district, and confirmation designates each teacher at their own
school. Run once in Chinese and once in English; the key pages are kept at 1280 and 390 px."""

import datetime

import pytest

from backbone.models import Designation, EligibilityRuleSet, SelectionRound
from backbone.services.reserve import reserve_add
from core.models import Role
from tests.factories import SchoolFactory, TeacherFactory, tier, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    school_a = SchoolFactory(code="CG01", name="城关第一小学")
    district = school_a.district
    school_b = SchoolFactory(code="CG02", name="城关第二小学", district=district)
    district_tier = tier(district, "district")
    EligibilityRuleSet.objects.filter(tier=district_tier, school=None).delete()
    EligibilityRuleSet.objects.create(tier=district_tier, school=None, min_years_teaching=5)
    office = user_with_role(Role.DISTRICT_OFFICE, district=district, username="qu")
    principal_a = user_with_role(Role.PRINCIPAL, school=school_a, username="pa")
    principal_b = user_with_role(Role.PRINCIPAL, school=school_b, username="pb")
    member = user_with_role(Role.COMMITTEE, school=school_a, username="chen")
    reader = user_with_role(Role.TEACHER, school=school_b, username="tb")
    TeacherFactory(school=school_b, user=reader, name="孙老师", staff_no="B900")
    for sch, by, names in (
        (school_a, principal_a, ("王芳", "刘洋")),
        (school_b, principal_b, ("陈静", "赵磊")),
    ):
        for name in names:
            teacher = TeacherFactory(school=sch, name=name)
            reserve_add(teacher=teacher, tier=district_tier, reason="教学突出", by=by)
    return {
        "schools": (school_a, school_b),
        "users": [office, principal_a, principal_b, member, reader],
    }


def phone_shot(session, label):
    session.page.set_viewport_size({"width": 390, "height": 844})
    session.shot(f"{label}-390")
    session.page.set_viewport_size({"width": 1280, "height": 900})


def nominate(session, base, name):
    page = session.goto(f"{base}/")
    page.locator(f"a[href^='{base}/nominate/']").first.click()
    page.wait_for_url(f"**{base}/nominate/*")
    page.get_by_label(name, exact=False).check()
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(f"**{base}/")
    return page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_district_runs_its_selection_with_its_schools(open_session, people, language):
    for user in people["users"]:
        user.language = language
        user.save()
    school_a, school_b = people["schools"]

    # The district office opens the round: one nomination per school, two for school B.
    office = open_session(language, name=f"district-round-{language}-office")
    office.login("qu")
    page = office.goto("/backbone/rounds/new/")
    page.fill("input[name=title]", "2026学年区级骨干教师评选")
    page.fill("input[name=quota]", "2")
    page.fill("input[name=school_quota]", "1")
    page.fill(f"input[name=quota_school_{school_b.pk}]", "2")
    page.get_by_label("chen", exact=False).check()
    office.shot("open-round")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/backbone/rounds/*/")
    round = SelectionRound.objects.get()
    assert round.is_district and round.quota_for(school_b.pk) == 2
    base = f"/backbone/rounds/{round.pk}"

    # School A nominates from its reserve pool, then finds its quota full.
    principal_a = open_session(language, name=f"district-round-{language}-school-a")
    principal_a.login("pa")
    page_a = nominate(principal_a, base, "王芳")
    page_a = principal_a.goto(f"{base}/nominate/")
    assert page_a.locator("#school-quota.alert-warning").count() == 1  # the quota is full
    assert "刘洋" in page_a.content()
    principal_a.shot("nominate-full")
    phone_shot(principal_a, "nominate-full")

    # School B nominates one and recommends another upward; the district takes that one in.
    principal_b = open_session(language, name=f"district-round-{language}-school-b")
    principal_b.login("pb")
    page_b = nominate(principal_b, base, "陈静")
    assert "王芳" not in page_b.locator("#candidates").inner_text()  # only its own nominees
    principal_b.shot("round-school-b")
    phone_shot(principal_b, "round-school-b")
    page_b = principal_b.goto("/backbone/rounds/recommendations/")
    page_b.get_by_label("赵磊", exact=False).check()
    page_b.fill("textarea[name=reason]", "区级公开课一等奖，带教青年教师两名。")
    page_b.locator("#recommend form [type=submit], #recommend [type=submit]").last.click()
    page_b.wait_for_load_state()
    principal_b.shot("recommended")

    page = office.goto("/backbone/rounds/recommendations/")
    office.shot("recommendations")
    phone_shot(office, "recommendations")
    page.locator("table.recommendations form button").first.click()
    page.wait_for_load_state()
    names = set(round.candidates.values_list("teacher__name", flat=True))
    assert names == {"王芳", "陈静", "赵磊"}

    page = office.goto(f"{base}/")
    assert page.locator("#quota-rows").count() == 1
    office.shot("round-office")
    page.once("dialog", lambda d: d.accept())
    page.locator(f"form[action='{base}/close/'] button").click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.status == SelectionRound.Status.SCORING

    # The committee scores: 王芳 highest, then 陈静, then 赵磊.
    member = open_session(language, name=f"district-round-{language}-committee")
    member.login("chen")
    page_m = member.goto(f"{base}/score/")
    order = {"王芳": "9", "陈静": "8", "赵磊": "7"}
    marks = {c.pk: order[c.teacher.name] for c in round.candidates.select_related("teacher")}
    inputs = page_m.locator("input.score-input")
    for i in range(inputs.count()):
        name = inputs.nth(i).get_attribute("name")
        candidate_pk = int(name.split("_")[1])
        inputs.nth(i).fill(marks[candidate_pk])
    member.shot("scoring")
    page_m.on("dialog", lambda d: d.accept())
    page_m.locator("button[name=submit]").click()
    page_m.wait_for_load_state()

    page = office.goto(f"{base}/propose/")
    page.locator("button[name=default]").click()
    page.wait_for_load_state()
    page = office.goto(f"{base}/announce/")
    page.fill("input[name=notice_contact]", "区教师发展中心 张老师 0591-7654321")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.status == SelectionRound.Status.ANNOUNCED
    assert set(round.candidates.filter(proposed=True).values_list("teacher__name", flat=True)) == {
        "王芳",
        "陈静",
    }

    # The 公示 reaches a teacher of school B, who sees school A's candidate too.
    reader = open_session(language, name=f"district-round-{language}-reader")
    reader.login("tb")
    page_r = reader.goto("/backbone/notices/")
    page_r.get_by_role("link", name="2026学年区级骨干教师评选").click()
    page_r.wait_for_url(f"**/backbone/notices/{round.pk}/")
    text = page_r.content()
    assert "王芳" in text and "陈静" in text and "赵磊" not in text
    reader.shot("notice")
    phone_shot(reader, "notice")

    # The 公示 window passes (moved into the past rather than waiting).
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    SelectionRound.objects.filter(pk=round.pk).update(
        announce_from=yesterday - datetime.timedelta(days=5), announce_until=yesterday
    )
    page = office.goto(f"{base}/")
    page.on("dialog", lambda d: d.accept())
    page.locator(f"form[action='{base}/confirm/'] button").click()
    page.wait_for_load_state()
    office.shot("confirmed")
    designations = Designation.objects.filter(round=round).select_related("teacher__school")
    assert {(d.teacher.name, d.teacher.school_id) for d in designations} == {
        ("王芳", school_a.pk),
        ("陈静", school_b.pk),
    }
    # Each school reads its teacher's designation on its own roster.
    page_b = principal_b.goto("/backbone/roster/")
    assert page_b.get_by_role("link", name="陈静").count() >= 1
    assert page_b.get_by_role("link", name="王芳").count() == 0
