import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from core.models import TeachingGroup
from teachers.importing import Action, roster_import
from teachers.models import Education, Gender, Teacher, Title
from tests.factories import TeacherFactory, TeachingGroupFactory

HEADER = ["工号", "姓名", "性别", "出生日期", "参加工作时间", "学历", "职称", "任教学科", "教研组",
          "手机", "邮箱"]  # fmt: skip


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def run(school, data: bytes, filename="roster.xlsx", **kwargs):
    return roster_import(school=school, fileobj=io.BytesIO(data), filename=filename, **kwargs)


@pytest.fixture
def chinese_group(school):
    return TeachingGroupFactory(school=school, name="语文组")


@pytest.fixture
def good_file(chinese_group) -> bytes:
    return xlsx_bytes(
        [
            HEADER,
            ["A1", "王芳", "女", datetime.datetime(1985, 5, 1), datetime.datetime(2008, 9, 1),
             "本科", "一级教师", "语文", "语文组", "138 0013 8000", "wang@example.com"],
            ["A2", "刘洋", "男", "1990/3/2", "2013.09", "硕士", "二级", "数学", "", "", ""],
            [3, "陈静", "F", None, "2020年9月1日", "大专", "", "英语", None, None, None],
        ]
    )  # fmt: skip


def test_a_good_file_creates_the_teachers(school, good_file, chinese_group):
    result = run(school, good_file)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert [(r.row, r.staff_no, r.action) for r in result.rows] == [
        (2, "A1", Action.CREATE),
        (3, "A2", Action.CREATE),
        (4, "3", Action.CREATE),
    ]
    wang = Teacher.objects.get(school=school, staff_no="A1")
    assert wang.name == "王芳"
    assert wang.gender == Gender.FEMALE
    assert wang.birth_date == datetime.date(1985, 5, 1)
    assert wang.career_start == datetime.date(2008, 9, 1)
    assert wang.education == Education.BACHELOR
    assert wang.title == Title.FIRST
    assert wang.group == chinese_group
    assert wang.phone == "138 0013 8000"
    assert wang.email == "wang@example.com"
    liu = Teacher.objects.get(school=school, staff_no="A2")
    assert liu.career_start == datetime.date(2013, 9, 1)
    assert (liu.education, liu.title, liu.group) == (Education.MASTER, Title.SECOND, None)
    chen = Teacher.objects.get(school=school, staff_no="3")
    assert (chen.gender, chen.title, chen.birth_date) == (Gender.FEMALE, Title.NONE, None)


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_bad_row(school, chinese_group):
    data = xlsx_bytes(
        [
            HEADER,
            ["A1", "王芳", "女", "1985-05-01", "2008-09-01", "本科", "一级", "语文", "", "", ""],
            ["A 2", "刘洋", "男", "", "2013-09-01", "本科", "", "数学", "", "", ""],
            ["A3", "", "人", "", "someday", "小学", "特级", "数学", "", "12ab", "not-an-email"],
            ["A1", "王芳", "女", "", "2008-09-01", "本科", "", "语文", "", "", ""],
            ["A5", "赵敏", "女", "2000-01-01", "2010-09-01", "本科", "", "", "", "", ""],
        ]
    )
    result = run(school, data)
    assert not result.ok
    assert Teacher.objects.count() == 0
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "工号"),
        (4, "姓名"), (4, "性别"), (4, "参加工作时间"), (4, "学历"), (4, "职称"), (4, "手机"),
        (4, "邮箱"),
        (5, "工号"),
        (6, "参加工作时间"), (6, "任教学科"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "人" in messages[(4, "性别")]
    assert "someday" in messages[(4, "参加工作时间")]
    assert "第2行" in messages[(5, "工号")]  # zh-hans is the default language


def test_reimporting_creates_no_duplicates_and_updates_changed_fields(school, good_file):
    run(school, good_file)
    again = run(school, good_file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Teacher.objects.filter(school=school).count() == 3

    changed = xlsx_bytes(
        [["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科", "职称"],
         ["A1", "王芳", "女", "2008-09-01", "硕士", "语文", "高级"],
         ["A2", "刘洋", "男", "2013-09-01", "硕士", "数学", "二级教师"]]
    )  # fmt: skip
    result = run(school, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert result.rows[0].action == Action.UPDATE
    assert len(result.rows[0].changed) == 2
    wang = Teacher.objects.get(school=school, staff_no="A1")
    assert (wang.education, wang.title) == (Education.MASTER, Title.SENIOR)
    # Columns missing from the file leave the existing values alone.
    assert wang.email == "wang@example.com"
    assert wang.birth_date == datetime.date(1985, 5, 1)
    assert Teacher.objects.filter(school=school).count() == 3


def test_staff_numbers_are_matched_within_the_school_only(school, other_school):
    TeacherFactory(school=other_school, staff_no="A1", name="别校老师")
    data = csv_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"],
                      ["A1", "王芳", "女", "2008-09-01", "本科", "语文"]])  # fmt: skip
    result = run(school, data, "r.csv")
    assert result.created == 1
    assert Teacher.objects.get(school=other_school, staff_no="A1").name == "别校老师"


def test_english_headers_in_another_order(school):
    data = csv_bytes(
        [["Subject", "Education", "Career_Start", "Gender", "Name", "Staff No", "Title", "Notes"],
         ["English", "Bachelor", "2015-09-01", "female", "Li Na", "E1", "first", "x"],
         ["Maths", "PhD", "2016/9/1", "M", "Wu Lei", "E2", "Senior", ""]]
    )  # fmt: skip
    result = run(school, data, "roster.csv")
    assert result.ok, result.errors
    li = Teacher.objects.get(school=school, staff_no="E1")
    assert (li.name, li.gender, li.education, li.title) == (
        "Li Na", Gender.FEMALE, Education.BACHELOR, Title.FIRST
    )  # fmt: skip
    wu = Teacher.objects.get(school=school, staff_no="E2")
    assert (wu.education, wu.title) == (Education.DOCTOR, Title.SENIOR)


def test_csv_with_bom_and_gb18030_csv(school):
    rows = [["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"],
            ["C1", "王芳", "女", "2008年9月", "研究生", "语文"]]  # fmt: skip
    assert run(school, csv_bytes(rows, "utf-8-sig"), "r.csv").created == 1
    rows[1][0] = "C2"
    result = run(school, csv_bytes(rows, "gb18030"), "r.csv")
    assert result.created == 1
    c2 = Teacher.objects.get(school=school, staff_no="C2")
    assert (c2.name, c2.education) == ("王芳", Education.MASTER)


@pytest.mark.parametrize(
    "value",
    [datetime.datetime(2019, 9, 1), "2019-09-01", "2019/9/1", "2019.09", "2019.9.1",
     "2019年9月1日", "2019年9月"],
)  # fmt: skip
def test_dates_in_every_accepted_form(school, value):
    data = xlsx_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"],
                       ["D1", "王芳", "女", value, "本科", "语文"]])  # fmt: skip
    result = run(school, data)
    assert result.ok, result.errors
    assert Teacher.objects.get(staff_no="D1").career_start == datetime.date(2019, 9, 1)


@pytest.mark.parametrize(
    ("text", "title"),
    [("无", Title.NONE), ("未定级", Title.NONE), ("三级教师", Title.THIRD), ("中级", Title.FIRST),
     ("副高", Title.SENIOR), ("高级教师", Title.SENIOR), ("正高", Title.PROFESSOR),
     ("正高级教师", Title.PROFESSOR), ("professor", Title.PROFESSOR)],
)  # fmt: skip
def test_title_spellings(school, text, title):
    data = xlsx_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科", "职称"],
                       ["T1", "王芳", "女", "2010-09-01", "本科", "语文", text]])  # fmt: skip
    run(school, data)
    assert Teacher.objects.get(staff_no="T1").title == title


def test_unknown_group_is_an_error_unless_groups_may_be_created(school, chinese_group):
    data = xlsx_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科", "教研组"],
                       ["G1", "王芳", "女", "2010-09-01", "本科", "语文", "语文组"],
                       ["G2", "刘洋", "男", "2010-09-01", "本科", "科学", "科学组"],
                       ["G3", "陈静", "女", "2010-09-01", "本科", "科学", "科学组"]])  # fmt: skip
    refused = run(school, data)
    assert [(e.row, e.column) for e in refused.errors] == [(3, "教研组"), (4, "教研组")]
    assert "自动创建缺少的教研组" in refused.errors[0].message
    assert Teacher.objects.count() == 0

    preview = run(school, data, create_groups=True, dry_run=True)
    assert preview.ok and preview.new_groups == ["科学组"]
    assert not TeachingGroup.objects.filter(name="科学组").exists()

    result = run(school, data, create_groups=True)
    assert result.ok and result.created == 3
    science = TeachingGroup.objects.get(school=school, name="科学组")
    assert science.kind == TeachingGroup.Kind.RESEARCH
    assert set(science.teachers.values_list("staff_no", flat=True)) == {"G2", "G3"}
    assert run(school, data).unchanged == 3


def test_dry_run_reports_without_writing(school, good_file):
    result = run(school, good_file, dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 3
    assert Teacher.objects.count() == 0


def test_missing_required_column_is_reported_on_the_header_row(school):
    data = csv_bytes([["工号", "姓名", "参加工作时间", "学历", "任教学科"],
                      ["A1", "王芳", "2008-09-01", "本科", "语文"]])  # fmt: skip
    result = run(school, data, "r.csv")
    assert [(e.row, e.column) for e in result.errors] == [(1, "性别")]


def test_a_file_with_only_headers_is_an_error(school):
    result = run(school, csv_bytes([HEADER]), "r.csv")
    assert not result.ok


def test_teaching_cannot_start_before_sixteen(school):
    header = ["工号", "姓名", "性别", "出生日期", "参加工作时间", "学历", "任教学科"]
    data = csv_bytes([header, ["A1", "王芳", "女", "2000-01-01", "2010-09-01", "本科", "语文"]])
    result = run(school, data, "r.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "参加工作时间")]


# -- the management command -------------------------------------------------------------------


def write(tmp_path, data: bytes, name="roster.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_command_imports_a_good_file(school, good_file, tmp_path):
    out = io.StringIO()
    call_command("import_roster", write(tmp_path, good_file), "--school", "A001", stdout=out)
    assert Teacher.objects.filter(school=school).count() == 3
    assert "3" in out.getvalue()


def test_command_with_a_bad_file_writes_nothing_and_lists_the_errors(school, tmp_path):
    data = csv_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"],
                      ["A1", "王芳", "女", "2008-09-01", "本科", "语文"],
                      ["A2", "刘洋", "人", "2008-09-01", "本科", "数学"]])  # fmt: skip
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_roster", write(tmp_path, data, "r.csv"), "--school", "A001", stderr=err
        )
    assert Teacher.objects.count() == 0
    assert "性别" in err.getvalue() and "3" in err.getvalue()


def test_command_dry_run_writes_nothing(school, good_file, tmp_path):
    out = io.StringIO()
    call_command(
        "import_roster", write(tmp_path, good_file), "--school", "A001", "--dry-run", stdout=out
    )
    assert Teacher.objects.count() == 0


def test_command_create_groups(school, tmp_path):
    data = csv_bytes([["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科", "教研组"],
                      ["A1", "王芳", "女", "2008-09-01", "本科", "语文", "语文组"]])  # fmt: skip
    path = write(tmp_path, data, "r.csv")
    with pytest.raises(CommandError):
        call_command("import_roster", path, "--school", "A001", stderr=io.StringIO())
    call_command("import_roster", path, "--school", "A001", "--create-groups", stdout=io.StringIO())
    assert Teacher.objects.get(staff_no="A1").group.name == "语文组"


def test_command_refuses_an_unknown_school(db, good_file, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_roster", write(tmp_path, good_file), "--school", "NOPE")


def test_command_refuses_an_unreadable_file(school, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_roster", write(tmp_path, b"garbage", "r.xlsx"), "--school", "A001")
