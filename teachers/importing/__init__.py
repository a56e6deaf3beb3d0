"""Importing a school's roster from a spreadsheet: all rows valid, or nothing written.

Teachers are matched by (school, staff number), so importing the same file twice changes
nothing. Columns missing from the file and empty cells leave an existing teacher's value as
it is; teachers absent from the file are not touched.

The rooms: ``columns`` (the columns and reading each cell), ``plan`` (checking every row and
planning the change) and ``run`` (the import, its messages and its job).
"""

from core.import_jobs import Action

from .columns import COLUMNS, REQUIRED, column_help
from .plan import GROUP_NAME_MAX, ImportResult, ImportRow
from .run import JOB_KIND, checked_message, imported_message, roster_import, roster_import_job

__all__ = [
    "Action",
    "COLUMNS",
    "GROUP_NAME_MAX",
    "ImportResult",
    "ImportRow",
    "JOB_KIND",
    "REQUIRED",
    "checked_message",
    "column_help",
    "imported_message",
    "roster_import",
    "roster_import_job",
]
