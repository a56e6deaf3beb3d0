"""The rows of an .xlsx file, after the archive is checked for what no spreadsheet program
writes."""

import zipfile
from typing import IO
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from .errors import TableError
from .limits import (
    EMPTY_ROWS_ALLOWED,
    EXCEL_CELL_CHARS,
    EXCEL_COLUMNS,
    HEADER_ROW,
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    MAX_SHARED_STRINGS,
    MAX_WHOLE_PART_BYTES,
    Limits,
    _too_many_rows,
)


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
