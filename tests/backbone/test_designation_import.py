"""Importing designations: all rows or none, every problem reported, no duplicates."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from backbone.importing import designation_import, parse_school_year
from backbone.management.commands.import_designations import Command
from backbone.models import Designation, school_year_start
from tests.factories import DesignationFactory, TeacherFactory, tier

THIS = school_year_start(timezone.localdate())
HEADERS = ["工号", "姓名", "骨干级别", "认定单位", "起始学年", "截止学年", "证书编号"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def teachers(school):
    return {
        no: TeacherFactory(school=school, staff_no=no, name=name)
        for no, name in [("A1", "王芳"), ("A2", "刘洋"), ("A3", "陈静"), ("A4", "赵敏")]
    }


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS) -> bytes:
    lines = [",".join(headers)] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


GOOD_ROWS = [
    [
        "A1",
        "王芳",
        "区级骨干教师",
        "鼓楼区教育局",
        f"{THIS}-{THIS + 1}",
        f"{THIS + 2}学年",
        "GL001",
    ],
    ["A2", "刘洋", "Municipal backbone", "福州市教育局", THIS - 1, f"{THIS + 1}–{THIS + 2}", ""],
    ["A3", "陈静", "区级", "鼓楼区教育局", f"{THIS}学年", "", "GL002"],
    ["A1", "王芳", "学科带头人", "鼓楼区教育局", str(THIS), "", ""],
]


def run(school, data: bytes, filename="designations.xlsx", **kwargs):
    return designation_import(school=school, fileobj=io.BytesIO(data), filename=filename, **kwargs)


@pytest.mark.parametrize(
    ("text", "year"),
    [("2025", 2025), (2025, 2025), (2025.0, 2025), ("2025-2026", 2025), ("2025–2026", 2025),
     ("2025—2026", 2025), ("2025学年", 2025), ("2025-2026学年", 2025), (" 2025 / 2026 ", 2025)],
)  # fmt: skip
def test_school_years_are_read_in_the_forms_schools_write(text, year):
    assert parse_school_year(text) == year


@pytest.mark.parametrize("text", ["25", "2025-2027", "二〇二五", "2025.9", ""])
def test_other_school_year_spellings_are_refused(text):
    with pytest.raises(ValueError):
        parse_school_year(text)


def test_a_good_file_records_every_designation(school, teachers, principal):
    result = run(school, xlsx(GOOD_ROWS), by=principal)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    wang = Designation.objects.get(teacher=teachers["A1"], is_honorary=False)
    assert wang.tier.code == "district"
    assert (wang.first_year, wang.last_year) == (THIS, THIS + 2)
    assert wang.designated_by == "鼓楼区教育局" and wang.certificate_no == "GL001"
    assert wang.source == Designation.Source.IMPORT and wang.created_by == principal
    liu = Designation.objects.get(teacher=teachers["A2"])
    assert liu.tier.code == "municipal" and (liu.first_year, liu.last_year) == (THIS - 1, THIS + 1)
    chen = Designation.objects.get(teacher=teachers["A3"])
    assert chen.last_year == THIS + 2  # the district tier's default term of three years
    title = Designation.objects.get(teacher=teachers["A1"], is_honorary=True)
    assert title.tier.code == "subject_leader"


def test_a_csv_file_with_english_headers_is_read_too(school, teachers):
    headers = ["staff_no", "tier", "designated_by", "first_year", "last_year", "certificate_no"]
    data = csv_bytes([["A4", "provincial", "福建省教育厅", THIS, THIS + 2, "FJ-1"]], headers)
    result = run(school, data, filename="d.csv")
    assert result.ok, result.errors
    assert Designation.objects.get().tier.code == "provincial"


def test_a_dry_run_writes_nothing(school, teachers):
    result = run(school, xlsx(GOOD_ROWS), dry_run=True)
    assert result.ok and result.created == 4
    assert not Designation.objects.exists()


def test_a_bad_file_writes_nothing_and_reports_every_bad_row(school, teachers, other_school):
    TeacherFactory(school=other_school, staff_no="B1")
    DesignationFactory(
        teacher=teachers["A4"], tier=tier(school.district, "district"), first_year=THIS - 1,
        last_year=THIS + 1,
    )  # fmt: skip
    rows = [
        ["A1", "王芳", "区级骨干教师", "鼓楼区教育局", THIS, THIS + 2, "OK-1"],  # 2: fine
        ["Z9", "", "区级骨干教师", "鼓楼区教育局", THIS, THIS + 2, ""],  # 3: unknown staff no
        ["B1", "", "区级骨干教师", "鼓楼区教育局", THIS, THIS + 2, ""],  # 4: other school
        ["A2", "刘洋", "国家级", "教育部", THIS, THIS + 2, ""],  # 5: unknown tier
        ["A3", "陈静", "市级骨干教师", "福州市教育局", THIS, THIS - 1, ""],  # 6: last < first
        ["A1", "王芳", "市级骨干教师", "福州市教育局", THIS, THIS + 2, ""],  # 7: second in file
        ["A4", "赵敏", "市级骨干教师", "福州市教育局", THIS, THIS + 2, ""],  # 8: active in DB
        ["A2", "刘洋", "区级骨干教师", "", "明年", THIS + 2, ""],  # 9: empty body, bad year
    ]
    result = run(school, xlsx(rows))
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "工号"), (4, "工号"), (5, "骨干级别"), (6, "截止学年"), (7, ""), (8, "骨干级别"),
        (9, "认定单位"), (9, "起始学年"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "Z9" in messages[(3, "工号")]
    assert "国家级" in messages[(5, "骨干级别")]
    assert "row 2" in messages[(7, "")].lower()
    assert "赵敏" in messages[(8, "骨干级别")] and "revoke" in messages[(8, "骨干级别")].lower()
    assert Designation.objects.count() == 1  # only the one made above


def test_a_file_without_required_columns_is_refused(school, teachers):
    result = run(school, xlsx([["A1", "区级"]], headers=["工号", "骨干级别"]))
    assert {e.column for e in result.errors} == {"认定单位", "起始学年"}
    assert all(e.row == 1 for e in result.errors)


def test_importing_the_same_file_again_creates_no_duplicates(school, teachers):
    data = xlsx(GOOD_ROWS)
    assert run(school, data).created == 4
    again = run(school, data)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert Designation.objects.count() == 4


def test_a_corrected_certificate_number_updates_the_designation(school, teachers):
    run(school, xlsx(GOOD_ROWS))
    rows = [list(GOOD_ROWS[0])]
    rows[0][6] = "GL001-fixed"
    result = run(school, xlsx(rows))
    assert (result.created, result.updated) == (0, 1)
    assert Designation.objects.get(certificate_no="GL001-fixed").teacher == teachers["A1"]
    assert Designation.objects.count() == 4


def test_a_revoked_designation_in_the_file_is_left_as_history(school, teachers, principal):
    from backbone.services.designations import designation_revoke

    run(school, xlsx(GOOD_ROWS[:1]))
    designation_revoke(designation=Designation.objects.get(), reason="x", by=principal)
    result = run(school, xlsx(GOOD_ROWS[:1]))
    assert result.ok and result.unchanged == 1
    assert Designation.objects.get().status == Designation.Status.REVOKED


# -- the command ----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends, which would end the test's
    # transaction on PostgreSQL.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def _command(tmp_path, data: bytes, *args, name="d.xlsx"):
    """Run the command as manage.py does and return (exit code, stdout, stderr)."""
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    code = 0
    try:
        command.run_from_argv(["manage.py", "import_designations", str(path), *args])
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_command_imports_and_exits_with_zero(tmp_path, school, teachers):
    code, out, _err = _command(tmp_path, xlsx(GOOD_ROWS), "--school", "A001")
    assert code == 0
    assert "4 designations created" in out
    assert Designation.objects.count() == 4


def test_command_dry_run_writes_nothing(tmp_path, school, teachers):
    code, out, _err = _command(tmp_path, xlsx(GOOD_ROWS), "--school", "A001", "--dry-run")
    assert code == 0 and "Dry run" in out
    assert not Designation.objects.exists()


def test_command_reports_each_problem_and_exits_with_one(tmp_path, school, teachers):
    rows = [GOOD_ROWS[0], ["Z9", "", "区级", "鼓楼区教育局", THIS, "", ""]]
    code, _out, err = _command(tmp_path, xlsx(rows), "--school", "A001")
    assert code == 1
    assert "row 3, column 工号" in err and "1 problem found; nothing was imported." in err
    assert not Designation.objects.exists()


@pytest.mark.parametrize(
    ("args", "name", "data"),
    [
        (["--school", "NOPE"], "d.xlsx", b""),
        (["--school", "A001"], "d.txt", b"hello"),
        (["--school", "A001"], "d.xlsx", b"not a workbook"),
    ],
)
def test_command_exits_with_one_on_unusable_input(tmp_path, school, args, name, data):
    code, _out, err = _command(tmp_path, data or xlsx([]), *args, name=name)
    assert code == 1 and err


# -- the upload page ------------------------------------------------------------------------
@pytest.fixture
def en_login(login):
    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


def _upload(data: bytes, name="designations.xlsx"):
    return SimpleUploadedFile(name, data)


def test_upload_shows_a_preview_and_confirm_writes(en_login, principal, school, teachers):
    client = en_login(principal)
    assert client.get(reverse("backbone:designation_import")).status_code == 200
    response = client.post(
        reverse("backbone:designation_import"),
        {"file": _upload(xlsx(GOOD_ROWS)), "school": school.pk},
    )
    assert response.status_code == 200
    assert response.context["result"].created == 4
    assert "王芳" in response.content.decode()
    assert not Designation.objects.exists()  # nothing until confirmed

    response = client.post(reverse("backbone:designation_import_confirm"))
    assert response.status_code == 302 and response.url == reverse("backbone:roster")
    assert Designation.objects.count() == 4
    # The waiting file is gone: a second confirm writes nothing more.
    response = client.post(reverse("backbone:designation_import_confirm"))
    assert response.url == reverse("backbone:designation_import")
    assert Designation.objects.count() == 4


def test_upload_of_a_bad_file_lists_the_problems(en_login, principal, school, teachers):
    rows = [GOOD_ROWS[0], ["Z9", "", "区级", "鼓楼区教育局", THIS, "", ""]]
    client = en_login(principal)
    response = client.post(
        reverse("backbone:designation_import"), {"file": _upload(xlsx(rows)), "school": school.pk}
    )
    body = response.content.decode()
    assert 'id="import-errors"' in body and "Z9" in body
    assert reverse("backbone:designation_import_confirm") not in body
    assert client.post(reverse("backbone:designation_import_confirm")).status_code == 302
    assert not Designation.objects.exists()


def test_unreadable_upload_is_a_form_error(en_login, principal, school):
    response = en_login(principal).post(
        reverse("backbone:designation_import"),
        {"file": _upload(b"garbage"), "school": school.pk},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 403), ("district_office", 403), ("teacher_user", 404)],
)
def test_only_managers_may_import(request, login, school, teachers, who, status):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("backbone:designation_import")).status_code == status
    response = client.post(
        reverse("backbone:designation_import"),
        {"file": _upload(xlsx(GOOD_ROWS)), "school": school.pk},
    )
    assert response.status_code == status
    assert client.post(reverse("backbone:designation_import_confirm")).status_code == status
    assert not Designation.objects.exists()


def test_a_principal_cannot_import_into_another_school(login, outsider, school, teachers):
    response = login(outsider).post(
        reverse("backbone:designation_import"),
        {"file": _upload(xlsx(GOOD_ROWS)), "school": school.pk},
    )
    assert response.status_code == 404
    assert not Designation.objects.exists()
