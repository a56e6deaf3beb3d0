"""A mentor (师傅) works through the pairing: logs a guidance session and an observation of the
apprentice's class; the apprentice confirms the session in place — in Chinese and in English."""

import datetime

import pytest
from django.utils import timezone

from core.models import Role
from mentoring.models import GuidanceSession, Pairing
from records.models import Observation, Status
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pairing():
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    people = {}
    for username, name in (("mentor", "王建国"), ("apprentice", "李小梅")):
        user = user_with_role(Role.TEACHER, school=school, username=username)
        people[username] = TeacherFactory(school=school, user=user, name=name, subject="数学")
    today = timezone.localdate()
    return Pairing.objects.create(
        school=school,
        mentor=people["mentor"],
        apprentice=people["apprentice"],
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=200),
        goals="一年内独立上好区级公开课",
        mentor_duties="每周听课一节，指导教学设计",
        apprentice_duties="每周听师傅课一节",
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_mentor_logs_guidance_and_an_observation(open_session, pairing, language):
    for teacher in (pairing.mentor, pairing.apprentice):
        teacher.user.language = language
        teacher.user.save()
    detail = f"/mentoring/{pairing.pk}/"

    mentor = open_session(language, name=f"mentor-{language}-mentor")
    mentor.login("mentor")
    page = mentor.goto("/mentoring/")
    page.locator(f"a[href='{detail}']").first.click()
    page.wait_for_url(f"**{detail}")
    assert "李小梅" in page.content()
    mentor.shot("pairing")

    page.locator(f"#sessions a[href='{detail}sessions/new/']").click()
    page.select_option("select[name=kind]", GuidanceSession.Kind.LESSON_PLAN)
    page.fill("textarea[name=notes]", "分数的初步认识：导入环节用分蛋糕情境，时间控制在五分钟内。")
    page.fill("textarea[name=follow_up]", "修改教学设计后下周再磨一次课。")
    mentor.shot("session-form")
    page.locator("form:has(textarea[name=notes]) button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    session = GuidanceSession.objects.get()
    assert session.logged_by == pairing.mentor.user and session.confirmed_at is None
    assert "分蛋糕情境" in page.locator(f"#session-{session.pk}").inner_text()

    page.locator(f"#observations a[href='{detail}observe/']").click()
    page.fill("input[name=class_name]", "三年级（2）班")
    page.select_option("select[name=rating]", "4")
    page.fill("textarea[name=notes]", "教态自然，小组合作分工不够明确。")
    page.locator("button[name=save_submit]").click()
    page.wait_for_url(f"**{detail}")
    observation = Observation.objects.get()
    assert observation.pairing_id == pairing.pk and observation.status == Status.SUBMITTED
    assert observation.teacher == pairing.mentor
    assert observation.observed_teacher == pairing.apprentice
    assert "三年级（2）班" in page.locator("#observations").inner_text()
    mentor.shot("logged")

    apprentice = open_session(language, name=f"mentor-{language}-apprentice")
    apprentice.login("apprentice")
    page_a = apprentice.goto(detail)
    row = page_a.locator(f"#session-{session.pk}")
    row.locator("button[type=submit]").click()  # htmx swaps the row in place
    row.locator(".badge.text-bg-success").wait_for()
    apprentice.shot("confirmed")
    session.refresh_from_db()
    assert session.confirmed_by == pairing.apprentice.user
