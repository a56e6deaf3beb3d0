"""Issue 4's "done when": a teacher logs an open class with an attachment and submits it, the
training office returns it with a reason, the teacher corrects and resubmits, the office
verifies it, and "My growth" shows it verified — in Chinese and in English."""

import pytest
from django.utils import translation

from core.models import Role
from records.models import OpenClass, Status
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_teacher_logs_office_returns_then_verifies(open_session, tmp_path, settings, language):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    teacher_user = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    TeacherFactory(school=school, user=teacher_user, name="李明", subject="语文")
    user_with_role(Role.TRAINING_OFFICE, school=school, username="office", language=language)
    design = tmp_path / "教学设计.pdf"
    design.write_bytes(PDF)

    teacher = open_session(language, name=f"records-{language}-teacher")
    teacher.login("li")
    page = teacher.goto("/records/new/open_class/")
    page.fill("input[name=topic]", "《落花生》")
    page.select_option("select[name=class_kind]", "demonstration")
    page.fill("input[name=grade_class]", "五年级（2）班")
    page.fill("input[name=place]", "录播教室")
    page.locator("[name=save]").click()
    page.wait_for_url("**/records/*/")
    record = OpenClass.objects.get()
    page.set_input_files("input[type=file][name=file]", str(design))
    page.locator(f"#attachments-{record.pk} form[enctype] button[type=submit]").click()
    page.get_by_role("link", name="教学设计.pdf").wait_for()
    teacher.shot("with-attachment")
    page.locator(f"form[action$='/records/{record.pk}/submit/'] button").click()
    page.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED

    office = open_session(language, name=f"records-{language}-office")
    office.login("office")
    page_o = office.goto("/records/verification/")
    assert "《落花生》" in page_o.content()
    office.shot("queue")
    page_o = office.goto(f"/records/{record.pk}/return/")
    page_o.fill("textarea[name=reason]", "请补充教学反思。")
    page_o.locator("form:has(textarea[name=reason]) [type=submit]").click()
    page_o.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == Status.RETURNED

    page.goto(teacher.base_url + "/records/growth/")
    assert "请补充教学反思。" in page.content()
    page.goto(teacher.base_url + f"/records/{record.pk}/edit/")
    page.fill("input[name=research_theme]", "阅读策略")
    page.locator("[name=save_submit]").click()
    page.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.research_theme == "阅读策略"

    page_o.goto(office.base_url + "/records/verification/")
    page_o.locator(f"input[type=checkbox][value='{record.pk}']").check()
    page_o.locator("form[action$='/verification/verify/'] button[type=submit]").first.click()
    page_o.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == Status.VERIFIED

    page.goto(teacher.base_url + "/records/growth/")
    with translation.override(language):
        verified = str(Status.VERIFIED.label)
    assert page.locator(".record-status-verified", has_text=verified).count() >= 1
    teacher.shot("growth")
    page.goto(teacher.base_url + f"/records/{record.pk}/")
    assert page.locator(".record-status-verified").first.inner_text() == verified
    assert page.locator(f"form[action$='/records/{record.pk}/submit/']").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="教学设计.pdf").click()
    assert download.value.suggested_filename == "教学设计.pdf"
