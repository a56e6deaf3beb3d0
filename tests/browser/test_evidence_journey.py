"""The title-appraisal evidence pack in the browser: the teacher finds it on My growth and on
their own page, picks the years and the title applied for, and downloads the PDF. The pages
fit a desktop (1280 px) and a phone (390 px)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role, school_year_start
from teachers import services
from teachers.models import Title
from tests.browser.test_growth_journey import fits
from tests.factories import OpenClassFactory, SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_teacher_prints_their_evidence_pack(
    open_session, jobs_in_thread, tmp_path, settings, language
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX05", name="鼓楼区第五小学")
    user = user_with_role(Role.TEACHER, school=school, username="liu", language=language)
    teacher = TeacherFactory(school=school, user=user, name="刘芳",
                             career_start=datetime.date(year - 10, 9, 1))  # fmt: skip
    services.title_award_add(teacher=teacher, title=Title.FIRST,
                             awarded_on=datetime.date(year - 5, 12, 20))  # fmt: skip
    OpenClassFactory(teacher=teacher, year=year, semester=1, class_kind="research",
                     status="verified", date=datetime.date(year, 10, 9))  # fmt: skip

    own = open_session(language, name=f"evidence-{language}-teacher")
    own.login("liu")
    page = own.goto(reverse("records:growth"))
    page.locator("#evidence-pack details.evidence-print summary").click()
    fits(own, "my-growth")
    page = own.goto(reverse("teachers:detail", args=[teacher.pk]))
    page.locator("details.evidence-print summary").click()
    fits(own, "teacher-page")
    page.select_option("select[name=years]", "6")
    page.select_option("select[name=applied_title]", str(Title.SENIOR))
    page.locator("details.evidence-print button[type=submit]").click()
    data = own.job_file("evidence-job")
    assert data.startswith(b"%PDF")
    (tmp_path.parent / f"journey-evidence-{language}.pdf").write_bytes(data)
