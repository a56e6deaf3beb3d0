"""One-screen entry on a phone: a teacher fills in an open class, chooses two files at once
and presses 保存并提交; the record arrives submitted with both files. Screenshots of the entry
page at 1280 px and 390 px, neither wider than the screen."""

import pytest

from core.models import Role
from records.models import OpenClass, Status
from tests.factories import SchoolFactory, TeacherFactory, user_with_role
from tests.records.test_files import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_teacher_logs_an_open_class_with_its_files_on_one_phone_screen(
    open_session, tmp_path, settings, language
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    user = user_with_role(Role.TEACHER, school=school, username="li", language=language)
    TeacherFactory(school=school, user=user, name="李明", subject="语文")
    design, photo = tmp_path / "教学设计.pdf", tmp_path / "课堂照片.png"
    design.write_bytes(PDF)
    photo.write_bytes(png_bytes())

    teacher = open_session(language, name=f"entry-{language}")
    teacher.login("li")
    page = teacher.goto("/records/new/open_class/")
    assert page.evaluate(OVERFLOW) <= 0
    teacher.shot("entry-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate(OVERFLOW) <= 0
    teacher.shot("entry-390")

    page.fill("input[name=topic]", "《落花生》")
    page.select_option("select[name=class_kind]", "demonstration")
    page.fill("input[name=grade_class]", "五年级（2）班")
    page.fill("input[name=place]", "录播教室")
    page.set_input_files("input[type=file][name=files]", [str(design), str(photo)])
    page.locator("button[name=save_submit]").click()
    page.wait_for_url("**/records/*/")
    assert page.evaluate(OVERFLOW) <= 0
    teacher.shot("submitted-390")

    record = OpenClass.objects.get()
    assert record.status == Status.SUBMITTED
    names = sorted(record.attachments.values_list("original_name", "role"))
    assert names == [("教学设计.pdf", "other"), ("课堂照片.png", "photo")]
    page.get_by_role("link", name="课堂照片.png").wait_for()
