import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from records.models import Training
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "记录编号",
    "学校代码",
    "工号",
    "姓名",
    "培训项目",
    "培训日期",
    "学时",
    "校本培训",
    "级别",
)
DAY = timezone.localdate() - datetime.timedelta(days=10)
EN = {"Accept-Language": "en"}


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def people(school):
    return [
        TeacherFactory(school=school, staff_no="X001", name="张三"),
        TeacherFactory(school=school, staff_no="X002", name="李四"),
    ]


def rows(school):
    return [
        ("JX-1", school.code, "X001", "张三", "区级骨干研修", DAY, 6, "否", "区级"),
        ("JX-2", school.code, "X002", "李四", "校本教研", DAY.isoformat(), "3.5", "是", "校级"),
    ]


def upload(client, data: bytes, dry_run=False, name="继续教育学时.xlsx"):
    form = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("bureau_hours_import"), form, headers=EN)


def test_the_office_imports_the_platforms_export_once(login, training_office, school, people):
    client = login(training_office)
    assert client.get(reverse("bureau_hours_import")).status_code == 200
    checked = upload(client, xlsx(rows(school)), dry_run=True)
    assert "2 new" in checked.content.decode() and not Training.objects.exists()
    response = upload(client, xlsx(rows(school)))
    assert response.status_code == 302
    records = {t.source: t for t in Training.objects.all()}
    assert set(records) == {"bureau:JX-1", "bureau:JX-2"}
    assert records["bureau:JX-2"].school_based and records["bureau:JX-2"].hours == 3.5
    assert all(t.status == "verified" for t in records.values())
    again = upload(client, xlsx(rows(school)), dry_run=True)
    assert "0 new, 0 corrected, 2 unchanged" in again.content.decode()


def test_one_bad_row_imports_nothing_and_names_row_and_column(login, principal, school, people):
    bad = [
        *rows(school),
        ("JX-3", school.code, "X404", "无名", "培训", DAY, 2, "否", "区级"),
        ("JX-4", school.code, "X001", "张三", "培训", "明天", 2, "否", "区级"),
        ("JX-5", school.code, "X001", "张三", "培训", DAY, 0, "否", "区级"),
    ]
    response = upload(login(principal), xlsx(bad))
    assert response.status_code == 200
    errors = [(e.row, e.column) for e in response.context["result"].errors]
    assert errors == [(4, "工号"), (5, "培训日期"), (6, "学时")]
    assert not Training.objects.exists()


def test_the_page_is_for_managers_and_the_district_office(login, committee_member, teacher_user):
    for user in (committee_member, teacher_user):
        assert login(user).get(reverse("bureau_hours_import")).status_code == 404


def test_the_command_imports_as_the_named_user(tmp_path, training_office, school, people):
    path = tmp_path / "学时.xlsx"
    path.write_bytes(xlsx(rows(school)))
    out = io.StringIO()
    call_command("import_bureau_hours", str(path), "--user", "office", stdout=out)
    assert Training.objects.count() == 2
    call_command("import_bureau_hours", str(path), "--user", "office", stdout=out)
    assert Training.objects.count() == 2


def test_the_command_lists_bad_rows_and_writes_nothing(tmp_path, training_office, school, people):
    path = tmp_path / "学时.xlsx"
    bad = [*rows(school), ("JX-1", school.code, "X002", "李四", "重复", DAY, 1, "否", "区级")]
    path.write_bytes(xlsx(bad))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bureau_hours", str(path), "--user", "office", stderr=err)
    assert [int(re.search(r"\d+", line).group()) for line in err.getvalue().splitlines()] == [4]
    assert not Training.objects.exists()


def test_the_command_refuses_a_user_who_may_not_push(tmp_path, teacher_user, school):
    path = tmp_path / "学时.xlsx"
    path.write_bytes(xlsx(rows(school)))
    with pytest.raises(CommandError):
        call_command("import_bureau_hours", str(path), "--user", "teacher")
