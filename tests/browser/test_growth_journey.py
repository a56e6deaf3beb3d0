"""Young teachers' growth in the browser: the office records a post and a title on the
teacher's page, looks at the young teachers holding posts and at the stage duties, and prints
the growth handbook with the principal's foreword; the teacher sees on My growth what their
stage expects. Every page fits a desktop (1280 px) and a phone (390 px)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.services.duties import duty_templates_ensure_defaults
from core.models import Role, school_year_start
from teachers.models import Title
from tests.browser.test_page_width import page_width
from tests.factories import OpenClassFactory, SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def fits(session, label):
    page = session.page
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        measured = page_width(page)
        assert measured["scroll"] <= measured["window"], (label, width, measured)
        session.shot(f"{label}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_office_keeps_a_young_teachers_growth_and_prints_the_handbook(
    open_session, jobs_in_thread, tmp_path, settings, language
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    year = school_year_start(timezone.localdate())
    school = SchoolFactory(code="GLXX02", name="鼓楼区第二小学")
    duty_templates_ensure_defaults(district=school.district, year=year)
    user = user_with_role(Role.TEACHER, school=school, username="chen", language=language)
    teacher = TeacherFactory(
        school=school, user=user, name="陈晨", title=Title.NONE,
        birth_date=datetime.date(year - 26, 3, 1), career_start=datetime.date(year - 1, 9, 1),
    )  # fmt: skip
    OpenClassFactory(teacher=teacher, year=year, semester=1, class_kind="research",
                     status="verified", date=datetime.date(year, 10, 9))  # fmt: skip
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)

    office = open_session(language, name=f"growth-{language}-office")
    office.login("office")
    page = office.goto(reverse("teachers:career", args=[teacher.pk]))
    page.select_option("select[name=post-post]", "class_teacher")
    page.fill("input[name=post-started_on]", f"{year}-09-01")
    page.locator("input[name=form][value=post] ~ button[type=submit]").click()
    page.wait_for_load_state()
    page.select_option("select[name=title-title]", str(Title.SECOND))
    page.fill("input[name=title-awarded_on]", f"{year - 1}-12-20")
    page.fill("input[name=title-note]", "证书2024-118")
    page.locator("input[name=form][value=title] ~ button[type=submit]").click()
    page.wait_for_load_state()
    teacher.refresh_from_db()
    assert teacher.title == Title.SECOND and teacher.posts == ["class_teacher"]
    fits(office, "career")
    page = office.goto(reverse("teachers:detail", args=[teacher.pk]))
    assert "证书2024-118" not in page.content()  # the note stays on the history page
    fits(office, "teacher")
    office.goto(reverse("teachers:posts_overview"))
    fits(office, "posts-overview")
    office.goto(reverse("assessment:duties_grid") + f"?year={year}&stage=adaptation")
    assert "陈晨" in office.page.content()
    fits(office, "stage-grid")

    page = office.goto(reverse("teachers:detail", args=[teacher.pk]))
    page.locator("details.handbook-print summary").click()
    page.fill("input[name=foreword]", "望你早日成为骨干。")
    page.locator("details.handbook-print button[type=submit]").click()
    data = office.job_file("handbook-job")
    assert data.startswith(b"%PDF")
    (tmp_path.parent / f"journey-handbook-{language}.pdf").write_bytes(data)

    own = open_session(language, name=f"growth-{language}-teacher")
    own.login("chen")
    page = own.goto(reverse("records:growth"))
    assert page.locator("#stage-expectations").is_visible()
    fits(own, "my-growth")
