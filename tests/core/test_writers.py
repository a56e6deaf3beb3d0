"""The one spreadsheet writer: user text never runs as a formula, and text holding control
characters (stored before forms refused them) still makes a file every program opens."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.writers import CsvWriter, XlsxWorkbook
from tests.hostile_files import FORMULA, assert_inert


def test_a_workbook_of_hostile_text_opens_with_the_text_inert_and_the_controls_gone(tmp_path):
    workbook = XlsxWorkbook()
    sheet = workbook.add_sheet("教师/名单:[1]", ["姓名", "备注"], width=12, bold=True)
    sheet.append([FORMULA, "王\x08芳\x00"])
    sheet.append(["+1", datetime.date(2025, 9, 1)])
    workbook.save(tmp_path / "out.xlsx")
    opened = load_workbook(tmp_path / "out.xlsx")
    assert_inert(opened)
    assert opened.sheetnames == ["教师_名单__1_"]
    rows = list(opened.active.iter_rows(values_only=True))
    assert rows[1] == (FORMULA, "王芳")
    assert rows[2][0] == "+1"
    assert opened.active.column_dimensions["B"].width == 12


@pytest.mark.parametrize("text", [FORMULA, "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_csv_cell_starting_like_a_formula_gets_an_apostrophe(text):
    out = io.StringIO()
    CsvWriter(out).writerow([text, -3, "李\x00雪"])
    cell, number, name = next(csv.reader(io.StringIO(out.getvalue())))
    assert cell == "'" + text
    assert number == "-3"  # a number stays a number
    assert name == "李雪"


def test_a_workbook_keeps_each_value_in_its_column_and_type_across_empty_cells(tmp_path):
    """Empty cells are left out of the file, so the cells after them must still land in
    their own columns, as numbers, dates, times and yes/no where they were such."""
    workbook = XlsxWorkbook()
    sheet = workbook.add_sheet("记录", ["A", "B", "C", "D", "E", "F", "G"], bold=True)
    when = datetime.datetime(2025, 9, 1, 8, 30, 15)
    sheet.append([None, "  缩进 ", None, Decimal("2.5"), when, True, datetime.date(2026, 1, 5)])
    sheet.append(["<b>&</b>", 7, 1.25, None, None, False, datetime.time(14, 5)])
    duplicate = workbook.add_sheet("记录", ["X"])
    duplicate.append(["\ufffe"])
    workbook.save(tmp_path / "out.xlsx")
    opened = load_workbook(tmp_path / "out.xlsx")
    assert opened.sheetnames == ["记录", "记录1"]
    rows = list(opened["记录"].iter_rows(values_only=True))
    assert rows[0] == ("A", "B", "C", "D", "E", "F", "G")
    assert rows[1] == (None, "  缩进 ", None, 2.5, when, True, datetime.datetime(2026, 1, 5))
    assert rows[2] == ("<b>&</b>", 7, 1.25, None, None, False, datetime.time(14, 5))
    assert opened["记录"].freeze_panes == "A2"
    assert opened["记录"]["A1"].font.b and not opened["记录"]["A2"].font.b
    assert list(opened["记录1"].iter_rows(values_only=True)) == [("X",), ("",)]
