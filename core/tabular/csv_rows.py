"""The rows of a .csv file, in UTF-8 or GB18030."""

import csv
import io
from typing import IO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .errors import TableError


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
