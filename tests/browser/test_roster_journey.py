"""A principal's first day: browse and filter the roster, import a file, export, switch language."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from teachers.models import Teacher
from tests.factories import SchoolFactory, TeacherFactory, TeachingGroupFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school_with_roster():
    school = SchoolFactory(code="GLXX01", name="鼓楼区实验小学")
    group = TeachingGroupFactory(school=school, name="语文组")
    TeacherFactory(school=school, name="王芳", staff_no="X001", group=group)
    TeacherFactory(school=school, name="刘洋", staff_no="X002", group=group, subject="数学")
    TeacherFactory(school=SchoolFactory(code="OTHER", name="外校"), name="赵敏")
    user_with_role(Role.PRINCIPAL, school=school, username="wang", language="zh-hans")
    return school


def test_principal_filters_imports_exports_and_switches_language(
    open_session, school_with_roster, tmp_path
):
    s = open_session("zh-hans", name="principal-roster")
    s.login("wang")
    page = s.page
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    s.goto("/teachers/")
    assert page.get_by_role("link", name="王芳").is_visible()
    assert page.get_by_text("赵敏").count() == 0  # another school's teacher
    page.fill("input[name=q]", "刘")
    # Not wait_for_function: the page's Content-Security-Policy forbids the eval it needs.
    expect(page.locator("#results")).not_to_contain_text("王芳")
    assert page.get_by_role("link", name="刘洋").is_visible()
    s.shot("filtered")

    csv = tmp_path / "roster.csv"
    csv.write_text(
        "工号,姓名,性别,参加工作时间,学历,职称,任教学科,教研组\n"
        "X003,陈静,女,2015.09,本科,二级,英语,语文组\n",
        encoding="utf-8-sig",
    )
    s.goto("/teachers/import/")
    page.set_input_files("input[type=file]", str(csv))
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_load_state()
    assert "陈静" in page.content()
    s.shot("import-preview")
    page.locator("form[action$='/import/confirm/'] [type=submit]").click()
    page.wait_for_url("**/teachers/")
    assert Teacher.objects.filter(staff_no="X003", school=school_with_roster).exists()

    page.locator("form[action$='/export/'] [type=submit]").click()
    page.wait_for_url("**/files/*/")
    page.get_by_role("link", name="下载").wait_for(timeout=15000)
    s.shot("export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.locator("button[name=language][value=en]").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    s.goto("/teachers/")
    assert page.get_by_role("heading", name="Teachers").is_visible()
    s.shot("english")
