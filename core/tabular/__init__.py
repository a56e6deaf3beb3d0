"""Reading spreadsheets that schools upload (.xlsx or .csv) into rows keyed by column.

Every import (the roster, later backbone designations) describes its columns once: a
canonical key and the header names people actually type, in Chinese and English. The reader
finds those columns in any order, keeps each row's spreadsheet row number so that errors can
point at the cell, and leaves the meaning of the values to the import.

The rooms: ``reader`` (read_table, Row, Table), ``errors`` (RowError, RowErrors,
TableError), ``limits`` (what one import may read), ``cells`` (cell_text, parse_date),
``xlsx`` and ``csv_rows`` (the two file types)."""

from .cells import cell_text, parse_date
from .errors import RowError, RowErrors, TableError
from .limits import (
    EMPTY_ROWS_ALLOWED,
    EXCEL_CELL_CHARS,
    EXCEL_COLUMNS,
    HEADER_ROW,
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    MAX_SHARED_STRINGS,
    MAX_WHOLE_PART_BYTES,
    PROGRESS_EVERY,
    Limits,
    file_too_large_message,
)
from .reader import Row, Table, count_rows, read_table

__all__ = [
    "EMPTY_ROWS_ALLOWED",
    "EXCEL_CELL_CHARS",
    "EXCEL_COLUMNS",
    "HEADER_ROW",
    "MAX_ARCHIVE_MEMBERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_SHARED_STRINGS",
    "MAX_WHOLE_PART_BYTES",
    "PROGRESS_EVERY",
    "Limits",
    "Row",
    "RowError",
    "RowErrors",
    "Table",
    "TableError",
    "cell_text",
    "count_rows",
    "file_too_large_message",
    "parse_date",
    "read_table",
]
