"""Reading spreadsheets that schools upload (.xlsx or .csv) into rows keyed by column.

Every import (the roster, later backbone designations) describes its columns once: a
canonical key and the header names people actually type, in Chinese and English. The reader
finds those columns in any order, keeps each row's spreadsheet row number so that errors can
point at the cell, and leaves the meaning of the values to the import."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file: its spreadsheet row (header = 1), the column header
    as it appears in the file ("" when the problem is not about one column), and why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class TableError(Exception):
    """The file cannot be read at all (wrong type, corrupt, not a spreadsheet)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]

    def get(self, key: str) -> Any:
        """The cell as read: str, int, float, date or datetime; None when empty or absent."""
        return self.values.get(key)

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))


@dataclass
class Table:
    # canonical key -> the header text found in the file, for the columns present
    headers: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    # problems with the header row (missing or repeated columns); rows are empty then
    errors: list[RowError] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.headers


def read_table(
    fileobj: IO[bytes],
    filename: str,
    columns: dict[str, tuple[str, ...]],
    *,
    required: tuple[str, ...] | list[str] = (),
) -> Table:
    """Read the first sheet of an .xlsx file, or a .csv file, whose first row holds headers.

    ``columns`` maps a canonical key to the header names accepted for it, compared without
    case and surrounding whitespace. Unknown columns are ignored and fully empty rows skipped.
    Missing ``required`` columns are reported in ``Table.errors``; an unreadable file raises
    TableError."""
    ext = Path(filename).suffix.lower()
    if ext == ".xlsx":
        raw_rows = _xlsx_rows(fileobj.read())
    elif ext == ".csv":
        raw_rows = _csv_rows(fileobj.read())
    else:
        raise TableError(
            _("Unsupported file type “%(ext)s”. Upload an .xlsx or .csv file.")
            % {"ext": ext or filename}
        )

    header = next(raw_rows, None)
    if header is None:
        raise TableError(_("The file is empty."))
    positions, table = _match_headers(header, columns, required)
    if table.errors:
        return table
    for number, cells in enumerate(raw_rows, start=HEADER_ROW + 1):
        values = {key: _clean(cells[i]) if i < len(cells) else None for key, i in positions.items()}
        if all(_clean(cell) is None for cell in cells):
            continue
        table.rows.append(Row(number=number, values=values))
    return table


def _match_headers(header, columns, required) -> tuple[dict[str, int], Table]:
    lookup = {name.strip().casefold(): key for key, names in columns.items() for name in names}
    positions: dict[str, int] = {}
    table = Table(headers={})
    for i, cell in enumerate(header):
        text = cell_text(cell)
        key = lookup.get(text.casefold())
        if key is None:
            continue
        if key in positions:
            table.errors.append(
                RowError(
                    HEADER_ROW,
                    text,
                    _("This column appears twice (also as “%(other)s”). Keep only one.")
                    % {"other": table.headers[key]},
                )
            )
            continue
        positions[key] = i
        table.headers[key] = text
    for key in required:
        if key not in positions:
            names = columns[key]
            table.errors.append(
                RowError(
                    HEADER_ROW,
                    names[0],
                    _("Required column is missing. Name it one of: %(names)s.")
                    % {"names": " / ".join(names)},
                )
            )
    return positions, table


def _xlsx_rows(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        # A corrupt or mislabelled upload fails in zipfile, XML parsing or openpyxl itself,
        # with no common exception type; any of them means the same thing to the user.
        raise TableError(
            _("This is not a readable .xlsx file. Save it again from Excel or WPS as .xlsx.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size, which would cut off columns.
        sheet.reset_dimensions()
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return iter(rows)


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves "CSV" in the system code page (GBK ⊂ GB18030).
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TableError(
                _("Cannot read the text of this CSV file. Save it as “CSV UTF-8”.")
            ) from exc
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""))))
    except csv.Error as exc:
        raise TableError(_("This CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def cell_text(value: Any) -> str:
    """A cell as text: stripped, "" for empty, whole-number floats without ".0" (Excel stores
    staff numbers and phone numbers typed as numbers that way)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_PATTERNS = [
    # 2019-09-01, 2019/9/1, 2019.9.1, 2019.09 (a month: the 1st), optionally with a time
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?" + _TIME + "$"),
    # 2019年9月1日, 2019年9月
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?$"),
    # 20190901
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value: Any) -> datetime.date:
    """A date from a cell: an Excel date, or text in the forms Chinese schools write.

    A month without a day ("2019.09", "2019年9月") means the 1st of that month. Raises
    ValueError for anything else, including impossible dates."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = match.groups()
            return datetime.date(int(year), int(month), int(day or 1))
    raise ValueError(f"not a date: {text!r}")
