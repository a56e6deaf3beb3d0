"""The scripting contracts of issue 14: training_sessions, import_attendance, training_ledger."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from records.models import Status, Training
from tests.factories import TeacherFactory, TrainingFactory
from training.models import Attendance, Enrolment

from .conftest import TODAY, YEAR, make_programme, make_session

pytestmark = pytest.mark.django_db
D = TODAY.isoformat()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sheet(tmp_path, rows, name="签到.csv", header=("姓名", "工号", "签到时间")):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        book = Workbook()
        book.active.append(list(header))
        for row in rows:
            book.active.append(list(row))
        book.save(path)
    else:
        lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture
def people(school, programme):
    a = TeacherFactory(school=school, name="张三", staff_no="X001", phone="13800000001")
    b = TeacherFactory(school=school, name="李四", staff_no="X002", phone="13800000002")
    for t in (a, b):
        Enrolment.objects.create(programme=programme, teacher=t, origin="named")
    return a, b


def test_training_sessions_prints_the_contract_header_and_one_row_per_session(school, programme):
    district = make_programme(
        None, district=school.district, title="区级骨干班", school_based=False
    )
    a = make_session(programme, day=datetime.date(YEAR, 10, 15))
    b = make_session(district, day=datetime.date(YEAR, 11, 5), hours=Decimal("2.5"))
    make_session(make_programme(school, start_date=datetime.date(YEAR - 1, 9, 1),
                                end_date=datetime.date(YEAR - 1, 12, 1)),
                 day=datetime.date(YEAR - 1, 10, 1))  # fmt: skip
    rows = list(csv.reader(io.StringIO(run("training_sessions", "--school", school.code,
                                           "--year", f"{YEAR}-{YEAR + 1}"))))  # fmt: skip
    assert rows[0] == ["code", "programme", "date", "start", "end", "hours"]
    assert rows[1:] == [
        [a.code, programme.title, f"{YEAR}-10-15", "14:00", "16:30", "3"],
        [b.code, "区级骨干班", f"{YEAR}-11-05", "14:00", "16:30", "2.5"],
    ]


def test_training_sessions_refuses_a_bad_year_and_school(school):
    with pytest.raises(CommandError):
        run("training_sessions", "--school", school.code, "--year", "2025-2027")
    with pytest.raises(CommandError):
        run("training_sessions", "--school", "NOPE")


def test_importing_a_good_sheet_signs_in_and_a_reimport_changes_nothing(tmp_path, session, people):
    path = sheet(tmp_path, [("张三", "X001", f"{D} 13:58"), ("李四", "X002", "14:25")])
    out = run("import_attendance", str(path), "--session", session.code)
    assert "2" in out
    lines = {a.teacher.name: a.status for a in Attendance.objects.select_related("teacher")}
    assert lines == {"张三": "present", "李四": "late"}
    records = Training.objects.exclude(source="")
    assert records.count() == 2 and all(r.status == Status.VERIFIED for r in records)
    before = list(Attendance.objects.values_list("pk", "status", "updated_at"))
    run("import_attendance", str(path), "--session", session.code)
    assert list(Attendance.objects.values_list("pk", "status", "updated_at")) == before
    assert Training.objects.exclude(source="").count() == 2


def test_importing_by_phone_from_xlsx(tmp_path, session, people):
    at = datetime.datetime.combine(TODAY, datetime.time(14, 1))
    path = sheet(tmp_path, [("张三", "138-0000-0001", at)], name="签到.xlsx",
                 header=("姓名", "手机", "签到时间"))  # fmt: skip
    run("import_attendance", str(path), "--session", session.code)
    assert Attendance.objects.get().teacher == people[0]


def test_a_bad_sheet_writes_nothing_and_names_every_bad_row(tmp_path, session, people, school):
    TeacherFactory(school=school, name="王五", staff_no="X003")  # not enrolled
    path = sheet(tmp_path, [
        ("张三", "X001", f"{D} 14:00"),
        ("张三丰", "X002", f"{D} 14:00"),
        ("某人", "X999", f"{D} 14:00"),
        ("王五", "X003", f"{D} 14:00"),
        ("张三", "X001", f"{D} 14:05"),
        ("李四", "X002", "下午两点"),
    ])  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_attendance", str(path), "--session", session.code, stderr=err)
    assert "5" in str(exc.value)
    reported = err.getvalue().splitlines()
    assert [int(re.search(r"\d+", line).group()) for line in reported] == [3, 4, 5, 6, 7]
    assert not Attendance.objects.exists() and not Training.objects.exists()


def test_a_dry_run_writes_nothing(tmp_path, session, people):
    path = sheet(tmp_path, [("张三", "X001", f"{D} 14:00")])
    out = run("import_attendance", str(path), "--session", session.code, "--dry-run")
    assert "1" in out and not Attendance.objects.exists()


def test_the_upload_page_imports_for_the_organiser_only(
    client, session, people, training_office, committee_member
):
    body = f"姓名,工号,签到时间\n张三,X001,{D} 14:00\n".encode("utf-8-sig")
    url = reverse("training:attendance_import", args=[session.pk])
    client.force_login(committee_member)
    assert client.get(url).status_code == 403
    client.force_login(training_office)
    bad = SimpleUploadedFile("s.csv", "姓名,工号,签到时间\n张三,X001,明天\n".encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 200 and b"import-errors" in response.content
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", body)})
    assert response.status_code == 302 and Attendance.objects.count() == 1


def test_training_ledger_prints_session_and_self_reported_hours(tmp_path, school, session, people):
    a, b = people
    TrainingFactory(teacher=a, year=YEAR, date=datetime.date(YEAR, 10, 1), hours=6,
                    status=Status.VERIFIED, school_based=False)  # fmt: skip
    run("import_attendance", str(sheet(tmp_path, [("张三", "X001", f"{D} 14:00")])),
        "--session", session.code)  # fmt: skip
    out = run("training_ledger", "--school", school.code, "--year", f"{YEAR}-{YEAR + 1}")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "staff_no", "name", "total_hours", "school_based_hours", "session_hours",
        "self_reported_hours",
    ]  # fmt: skip
    assert rows[1:] == [["X001", "张三", "9", "3", "3", "6"], ["X002", "李四", "0", "0", "0", "0"]]
