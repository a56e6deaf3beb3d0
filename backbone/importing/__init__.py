"""Importing designations recorded outside Gugan (district tier and up, honorary titles) from a
spreadsheet: all rows valid, or nothing written.

A row matches an existing designation by teacher, tier and first school year, so importing the
same file twice creates nothing new. The file is read by core.tabular, like the roster.

The rooms: ``columns`` (the columns and reading the cells), ``plan`` (checking every row and
planning the change) and ``run`` (the import, its messages and its job).
"""

from core.import_jobs import Action, ImportResult

from .columns import COLUMNS, REQUIRED, column_help, parse_school_year
from .plan import COMPARED, ImportRow
from .run import (
    JOB_KIND,
    checked_message,
    designation_import,
    designation_import_job,
    imported_message,
)

__all__ = [
    "Action",
    "COLUMNS",
    "COMPARED",
    "ImportResult",
    "ImportRow",
    "JOB_KIND",
    "REQUIRED",
    "checked_message",
    "column_help",
    "designation_import",
    "designation_import_job",
    "imported_message",
    "parse_school_year",
]
