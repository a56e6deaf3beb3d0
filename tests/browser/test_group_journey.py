"""Issue 16's browser journey: a group head plans a week, sets up its activity, shows the
sign-in code on the projector while a member signs in on a phone and another is ticked on
the register, writes the minutes, and moves a unit through collective preparation (初备 →
共案 → 个案 and reflection) until it is on the member's record."""

import pytest
from django.utils import timezone

from core.models import Role, TeachingGroup, school_year_start
from records.models import Paper
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, user_with_role
from training.models import Attendance

pytestmark = pytest.mark.django_db(transaction=True)


def _people(language):
    today = timezone.localdate()
    school = SchoolFactory(code="GLXX16", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=school_year_start(today))
    group = TeachingGroup.objects.create(school=school, name="语文组")
    people = {}
    for username, name in (("zhou", "周组长"), ("qian", "钱老师"), ("sun", "孙老师")):
        user = user_with_role(Role.TEACHER, school=school, username=username, language=language)
        people[username] = TeacherFactory(school=school, user=user, name=name, group=group)
    group.heads.add(people["zhou"].user)
    return today, group, people


def _submit(page):
    page.locator("main form button[type=submit].btn-primary").first.click()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_head_plans_a_week_runs_an_activity_and_moves_a_unit(open_session, language):
    today, group, people = _people(language)
    head = open_session(language, name=f"groups-{language}-head")
    head.login("zhou")
    page = head.goto(f"/groups/{group.pk}/")
    head.shot("group")
    page.locator(f"a[href='/groups/{group.pk}/plans/new/']").click()
    page.select_option("select[name=weekday]", str(today.isoweekday()))
    page.fill("input[name=starts_at]", "00:00")
    page.fill("input[name=ends_at]", "23:59")
    page.fill("input[name=place]", "三楼语文教研室")
    _submit(page)
    page.wait_for_url("**/groups/plans/*/")
    plan = group.plans.get()
    week = plan.week_of(today)

    # Plan this week, then set up its activity from the plan.
    form = page.locator("form[action$='/weeks/']")
    form.locator("input[name=week]").fill(str(week))
    form.locator("select[name=kind]").select_option("collective_prep")
    form.locator("input[name=theme]").fill("集体备课：第三单元")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"a[href$='?week={week}']")
    page.locator(f"a[href$='?week={week}']").click()
    assert page.input_value("input[name=theme]") == "集体备课：第三单元"
    page.fill("textarea[name=content]", "主备人说课，组内研讨形成共案。")
    _submit(page)
    page.wait_for_url("**/groups/activities/*/")
    activity = plan.activities.get()
    head.shot("activity")

    # Sign-in: the projector's code on a phone, and the register for one who forgot a phone.
    page = head.goto(f"/training/sessions/{activity.session.pk}/projector/")
    code = page.inner_text("[data-testid=short-code]").strip()
    phone = open_session(language, name=f"groups-{language}-member")
    phone.page.set_viewport_size({"width": 390, "height": 844})
    phone.login("qian")
    page_m = phone.goto("/training/sign-in/")
    page_m.fill("#short_code", code)
    page_m.locator("main form [type=submit]").click()
    page_m.wait_for_selector(".alert-success")
    page = head.goto(f"/training/sessions/{activity.session.pk}/register/")
    line = page.locator(f"form:has(input[name=teacher][value='{people['sun'].pk}'])")
    line.locator("button[value=present]").click()
    page.wait_for_selector(
        f"form:has(input[name=teacher][value='{people['sun'].pk}']) "
        "button[value=present][aria-pressed=true]"
    )
    # (signing in long after the start counts as late: attended all the same)
    attended = Attendance.objects.filter(session=activity.session, status__in=Attendance.ATTENDED)
    assert set(attended.values_list("teacher__name", flat=True)) == {"钱老师", "孙老师"}

    page = head.goto(f"/groups/activities/{activity.pk}/")
    page.fill("textarea[name=minutes]", "确定第三单元共案，钱老师主备。")
    page.locator("form[action$='/minutes/'] button[type=submit]").click()
    page.wait_for_selector(".alert-success")

    # Collective preparation: the head gives the unit to 钱老师, who drafts it.
    page = head.goto(f"/groups/plans/{plan.pk}/units/new/")
    page.fill("input[name=title]", "第三单元《草船借箭》")
    page.select_option("select[name=main_preparer]", str(people["qian"].pk))
    page.select_option("select[name=activity]", str(activity.pk))
    _submit(page)
    page.wait_for_url("**/groups/units/*/")
    unit = plan.units.get()
    page_m = phone.goto(f"/groups/units/{unit.pk}/")
    page_m.fill("textarea[name=draft]", "教学目标：按起因、经过、结果讲述故事。")
    page_m.locator("form[action$='/draft/'] button[type=submit]").click()
    page_m.wait_for_selector(".alert-success")
    phone.shot("draft")
    page = head.goto(f"/groups/units/{unit.pk}/")
    page.fill("textarea[name=text]", "第二课时加一个复述活动。")
    page.locator("form[action$='/comment/'] button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    page.locator("form[action$='/agree/'] button[type=submit]").click()
    page.wait_for_selector("form[action$='/adapt/']")
    page_m = phone.goto(f"/groups/units/{unit.pk}/")
    page_m.fill("input[name=class_name]", "五(2)班")
    page_m.fill("input[name=taught_on]", today.isoformat())
    page_m.fill("textarea[name=reflection]", "复述环节学生参与度高。")
    page_m.locator("form[action$='/adapt/'] button[type=submit]").click()
    page_m.wait_for_selector(".alert-success")
    phone.shot("adapted")
    assert Paper.objects.filter(teacher=people["qian"], result_kind="design").count() == 1

    page = head.goto(f"/groups/plans/{plan.pk}/")
    head.shot("plan")
    head.page.set_viewport_size({"width": 390, "height": 844})
    for path, label in ((f"/groups/plans/{plan.pk}/", "plan-phone"),
                        (f"/groups/units/{unit.pk}/", "unit-phone"),
                        (f"/groups/{group.pk}/", "group-phone")):  # fmt: skip
        page = head.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        head.shot(label)
