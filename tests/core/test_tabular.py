import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from core.tabular import RowError, TableError, parse_date, read_table

COLUMNS = {
    "staff_no": ("工号", "staff_no", "staff no"),
    "name": ("姓名", "name"),
    "start": ("参加工作时间", "career_start"),
}


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_xlsx_columns_are_found_in_any_order_by_any_accepted_header():
    data = xlsx(
        [
            ["备注", " Career_Start ", "NAME", "工号"],
            ["note", datetime.datetime(2019, 9, 1), "王芳", 1001],
            [None, None, None, None],
            ["", datetime.date(2020, 2, 1), "刘洋", "A-2"],
        ]
    )
    table = read_table(data, "Roster.XLSX", COLUMNS, required=("staff_no", "name"))
    assert table.errors == []
    assert table.headers == {"start": "Career_Start", "name": "NAME", "staff_no": "工号"}
    assert [row.number for row in table.rows] == [2, 4]
    first = table.rows[0]
    assert first.get("start") == datetime.datetime(2019, 9, 1)
    assert first.text("staff_no") == "1001"
    assert first.text("name") == "王芳"
    assert "备注" not in first.values


def test_a_column_absent_from_the_file_reads_as_empty():
    table = read_table(xlsx([["工号", "姓名"], ["A1", "王芳"]]), "r.xlsx", COLUMNS)
    assert not table.has("start")
    assert table.rows[0].get("start") is None
    assert table.rows[0].text("start") == ""


def test_whole_number_floats_lose_their_decimal_point():
    table = read_table(xlsx([["工号", "姓名"], [1001.0, "王芳"]]), "r.xlsx", COLUMNS)
    assert table.rows[0].text("staff_no") == "1001"


def test_missing_required_headers_are_file_level_errors():
    table = read_table(
        xlsx([["姓名", "other"], ["王芳", "x"]]), "r.xlsx", COLUMNS, required=("staff_no", "name")
    )
    assert table.rows == []
    assert len(table.errors) == 1
    error = table.errors[0]
    assert (error.row, error.column) == (1, "工号")
    assert "staff_no" in error.message


def test_a_column_given_twice_is_an_error():
    table = read_table(xlsx([["工号", "staff_no"], ["A1", "A1"]]), "r.xlsx", COLUMNS)
    assert [(e.row, e.column) for e in table.errors] == [(1, "staff_no")]


def test_csv_with_bom_is_read():
    data = '\ufeff工号,姓名\r\nA1,王芳\r\n,\r\nA2,"刘, 洋"\r\n'.encode()
    table = read_table(io.BytesIO(data), "r.csv", COLUMNS)
    assert table.headers == {"staff_no": "工号", "name": "姓名"}
    assert [(r.number, r.text("staff_no"), r.text("name")) for r in table.rows] == [
        (2, "A1", "王芳"),
        (4, "A2", "刘, 洋"),
    ]


def test_csv_without_bom_is_read():
    data = "staff no,Name\nA1,王芳\n".encode()
    table = read_table(io.BytesIO(data), "r.csv", COLUMNS)
    assert table.rows[0].text("name") == "王芳"


def test_gb18030_csv_from_chinese_excel_is_read():
    data = "工号,姓名\r\nA1,王芳\r\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(io.BytesIO(data), "r.csv", COLUMNS)
    assert table.headers == {"staff_no": "工号", "name": "姓名"}
    assert table.rows[0].text("name") == "王芳"


def test_unsupported_file_type_raises_table_error():
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(io.BytesIO(b"whatever"), "roster.xls", COLUMNS)


def test_corrupt_xlsx_raises_table_error():
    with pytest.raises(TableError):
        read_table(io.BytesIO(b"not a zip file"), "roster.xlsx", COLUMNS)


def test_empty_file_raises_table_error():
    with pytest.raises(TableError):
        read_table(io.BytesIO(b""), "roster.csv", COLUMNS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2019, 9, 1, 0, 0), datetime.date(2019, 9, 1)),
        (datetime.date(2019, 9, 1), datetime.date(2019, 9, 1)),
        ("2019-09-01", datetime.date(2019, 9, 1)),
        ("2019/9/1", datetime.date(2019, 9, 1)),
        ("2019/9/1 0:00", datetime.date(2019, 9, 1)),
        ("2019.09", datetime.date(2019, 9, 1)),
        ("2019.9.15", datetime.date(2019, 9, 15)),
        ("2019年9月1日", datetime.date(2019, 9, 1)),
        ("2019年9月", datetime.date(2019, 9, 1)),
        (" 2019年12月3日 ", datetime.date(2019, 12, 3)),
        ("20190901", datetime.date(2019, 9, 1)),
        (2019.09, datetime.date(2019, 9, 1)),
    ],
)
def test_parse_date_accepts_the_forms_schools_write(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", None, "abc", "2019", "19.9.1", "2019-13-01", "2019/2/30"])
def test_parse_date_rejects_anything_else(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_row_error_reads_as_row_and_column():
    with translation.override("en"):
        assert str(RowError(5, "性别", "bad")) == "row 5, column 性别: bad"
        assert str(RowError(2, "", "bad")) == "row 2: bad"
