"""The reader: a sheet's header row matched to the import's columns, then its rows keyed by
column, each cell checked against the limits."""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..validators import reject_control_characters
from .cells import _clean, cell_text
from .csv_rows import _csv_rows, _NotUtf8
from .errors import RowError, TableError
from .limits import EMPTY_ROWS_ALLOWED, HEADER_ROW, Limits, _too_many_rows, file_too_large_message
from .xlsx import _xlsx_rows


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
