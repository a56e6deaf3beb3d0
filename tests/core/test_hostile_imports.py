"""Broken and hostile files through the browser upload and the commands of both imports: what
the user reads, and that nothing is written. Peak memory is measured in test_import_memory."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from backbone.models import Designation
from core.models import Job
from core.tabular import TableError, read_table
from teachers.models import Teacher
from tests import hostile_files as hostile
from tests.factories import TeacherFactory

ROSTER_ROW = ["A1", "王芳", "女", "2008-09-01", "本科", "语文"]
IMPORTS = {
    "roster": ("teachers:import", "import_roster", hostile.ROSTER_HEADER),
    "designations": (
        "backbone:designation_import",
        "import_designations",
        hostile.DESIGNATION_HEADER,
    ),
}


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(login, principal):
    client = login(principal)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_file(rows, encoding="utf-8-sig") -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def upload(client, school, kind, data: bytes, name: str):
    url = reverse(IMPORTS[kind][0])
    return client.post(url, {"file": SimpleUploadedFile(name, data), "school": school.pk})


def command(kind, path, *args):
    err = io.StringIO()
    try:
        call_command(IMPORTS[kind][1], str(path), "--school", "A001", *args, stderr=err)
    except CommandError as exc:
        return str(exc), err.getvalue()
    return "", err.getvalue()


def nothing_written():
    return not Teacher.objects.exists() and not Designation.objects.exists()


# -- the browser upload and the commands refuse hostile files with the limit named ----------
@pytest.mark.parametrize("kind", IMPORTS)
def test_a_giant_shared_string_is_refused_on_the_upload_form(en_client, school, kind, tmp_path):
    path = hostile.giant_shared_string(tmp_path / "x.xlsx", megabytes=200)
    response = upload(en_client, school, kind, path.read_bytes(), "x.xlsx")
    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert message.startswith("This .xlsx file unpacks to more data than one import may read")
    assert "(50 MB, at most 5,000 rows)" in message
    assert len(response.content) < 100_000
    assert not (tmp_path / "media" / "imports").exists() or not any(
        (tmp_path / "media" / "imports").iterdir()
    )


@pytest.mark.parametrize("kind", IMPORTS)
def test_too_many_rows_are_refused_on_the_upload_form_and_by_the_command(
    en_client, school, kind, settings, tmp_path
):
    settings.IMPORT_MAX_ROWS = 3
    header = IMPORTS[kind][2]
    path = hostile.many_identical_rows(tmp_path / "x.xlsx", rows=4, header=header)
    response = upload(en_client, school, kind, path.read_bytes(), "x.xlsx")
    expected = (
        "The file has more than 3 rows, the limit of one import. Split it into several files."
    )
    assert response.context["form"].errors["file"] == [expected]
    assert command(kind, path) == (expected, "")
    assert nothing_written()


@pytest.mark.parametrize("kind", IMPORTS)
def test_the_upload_size_limit_comes_from_the_settings(en_client, school, kind, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = csv_file([IMPORTS[kind][2]]) + b"\r\n" + b"x," * (600 * 1024)
    response = upload(en_client, school, kind, data, "big.csv")
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]


@pytest.mark.parametrize("kind", IMPORTS)
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04garbage", "x.xlsx", "This is not a readable .xlsx file."),
        ("工号,姓名\r\nA1,王芳\r\n".encode("utf-16"), "x.csv", "Cannot read the text"),
        (b"\x00\x01\x02\xff\xfe\x00" * 100, "x.csv", "Cannot read the text"),
    ],
    ids=["malformed-zip", "utf-16-csv", "binary-csv"],
)
def test_unreadable_files_are_refused_by_the_form_and_the_command(
    en_client, school, kind, data, name, message, tmp_path
):
    response = upload(en_client, school, kind, data, name)
    assert message in response.context["form"].errors["file"][0]
    path = tmp_path / name
    path.write_bytes(data)
    assert message in command(kind, path)[0]
    assert nothing_written()


def test_a_truncated_xlsx_is_unreadable(tmp_path):
    data = hostile.rows_xlsx(tmp_path / "x.xlsx", [ROSTER_ROW]).read_bytes()
    with pytest.raises(TableError, match="not a readable .xlsx"):
        read_table(io.BytesIO(data[: len(data) // 2]), "x.xlsx", {})


# -- encodings -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030_reads_the_same(school, encoding, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file([hostile.ROSTER_HEADER, ROSTER_ROW], encoding))
    call_command("import_roster", str(path), "--school", "A001", stdout=io.StringIO())
    assert Teacher.objects.get(staff_no="A1").name == "王芳"


def test_a_gb18030_csv_whose_chinese_starts_late_is_read(school, tmp_path):
    # The encoding is decided on the start of the file, which here is plain ASCII.
    rows = [["staff_no", "name", "gender", "career_start", "education", "subject"]]
    rows += [[f"A{i}", "Wang", "F", "2008-09-01", "bachelor", "Chinese"] for i in range(3000)]
    rows += [["B1", "王芳", "女", "2008-09-01", "本科", "语文"]]
    path = tmp_path / "roster.csv"
    data = csv_file(rows, "gb18030")
    assert data[: 64 * 1024].isascii()
    path.write_bytes(data)
    call_command("import_roster", str(path), "--school", "A001", stdout=io.StringIO())
    assert Teacher.objects.get(staff_no="B1").name == "王芳"


# -- control characters and long cells ------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("王\x08芳", "U+0008"),
        ("王\x00芳", "U+0000"),
        ("王\x85芳", "U+0085"),
        ("王\x1b芳", "U+001B"),
    ],
)
def test_a_csv_name_with_a_control_character_is_refused_at_its_cell(school, name, code, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file([hostile.ROSTER_HEADER, ["A1", name, *ROSTER_ROW[2:]]]))
    message, err = command("roster", path)
    assert err.splitlines() == [
        f"row 2, column 姓名: Contains an invisible control character ({code}). "
        "Remove it and try again."
    ]
    assert message == "1 problem found; nothing was imported."
    assert nothing_written()


def test_an_xlsx_cell_with_an_escaped_control_character_is_refused(en_client, school, tmp_path):
    # Excel writes a backspace as _x0008_ (XML cannot hold it) and shows it as one.
    path = hostile.rows_xlsx(tmp_path / "x.xlsx", [["A1", "王_x0008_芳", *ROSTER_ROW[2:]]])
    response = upload(en_client, school, "roster", path.read_bytes(), "x.xlsx")
    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [
        (2, "姓名", "Contains an invisible control character (U+0008). Remove it and try again.")
    ]
    assert nothing_written()


def test_a_line_break_inside_a_name_is_refused_but_surrounding_space_is_trimmed(school, tmp_path):
    path = tmp_path / "roster.csv"
    rows = [hostile.ROSTER_HEADER, ["A1", '"王\n芳"', *ROSTER_ROW[2:]]]
    rows.append(["A2", '" 刘洋\t\r\n"', *ROSTER_ROW[2:]])
    path.write_bytes(csv_file(rows))
    _message, err = command("roster", path)
    assert err.splitlines() == [
        "row 2, column 姓名: Contains an invisible control character (U+000A). "
        "Remove it and try again."
    ]


def test_a_designation_cell_with_a_control_character_is_refused(school, tmp_path):
    TeacherFactory(school=school, staff_no="A1")
    path = tmp_path / "d.csv"
    path.write_bytes(csv_file([hostile.DESIGNATION_HEADER, ["A1", "区级", "鼓楼\x00区", "2025"]]))
    message, err = command("designations", path)
    assert err.splitlines() == [
        "row 2, column 认定单位: Contains an invisible control character (U+0000). "
        "Remove it and try again."
    ]
    assert not Designation.objects.exists()


@pytest.mark.parametrize("kind", IMPORTS)
def test_a_long_cell_is_a_row_error_that_does_not_repeat_the_text(
    en_client, school, kind, tmp_path
):
    header = IMPORTS[kind][2]
    row = ["A1", "王" * 20_000, *ROSTER_ROW[2:]][: len(header)]
    path = hostile.rows_xlsx(tmp_path / "x.xlsx", [row], header=header)
    response = upload(en_client, school, kind, path.read_bytes(), "x.xlsx")
    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert (2, header[1], "The cell holds 20,000 characters; the limit is 1,000.") in errors
    assert len(response.content) < 50_000
    assert nothing_written()


# -- many bad rows: the first ones listed, all counted --------------------------------------
@pytest.mark.parametrize("kind", IMPORTS)
def test_thousands_of_bad_rows_make_a_short_page_with_the_total(
    en_client, school, kind, settings, tmp_path
):
    settings.IMPORT_MAX_ERRORS = 5
    settings.IMPORT_JOB_ROWS = 10_000  # checked in the request
    header = IMPORTS[kind][2]
    row = None if kind == "roster" else ["Z9", "区级", "鼓楼区教育局", "2025"]
    path = hostile.many_identical_rows(tmp_path / "x.xlsx", rows=3000, header=header, row=row)
    response = upload(en_client, school, kind, path.read_bytes(), "x.xlsx")
    body = response.content.decode()
    total = "5,999" if kind == "roster" else "3,000"  # roster rows also repeat a staff number
    assert f"{total} problems in all; only the first 5 are listed." in body
    assert body.count("<tr>") == 6  # header and five problems
    assert len(body) < 30_000
    message, err = command(kind, path)
    assert len(err.splitlines()) == 5
    assert message == f"{total} problems found, only the first 5 are listed; nothing was imported."
    assert nothing_written()


# -- large valid files run as a job ----------------------------------------------------------
def _job_page(client, job):
    return client.get(reverse("job", args=[job.pk])).content.decode()


def test_a_large_roster_is_checked_then_imported_by_jobs_with_progress(
    en_client, school, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2
    rows = [[f"A{i}", f"教师{i}", "女", "2008-09-01", "本科", "语文"] for i in range(250)]
    data = csv_file([hostile.ROSTER_HEADER, *rows])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(en_client, school, "roster", data, "big.csv")
    check = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[check.pk])
    assert check.kind == "roster_import" and check.status == Job.Status.DONE
    assert (check.progress, check.total) == (250, 250)
    assert check.school == school
    page = _job_page(en_client, check)
    assert "Roster import: check" in page
    assert "Every row is valid: 250 new teachers, 0 updated, 0 unchanged." in page
    assert reverse("teachers:import_confirm") in page
    assert "Regenerate" not in page
    assert not Teacher.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(reverse("teachers:import_confirm"), {"job": check.pk})
    run = Job.objects.exclude(pk=check.pk).get()
    assert response.url == reverse("job", args=[run.pk])
    assert run.status == Job.Status.DONE and (run.progress, run.total) == (500, 500)
    assert "Roster imported into 城关第一小学: 250 created, 0 updated, 0 unchanged." in (
        _job_page(en_client, run)
    )
    assert Teacher.objects.filter(school=school).count() == 250
    assert not any((django_settings.MEDIA_ROOT / "imports").iterdir())

    # The same file again: matched by staff number, nothing duplicated.
    with django_capture_on_commit_callbacks(execute=True):
        upload(en_client, school, "roster", data, "big.csv")
    again = Job.objects.order_by("-pk").first()
    assert "0 new teachers, 0 updated, 250 unchanged" in _job_page(en_client, again)
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(reverse("teachers:import_confirm"), {"job": again.pk})
    assert Teacher.objects.filter(school=school).count() == 250


def test_a_large_bad_file_shows_its_problems_on_the_job_page(
    en_client, school, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2
    settings.IMPORT_MAX_ERRORS = 3
    rows = [[f"A{i}", f"教师{i}", "人", "2008-09-01", "本科", "语文"] for i in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(en_client, school, "roster", csv_file([hostile.ROSTER_HEADER, *rows]), "b.csv")
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    page = _job_page(en_client, job)
    assert "10 problems in all; only the first 3 are listed." in page
    assert page.count("<td>性别</td>") == 3
    assert reverse("teachers:import_confirm") not in page
    assert reverse("job_retry", args=[job.pk]) not in page
    assert not Teacher.objects.exists()
    # The refused check leaves nothing to confirm.
    response = en_client.post(reverse("teachers:import_confirm"), {"job": job.pk})
    assert response.url == reverse("teachers:import") and not Teacher.objects.exists()


def test_the_confirm_button_of_an_older_check_does_not_import_a_newer_upload(
    en_client, school, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2
    rows = [[f"A{i}", f"教师{i}", "女", "2008-09-01", "本科", "语文"] for i in range(3)]
    data = csv_file([hostile.ROSTER_HEADER, *rows])
    with django_capture_on_commit_callbacks(execute=True):
        upload(en_client, school, "roster", data, "first.csv")
        first = Job.objects.get()
        upload(en_client, school, "roster", data, "second.csv")
    response = en_client.post(reverse("teachers:import_confirm"), {"job": first.pk})
    assert response.url == reverse("teachers:import")
    assert not Teacher.objects.exists()


def test_a_colleague_sees_the_check_but_not_its_confirm_button(
    en_client, login, training_office, school, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2
    rows = [[f"A{i}", f"教师{i}", "女", "2008-09-01", "本科", "语文"] for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(en_client, school, "roster", csv_file([hostile.ROSTER_HEADER, *rows]), "a.csv")
    job = Job.objects.get()
    colleague = login(training_office)
    colleague.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _job_page(colleague, job)
    assert "Every row is valid" in page
    assert reverse("teachers:import_confirm") not in page


def test_a_large_designations_file_is_checked_then_imported_by_jobs(
    en_client, school, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_ROWS = 2
    for i in range(5):
        TeacherFactory(school=school, staff_no=f"A{i}")
    rows = [[f"A{i}", "区级", "鼓楼区教育局", "2025"] for i in range(5)]
    data = csv_file([hostile.DESIGNATION_HEADER, *rows])
    with django_capture_on_commit_callbacks(execute=True):
        upload(en_client, school, "designations", data, "d.csv")
    check = Job.objects.get()
    assert check.kind == "designation_import" and check.status == Job.Status.DONE
    page = _job_page(en_client, check)
    assert "Designation import: check" in page
    assert "Every row is valid: 5 new designations" in page
    with django_capture_on_commit_callbacks(execute=True):
        en_client.post(reverse("backbone:designation_import_confirm"), {"job": check.pk})
    run = Job.objects.exclude(pk=check.pk).get()
    assert run.status == Job.Status.DONE, run.error
    assert Designation.objects.filter(teacher__school=school).count() == 5
    assert Designation.objects.filter(created_by__isnull=False).count() in (0, 5)
