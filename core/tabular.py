"""Reading spreadsheets that schools upload (.xlsx or .csv) into rows keyed by column.

Every import (the roster, later backbone designations) describes its columns once: a
canonical key and the header names people actually type, in Chinese and English. The reader
finds those columns in any order, keeps each row's spreadsheet row number so that errors can
point at the cell, and leaves the meaning of the values to the import."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from .validators import reject_control_characters

HEADER_ROW = 1
# Excel's own limits: no cell holds more characters, no row more cells. A file beyond them
# was not made by a spreadsheet program.
EXCEL_CELL_CHARS = 32767
EXCEL_COLUMNS = 16384
# Empty rows below the data (formatted, or left by a deleted range) are skipped, but reading
# them costs time: this many are read past the row limit before the file is refused.
EMPTY_ROWS_ALLOWED = 20000
# An .xlsx of a few sheets has a few dozen parts; a shared-strings table holds each distinct
# text of the workbook once.
MAX_ARCHIVE_MEMBERS = 1000
MAX_SHARED_STRINGS = 200_000
# Parts openpyxl parses whole (workbook, styles, theme, relationships) stay small in real
# files; sheets and shared strings are read as streams and capped by IMPORT_MAX_UNPACKED_MB.
MAX_WHOLE_PART_BYTES = 5 * 1024 * 1024
# Unpacked / packed size of one part above which it is a zip bomb, not a spreadsheet
# (real sheets pack 5–30 times). Only parts above MAX_WHOLE_PART_BYTES are judged.
MAX_COMPRESSION_RATIO = 200
# Imports report their progress (to a job's bar) every this many rows.
PROGRESS_EVERY = 100


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


class RowErrors(list):
    """An import's row problems: the first ``IMPORT_MAX_ERRORS`` are kept to show, all are
    counted in ``total``, so a file with a million bad rows makes a short answer."""

    def __init__(self, errors: Iterable["RowError"] = (), *, limit: int | None = None):
        super().__init__()
        self.limit = settings.IMPORT_MAX_ERRORS if limit is None else limit
        self.total = 0
        self.extend(errors)

    def append(self, error: "RowError") -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(error)

    def extend(self, errors: Iterable["RowError"]) -> None:
        for error in errors:
            self.append(error)

    @classmethod
    def from_outcome(cls, outcome: dict) -> "RowErrors":
        """The problems a job kept in its outcome (core.import_jobs)."""
        errors = cls(
            (RowError(p["row"], p["column"], p["message"]) for p in outcome.get("problems", ())),
            limit=len(outcome.get("problems", ())),
        )
        errors.total = max(outcome.get("problems_total", 0), errors.total)
        return errors

    @property
    def truncated(self) -> bool:
        return self.total > len(self)

    def summary(self) -> str:
        """What a command or a job says about a refused file: "3 problems found; nothing was
        imported", or the total and how many are listed."""
        if self.truncated:
            return _(
                "%(total)s problems found, only the first %(shown)d are listed; nothing was "
                "imported."
            ) % {"total": number_format(self.total, force_grouping=True), "shown": len(self)}
        return ngettext(
            "%(count)d problem found; nothing was imported.",
            "%(count)d problems found; nothing was imported.",
            self.total,
        ) % {"count": self.total}


@dataclass(frozen=True)
class Limits:
    """What one import may read, from settings (see README "Limits of imports")."""

    max_bytes: int
    max_rows: int
    max_cell_chars: int
    max_unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
        )


def file_too_large_message() -> str:
    return _("The file is larger than %(size)d MB.") % {"size": settings.IMPORT_MAX_UPLOAD_MB}


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]
    # canonical key -> why the cell was refused by the reader (too long, control characters);
    # its value is None then
    problems: dict[str, str] = field(default_factory=dict)

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
    Missing ``required`` columns are reported in ``Table.errors``; cells of known columns that
    are too long or hold control characters are reported in ``Row.problems``.

    The file is read as a stream within the IMPORT_* limits of the settings: a file beyond
    them (too large, too many rows, a zip bomb) or unreadable raises TableError, whose
    message names the limit."""
    limits = Limits.from_settings()
    ext = Path(filename).suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise TableError(
            _("Unsupported file type “%(ext)s”. Upload an .xlsx or .csv file.")
            % {"ext": ext or filename}
        )
    if _size(fileobj) > limits.max_bytes:
        raise TableError(file_too_large_message())
    if ext == ".xlsx":
        return _read(_xlsx_rows(fileobj, limits), columns, required, limits)
    try:
        return _read(_csv_rows(fileobj), columns, required, limits)
    except _NotUtf8:
        # Plain ASCII at the start, GB18030 further down: read it again.
        fileobj.seek(0)
        return _read(_csv_rows(fileobj, encoding="gb18030"), columns, required, limits)


def _read(raw_rows, columns, required, limits: Limits) -> Table:
    try:
        return _read_rows(raw_rows, columns, required, limits)
    finally:
        raw_rows.close()  # closes the workbook or detaches the CSV text reader


def count_rows(fileobj: IO[bytes], filename: str) -> int:
    """How many non-empty rows below the header the file holds, reading it as read_table
    does (same limits, same TableError)."""
    table = read_table(fileobj, filename, {})
    return len(table.rows)


def _read_rows(raw_rows: Iterator[list], columns, required, limits: Limits) -> Table:
    header = next(raw_rows, None)
    if header is None:
        raise TableError(_("The file is empty."))
    positions, table = _match_headers(header, columns, required)
    if table.errors:
        return table
    last_row = limits.max_rows + HEADER_ROW
    for number, cells in enumerate(raw_rows, start=HEADER_ROW + 1):
        if all(_clean(cell) is None for cell in cells):
            if number > last_row + EMPTY_ROWS_ALLOWED:
                raise TableError(_too_many_rows(limits, empty=True))
            continue
        if len(table.rows) >= limits.max_rows:
            raise TableError(_too_many_rows(limits))
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for key, i in positions.items():
            value = _clean(cells[i]) if i < len(cells) else None
            problem = _cell_problem(value, limits)
            if problem:
                problems[key] = problem
                value = None
            values[key] = value
        table.rows.append(Row(number=number, values=values, problems=problems))
    return table


def _too_many_rows(limits: Limits, *, empty: bool = False) -> str:
    message = _(
        "The file has more than %(max)s rows, the limit of one import. Split it into several files."
    ) % {"max": number_format(limits.max_rows, force_grouping=True)}
    if empty:
        message += " " + _("Empty rows below the data count too: delete them.")
    return message


def _cell_problem(value: Any, limits: Limits) -> str:
    if not isinstance(value, str):
        return ""
    if len(value) > limits.max_cell_chars:
        return _("The cell holds %(length)s characters; the limit is %(max)s.") % {
            "length": number_format(len(value), force_grouping=True),
            "max": number_format(limits.max_cell_chars, force_grouping=True),
        }
    try:
        # Every column an import reads holds one line: a name, a number, a date.
        reject_control_characters(value, single_line=True)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def _size(fileobj: IO[bytes]) -> int:
    position = fileobj.tell()
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(position)
    return size


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


def _not_xlsx() -> TableError:
    return TableError(
        _("This is not a readable .xlsx file. Save it again from Excel or WPS as .xlsx.")
    )


def _unpacked_too_large(limits: Limits) -> TableError:
    return TableError(
        _(
            "This .xlsx file unpacks to more data than one import may read (%(size)d MB, at "
            "most %(rows)s rows). Keep only the sheet to import, or split it into several files."
        )
        % {
            "size": limits.max_unpacked_bytes // (1024 * 1024),
            "rows": number_format(limits.max_rows, force_grouping=True),
        }
    )


def _check_archive(fileobj: IO[bytes], limits: Limits) -> None:
    """Refuse a zip bomb before openpyxl opens it: openpyxl reads the shared-strings table and
    several parts whole, even in read-only mode. The sizes come from the zip's directory;
    zipfile stops reading a part at its stated size, so a directory that lies about sizes
    only makes the file unreadable. The sheets and the shared strings are then scanned as a
    stream for what no spreadsheet program writes (a cell longer than Excel allows, a row
    wider than Excel's columns)."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx() from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise _not_xlsx()
        if sum(info.file_size for info in members) > limits.max_unpacked_bytes:
            raise _unpacked_too_large(limits)
        streamed = []
        for info in members:
            name = info.filename.lower()
            is_streamed = name.startswith("xl/worksheets/") or "sharedstrings" in name
            if is_streamed:
                streamed.append(info)
            elif info.file_size > MAX_WHOLE_PART_BYTES and name.endswith((".xml", ".rels")):
                raise _unpacked_too_large(limits)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_WHOLE_PART_BYTES and ratio > MAX_COMPRESSION_RATIO:
                raise _unpacked_too_large(limits)
        for info in streamed:
            if info.filename.lower().endswith(".xml"):
                _scan_part(archive, info, limits)
    fileobj.seek(0)


class _Oversized(Exception):
    """A part holds what no spreadsheet program writes; the argument says what."""


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream one sheet or shared-strings part through expat, keeping only counters.

    Rows are counted too: opening a workbook, openpyxl reads every sheet that does not state
    its size from start to end, keeping an element per row."""
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"chars": 0, "cells": 0, "strings": 0, "rows": 0}
    max_rows = HEADER_ROW + limits.max_rows + EMPTY_ROWS_ALLOWED

    def start(name, attrs):
        local = name.rpartition(" ")[2]
        if local in ("c", "si"):
            state["chars"] = 0
            if local == "si":
                state["strings"] += 1
                if state["strings"] > MAX_SHARED_STRINGS:
                    raise _Oversized("strings")
            else:
                state["cells"] += 1
                if state["cells"] > EXCEL_COLUMNS:
                    raise _Oversized
        elif local == "row":
            state["cells"] = 0
            state["rows"] += 1
            if state["rows"] > max_rows:
                raise _Oversized("rows")

    def text(data):
        state["chars"] += len(data)
        if state["chars"] > EXCEL_CELL_CHARS:
            raise _Oversized

    def doctype(*args):
        raise _Oversized  # no spreadsheet declares entities

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(info) as part:
            while chunk := part.read(256 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Oversized as exc:
        if exc.args == ("rows",):
            raise TableError(_too_many_rows(limits, empty=True)) from None
        if exc.args == ("strings",):
            raise TableError(
                _(
                    "This .xlsx file holds more than %(max)s different texts. Keep only the "
                    "sheet to import, or split it into several files."
                )
                % {"max": number_format(MAX_SHARED_STRINGS, force_grouping=True)}
            ) from None
        raise TableError(
            _(
                "This .xlsx file holds a cell or row larger than Excel allows (%(chars)s "
                "characters per cell, %(columns)s columns). It was not saved by a spreadsheet "
                "program; save it again from Excel or WPS."
            )
            % {
                "chars": number_format(EXCEL_CELL_CHARS, force_grouping=True),
                "columns": number_format(EXCEL_COLUMNS, force_grouping=True),
            }
        ) from None
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _not_xlsx() from exc


def _xlsx_rows(fileobj: IO[bytes], limits: Limits):
    _check_archive(fileobj, limits)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:
        # A corrupt or mislabelled upload fails in zipfile, XML parsing or openpyxl itself,
        # with no common exception type; any of them means the same thing to the user.
        raise _not_xlsx() from exc
    try:
        if not workbook.worksheets:
            raise _not_xlsx()
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size, which would cut off columns.
        sheet.reset_dimensions()
        try:
            for row in sheet.iter_rows(values_only=True):
                # Excel writes characters XML cannot hold as _xHHHH_ (a backspace: _x0008_)
                # and shows them as those characters; openpyxl leaves them escaped.
                yield [unescape(c) if isinstance(c, str) and "_x" in c else c for c in row]
        except Exception as exc:
            raise _not_xlsx() from exc
    finally:
        workbook.close()


class _NotUtf8(Exception):
    pass


def _csv_rows(fileobj: IO[bytes], encoding: str = ""):
    """The rows of a CSV file, read line by line. The encoding is UTF-8 (with or without
    BOM) when the start of the file reads as UTF-8, else GB18030 (what Excel on Chinese
    Windows saves as "CSV", GBK being a subset)."""
    if not encoding:
        head = fileobj.read(64 * 1024)
        fileobj.seek(0)
        encoding = "utf-8-sig" if _looks_like_utf8(head) else "gb18030"
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig":
            raise _NotUtf8 from exc
        raise TableError(
            _("Cannot read the text of this CSV file. Save it as “CSV UTF-8”.")
        ) from exc
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise TableError(
                _("Row %(row)s of this CSV file holds a cell larger than %(max)s characters.")
                % {
                    "row": number_format(reader.line_num, force_grouping=True),
                    "max": number_format(csv.field_size_limit(), force_grouping=True),
                }
            ) from exc
        raise TableError(_("This CSV file is malformed: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()  # the caller's file stays open


def _looks_like_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a character.
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


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
