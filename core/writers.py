"""Writing the spreadsheets Gugan hands out (.xlsx and .csv): every export goes through here.

Two things make user text dangerous in a spreadsheet, and both are handled once, here:
- a cell starting like a formula (``=HYPERLINK("http://x.example/","y")``) would run when the
  file is opened (formula or CSV injection). In an .xlsx every text is an inline string cell,
  which no program evaluates; in a CSV file, which has no cell types, it gets a leading
  apostrophe, which Excel and WPS read as "this is text".
- a control character (a NUL byte, a backspace) makes the .xlsx unreadable for everyone, so it
  is dropped. Forms and imports refuse them; this covers data stored before they did.

The workbook is written here, not by openpyxl: rows go to a temporary file per sheet as they
come, so memory stays flat whatever the number of rows, and a cell costs a string format
instead of a cell object (openpyxl's write-only sheet, lxml or not, took 7 µs a cell; this
takes about 1 µs with the cleaning of the text, which made the complete data export several
times faster). What it writes is the plain subset of SpreadsheetML that Excel, WPS,
LibreOffice and openpyxl read: inline strings, numbers, booleans, dates with a date format, a
bold frozen header row and column widths (LibreOffice reads every cell of a complete data
export back as its CSV file has it).
"""

import csv
import datetime
import re
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from django.utils.functional import Promise

from .validators import strip_control_characters

# What Excel, WPS and LibreOffice take as the start of a formula in a CSV cell (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
XLSX_MAX_CELL = 32_767  # characters in one Excel cell
XLSX_MAX_TITLE = 31
_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def plain(value: Any, tz: datetime.tzinfo | None = None) -> Any:
    """A value both writers accept: text for lazy strings, local naive datetimes (in ``tz``,
    by default the current time zone: pass it when converting many)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(tz or timezone.get_current_timezone()).replace(tzinfo=None)
    return value


_KEPT_BY_PLAIN = frozenset({str, int, float, bool, type(None), datetime.date, Decimal})


def plain_row(values: Iterable, tz: datetime.tzinfo) -> list:
    """``plain`` of each value, quickly for a long export: most values need nothing."""
    return [v if type(v) in _KEPT_BY_PLAIN else plain(v, tz) for v in values]


def csv_value(value: Any) -> str:
    """``value`` as the text of a CSV cell that no spreadsheet program runs as a formula."""
    if type(value) is not str:  # text first: most cells are
        value = plain(value)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.isoformat(" ", "seconds")
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


# -- the .xlsx file ------------------------------------------------------------------------------

# Cell styles (cellXfs in styles.xml, by position).
_BOLD, _DATE, _DATETIME, _TIME = 1, 2, 3, 4
_EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()  # serial 0; right from 1900-03-01 on
_NON_XML = ("\ufffe", "\uffff")  # not allowed in XML; control characters go with the rest

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_NS}><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt \
numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="166" formatCode="hh:mm:ss"/>\
</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2">\
<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf \
numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" \
fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" \
fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" \
fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles \
count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, text: str, style: str = "") -> str:
    """``ref`` is empty (the cell after the one before) or ' r="B7"' (after an empty one)."""
    text = strip_control_characters(text)[:XLSX_MAX_CELL]
    if _NON_XML[0] in text or _NON_XML[1] in text:
        text = text.replace(_NON_XML[0], "").replace(_NON_XML[1], "")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c{ref}{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _seconds(value: datetime.time | datetime.datetime) -> float:
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400


def _cell(ref: str, value: Any, style: str = "") -> str:
    """The XML of one cell; text is always an inline string, never a formula."""
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value, style)
    if kind is int or kind is float or kind is Decimal:
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinity
            return _text_cell(ref, str(value), style)
        return f"<c{ref}{style}><v>{value}</v></c>"
    if kind is bool:
        return f'<c{ref}{style} t="b"><v>{int(value)}</v></c>'
    if kind is datetime.date:
        return f'<c{ref} s="{_DATE}"><v>{value.toordinal() - _EXCEL_EPOCH}</v></c>'
    if kind is datetime.datetime:
        value = plain(value)
        serial = value.toordinal() - _EXCEL_EPOCH + _seconds(value)
        return f'<c{ref} s="{_DATETIME}"><v>{serial!r}</v></c>'
    if kind is datetime.time:
        return f'<c{ref} s="{_TIME}"><v>{_seconds(value)!r}</v></c>'
    return _text_cell(ref, str(plain(value)), style)


class XlsxSheet:
    """One sheet of an XlsxWorkbook: append rows of plain Python values. Rows go to a
    temporary file, so a sheet of a million rows costs no more memory than one of ten."""

    def __init__(self, title: str, headers: Iterable | None, *, width: int | None, bold: bool):
        self.title = title
        self.rows = 0
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the book is saved)
        self._letters: list[str] = []
        headers = None if headers is None else [plain(h) for h in headers]
        view = ""
        if headers is not None and bold:
            view = (
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            )
        cols = ""
        if headers and width:
            # One <col> a column: readers take a range as one column.
            cols = "".join(
                f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                for n in range(1, len(headers) + 1)
            )
            cols = f"<cols>{cols}</cols>"
        self._file.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>'
            f'{view}<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>'.encode()
        )
        if headers is not None:
            self._append(headers, ' s="1"' if bold else "")

    def _refs(self, count: int) -> list[str]:
        while len(self._letters) < count:
            self._letters.append(column_letter(len(self._letters) + 1))
        return self._letters

    def _append(self, values: list, style: str) -> None:
        self.rows += 1
        row = self.rows
        letters = self._refs(len(values))
        # A cell says where it is only after an empty one (left out): readers place the
        # others next to the cell before, and the file is smaller and quicker to write.
        cells, gap = [], False
        for letter, value in zip(letters, values, strict=False):
            if value is None:
                gap = True
                continue
            cells.append(_cell(f' r="{letter}{row}"' if gap else "", value, style))
            gap = False
        self._file.write(f'<row r="{row}">{"".join(cells)}</row>'.encode())

    def append(self, values: Iterable) -> None:
        if self.rows >= XLSX_MAX_ROWS:
            raise ValueError(f"a sheet holds at most {XLSX_MAX_ROWS} rows")
        self._append(list(values), "")

    def _finish(self, target: IO[bytes]) -> None:
        self._file.write(b"</sheetData></worksheet>")
        self._file.seek(0)
        while chunk := self._file.read(1024 * 1024):
            target.write(chunk)
        self._file.close()


class XlsxWorkbook:
    """A streaming .xlsx workbook: sheets of rows, every cell written by ``_cell``."""

    def __init__(self):
        self.sheets: list[XlsxSheet] = []

    def add_sheet(
        self,
        title: Any,
        headers: Iterable | None = None,
        *,
        width: int | None = None,
        bold: bool = False,
    ) -> XlsxSheet:
        """A new sheet, its header row first; ``width`` sets every header column's width.
        A title already taken gets a number, as Excel does ("名单1")."""
        title = sheet_title(title)
        taken = {sheet.title.casefold() for sheet in self.sheets}
        base, n = title, 1
        while title.casefold() in taken:
            title = f"{base[: XLSX_MAX_TITLE - len(str(n))]}{n}"
            n += 1
        sheet = XlsxSheet(title, headers, width=width, bold=bold)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path | str | IO[bytes]) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            count = len(self.sheets)
            package.writestr("[Content_Types].xml", _content_types(count))
            package.writestr("_rels/.rels", _RELS)
            package.writestr("xl/workbook.xml", _workbook(self.sheets))
            package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
            package.writestr("xl/styles.xml", _STYLES)
            for number, sheet in enumerate(self.sheets, start=1):
                with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as fh:
                    sheet._finish(fh)


_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
        'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        f'{_CT}.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="{_CT}.styles'
        f'+xml"/>{sheets}</Types>'
    )


def _workbook(sheets: list[XlsxSheet]) -> str:
    entries = "".join(
        f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_NS_R}>'
        f"<bookViews><workbookView/></bookViews><sheets>{entries}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">{sheets}{styles}</Relationships>'
    )


class CsvWriter:
    """csv.writer over a text stream, every cell through ``csv_value``."""

    def __init__(self, stream: IO[str]):
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable) -> None:
        self._writer.writerow([csv_value(v) for v in values])
