"""Issue 14's browser journey: the training office publishes a session, the projector shows
the sign-in code, a teacher on a phone-size screen signs in with it, and the hours appear on
*My growth* without anybody typing them in."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Role, school_year_start
from tests.factories import SchoolFactory, SchoolYearFactory, TeacherFactory, user_with_role
from training.models import Attendance, Enrolment, Programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_office_publishes_projector_shows_code_teacher_signs_in_on_a_phone(open_session, language):
    today = timezone.localdate()
    year = school_year_start(today)
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    SchoolYearFactory(district=school.district, start_year=year)
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    teacher_user = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    teacher = TeacherFactory(school=school, user=teacher_user, name="李明")
    programme = Programme.objects.create(
        school=school, district=school.district, title="新课标校本研修",
        kind=Programme.Kind.SCHOOL_BASED, start_date=datetime.date(year, 9, 1),
        end_date=datetime.date(year + 1, 8, 31), hours_per_session=Decimal(3),
    )  # fmt: skip
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")

    office = open_session(language, name=f"training-{language}-office")
    office.login("office")
    page = office.goto(f"/training/{programme.pk}/sessions/new/")
    page.fill("input[name=date]", today.isoformat())
    page.fill("input[name=starts_at]", "00:00")
    page.fill("input[name=ends_at]", "23:59")
    page.fill("input[name=theme]", "大单元教学设计")
    page.fill("input[name=speaker_name]", "王教授")
    page.fill("textarea[name=content]", "单元目标与评价任务")
    page.locator("button[name=publish]").click()
    page.wait_for_url(f"**/training/{programme.pk}/")
    session = programme.sessions.get()
    assert session.is_published
    page = office.goto(f"/training/sessions/{session.pk}/projector/")
    code = page.inner_text("[data-testid=short-code]").strip()
    assert len(code) == 6
    office.shot("projector")

    phone = open_session(language, name=f"training-{language}-teacher")
    phone.page.set_viewport_size({"width": 390, "height": 844})
    phone.login("li")
    page_t = phone.goto("/training/mine/")
    page_t.locator(f"a[href$='?s={session.code}']").click()
    page_t.fill("#short_code", code.lower())
    page_t.locator("main form [type=submit]").click()
    page_t.wait_for_selector(".alert-success")
    phone.shot("signed-in")
    assert Attendance.objects.get(teacher=teacher).attended
    page_t = phone.goto("/records/growth/")
    assert "新课标校本研修" in page_t.content()
    phone.shot("growth")
