import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import Role, RoleAssignment
from teachers.import_views import SESSION_KEY
from teachers.models import Teacher
from tests.factories import SchoolFactory, TeachingGroupFactory

HEADER = ["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"]
GOOD_ROWS = [
    HEADER,
    ["A1", "王芳", "女", "2008-09-01", "本科", "语文"],
    ["A2", "刘洋", "男", "2013.09", "硕士", "数学"],
]
BAD_ROWS = [
    HEADER,
    ["A1", "王芳", "女", "2008-09-01", "本科", "语文"],
    ["A2", "刘洋", "人", "2013.09", "硕士", "数学"],
    ["A3", "陈静", "女", "someday", "本科", ""],
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def xlsx_upload(rows, name="roster.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, school, rows=GOOD_ROWS, **extra):
    data = {"file": xlsx_upload(rows), "school": school.pk, **extra}
    return client.post(reverse("teachers:import"), data)


def pending_files(media_root):
    directory = media_root / "imports"
    return list(directory.iterdir()) if directory.exists() else []


def test_upload_page_documents_the_columns(login, principal, school):
    response = login(principal).get(reverse("teachers:import"))
    assert response.status_code == 200
    body = response.content.decode()
    for header in ("工号", "staff_no", "参加工作时间", "career_start", "教研组"):
        assert header in body
    # One school: no choice to make, the field is hidden.
    assert f'type="hidden" name="school" value="{school.pk}"' in body


def test_principal_previews_then_confirms(login, principal, school, media_root):
    client = login(principal)
    response = upload(client, school)
    assert response.status_code == 200
    assert response.templates[0].name == "teachers/import_preview.html"
    body = response.content.decode()
    assert "王芳" in body and "刘洋" in body
    assert reverse("teachers:import_confirm") in body
    assert response.context["result"].created == 2
    assert Teacher.objects.count() == 0
    assert len(pending_files(media_root)) == 1

    response = client.post(reverse("teachers:import_confirm"))
    assert response.status_code == 302
    assert response.url == reverse("teachers:list")
    assert set(Teacher.objects.filter(school=school).values_list("staff_no", flat=True)) == {
        "A1",
        "A2",
    }
    assert pending_files(media_root) == []
    assert SESSION_KEY not in client.session


def test_training_office_may_import(login, training_office, school):
    client = login(training_office)
    assert upload(client, school).status_code == 200
    client.post(reverse("teachers:import_confirm"))
    assert Teacher.objects.filter(school=school).count() == 2


def test_bad_file_shows_every_error_and_no_confirm_button(login, principal, school, media_root):
    client = login(principal)
    response = upload(client, school, BAD_ROWS)
    assert response.status_code == 200
    body = response.content.decode()
    errors = [(e.row, e.column) for e in response.context["result"].errors]
    assert errors == [(3, "性别"), (4, "参加工作时间"), (4, "任教学科")]
    assert 'id="import-errors"' in body
    for column in ("性别", "参加工作时间", "任教学科"):
        assert f"<td>{column}</td>" in body
    assert reverse("teachers:import_confirm") not in body
    assert Teacher.objects.count() == 0
    assert pending_files(media_root) == []

    response = client.post(reverse("teachers:import_confirm"))
    assert response.url == reverse("teachers:import")
    assert Teacher.objects.count() == 0


def test_confirm_without_an_upload_sends_back_to_the_upload_page(login, principal):
    response = login(principal).post(reverse("teachers:import_confirm"), follow=True)
    assert response.redirect_chain == [(reverse("teachers:import"), 302)]
    assert list(response.context["messages"])


def test_confirm_is_post_only(login, principal):
    assert login(principal).get(reverse("teachers:import_confirm")).status_code == 405


def test_create_missing_groups_option_is_kept_until_confirm(login, principal, school):
    client = login(principal)
    rows = [HEADER + ["教研组"], ["A1", "王芳", "女", "2008-09-01", "本科", "语文", "语文组"]]
    response = upload(client, school, rows, create_groups="on")
    assert response.context["result"].new_groups == ["语文组"]
    client.post(reverse("teachers:import_confirm"))
    assert Teacher.objects.get(school=school, staff_no="A1").group.name == "语文组"


def test_confirm_validates_again_and_shows_new_errors(login, principal, school, media_root):
    group = TeachingGroupFactory(school=school, name="语文组")
    client = login(principal)
    rows = [HEADER + ["教研组"], ["A1", "王芳", "女", "2008-09-01", "本科", "语文", "语文组"]]
    assert upload(client, school, rows).context["result"].ok
    group.delete()  # meanwhile, someone removes the group
    response = client.post(reverse("teachers:import_confirm"))
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "教研组")]
    assert Teacher.objects.count() == 0
    assert pending_files(media_root) == []


def test_unreadable_file_is_a_form_error(login, principal, school, media_root):
    client = login(principal)
    data = {"file": SimpleUploadedFile("roster.xlsx", b"garbage"), "school": school.pk}
    response = client.post(reverse("teachers:import"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert pending_files(media_root) == []


def test_wrong_extension_is_a_form_error(login, principal, school):
    data = {"file": SimpleUploadedFile("roster.xls", b"x"), "school": school.pk}
    response = login(principal).post(reverse("teachers:import"), data)
    assert response.context["form"].errors["file"]


def test_user_managing_two_schools_chooses_one(login, principal, school):
    second = SchoolFactory(district=school.district, code="A002", name="城关第二小学")
    RoleAssignment.objects.create(user=principal, role=Role.PRINCIPAL, school=second)
    client = login(principal)
    body = client.get(reverse("teachers:import")).content.decode()
    assert "城关第二小学" in body and '<select name="school"' in body
    upload(client, second)
    client.post(reverse("teachers:import_confirm"))
    assert Teacher.objects.filter(school=second).count() == 2
    assert Teacher.objects.filter(school=school).count() == 0


def test_outsider_cannot_import_into_our_school(login, outsider, school, other_school):
    client = login(outsider)
    body = client.get(reverse("teachers:import")).content.decode()
    assert school.name not in body
    assert f'value="{other_school.pk}"' in body
    assert upload(client, school).status_code == 404
    assert Teacher.objects.count() == 0


def test_confirm_checks_the_school_again(login, principal, school):
    client = login(principal)
    upload(client, school)
    RoleAssignment.objects.filter(user=principal).delete()
    assert client.post(reverse("teachers:import_confirm")).status_code == 404
    assert Teacher.objects.count() == 0


@pytest.mark.parametrize("user", ["teacher_user", "district_office", "committee_member"])
def test_read_only_roles_get_404(request, login, user, school):
    client = login(request.getfixturevalue(user))
    assert client.get(reverse("teachers:import")).status_code == 404
    assert upload(client, school).status_code == 404
    assert client.post(reverse("teachers:import_confirm")).status_code == 404
    assert not Teacher.objects.exclude(staff_no="L001").exists()
