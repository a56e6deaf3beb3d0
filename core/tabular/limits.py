"""What one import may read: Excel's own limits, the settings' limits, and the messages
that name them."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

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


def _too_many_rows(limits: Limits, *, empty: bool = False) -> str:
    message = _(
        "The file has more than %(max)s rows, the limit of one import. Split it into several files."
    ) % {"max": number_format(limits.max_rows, force_grouping=True)}
    if empty:
        message += " " + _("Empty rows below the data count too: delete them.")
    return message
