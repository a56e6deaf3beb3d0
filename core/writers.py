"""Writing the spreadsheets Gugan hands out (.xlsx and .csv): every export goes through here.

Two things make user text dangerous in a spreadsheet, and both are handled once, here:
- a cell starting like a formula (``=HYPERLINK("http://x.example/","y")``) would run when the
  file is opened (formula or CSV injection). In an .xlsx it is written as a text cell; in a CSV
  file, which has no cell types, it gets a leading apostrophe, which Excel and WPS read as
  "this is text".
- a control character (a NUL byte, a backspace) makes the .xlsx unreadable for everyone, so it
  is dropped. Forms and imports refuse them; this covers data stored before they did.

The workbook is openpyxl's write-only one: rows go to disk as they come, so memory stays flat
whatever the number of rows.
"""

import csv
import datetime
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .validators import strip_control_characters

# What Excel, WPS and LibreOffice take as the start of a formula in a CSV cell (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
XLSX_MAX_CELL = 32_767  # characters in one Excel cell
XLSX_MAX_TITLE = 31
_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def plain(value: Any) -> Any:
    """A value both writers accept: text for lazy strings, local naive datetimes."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_value(sheet, value: Any) -> Any:
    """What to append to a write-only ``sheet`` for ``value``: user text never becomes a
    formula and never holds a character the file format cannot."""
    value = plain(value)
    if not isinstance(value, str):
        return value
    text = strip_control_characters(value)[:XLSX_MAX_CELL]
    if text.startswith("="):
        # openpyxl stores any text starting with "=" as a formula; this is text somebody typed.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def csv_value(value: Any) -> str:
    """``value`` as the text of a CSV cell that no spreadsheet program runs as a formula."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)
    text = strip_control_characters(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def sheet_title(title: Any) -> str:
    """A sheet name Excel accepts: none of []:*?/\\, at most 31 characters."""
    return _TITLE_UNSAFE.sub("_", strip_control_characters(str(title)))[:XLSX_MAX_TITLE] or "_"


class XlsxSheet:
    """One sheet of an XlsxWorkbook: append rows of plain Python values."""

    def __init__(self, sheet, headers: Iterable | None, *, width: int | None, bold: bool):
        self.sheet = sheet
        self.rows = 0
        if headers is None:
            return
        headers = [plain(h) for h in headers]
        if width:
            # A write-only sheet writes its column widths with its first row.
            for index in range(1, len(headers) + 1):
                sheet.column_dimensions[get_column_letter(index)].width = width
        if bold:
            sheet.freeze_panes = "A2"
            font = Font(bold=True)
            cells = []
            for header in headers:
                cell = WriteOnlyCell(sheet, value=xlsx_value(sheet, header))
                cell.font = font
                cells.append(cell)
            sheet.append(cells)
            self.rows = 1
        else:
            self.append(headers)

    def append(self, values: Iterable) -> None:
        self.sheet.append([xlsx_value(self.sheet, v) for v in values])
        self.rows += 1


class XlsxWorkbook:
    """A streaming .xlsx workbook whose every cell goes through ``xlsx_value``."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)

    def add_sheet(
        self,
        title: Any,
        headers: Iterable | None = None,
        *,
        width: int | None = None,
        bold: bool = False,
    ) -> XlsxSheet:
        """A new sheet, its header row first; ``width`` sets every header column's width."""
        return XlsxSheet(
            self.workbook.create_sheet(sheet_title(title)), headers, width=width, bold=bold
        )

    def save(self, path: Path | str | IO[bytes]) -> None:
        self.workbook.save(path)


class CsvWriter:
    """csv.writer over a text stream, every cell through ``csv_value``."""

    def __init__(self, stream: IO[str]):
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable) -> None:
        self._writer.writerow([csv_value(v) for v in values])
