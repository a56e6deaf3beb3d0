# ruff: noqa: E501  (the XML of an .xlsx package, kept whole)
"""Hostile and broken spreadsheets, built on the fly (nothing binary is committed).

Each builder writes a file and returns its path. The large parts are written through
zipfile in chunks, so building a file that unpacks to gigabytes costs the test little memory."""

import struct
import zipfile
from pathlib import Path

ROSTER_HEADER = ["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"]
DESIGNATION_HEADER = ["工号", "骨干级别", "认定单位", "起始学年"]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)  # fmt: skip
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)  # fmt: skip
_SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_CLOSE = "</sheetData></worksheet>"
_SST_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
CHUNK = 1024 * 1024


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _row(indexes) -> str:
    """A row whose cells are shared strings (no r attributes, as some programs write)."""
    return "<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in indexes) + "</row>"


def _package(path: Path, *, strings, sheet_body, extra=()) -> Path:
    """An .xlsx package; ``strings`` and ``sheet_body`` are iterables of text chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, chunks in (
            ("xl/sharedStrings.xml", strings),
            ("xl/worksheets/sheet1.xml", sheet_body),
        ):
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk.encode())
        for name, chunks in extra:
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return path


def _strings(values, *, giant_chars: int = 0):
    yield _SST_OPEN
    for value in values:
        yield f"<si><t>{_escape(value)}</t></si>"
    if giant_chars:
        yield "<si><t>"
        left = giant_chars
        while left > 0:
            yield "A" * min(CHUNK, left)
            left -= CHUNK
        yield "</t></si>"
    yield "</sst>"


def giant_shared_string(path: Path, *, megabytes: int, header=ROSTER_HEADER, row=None) -> Path:
    """One shared string of ``megabytes`` MB (about 1 MB on disk per GB unpacked), in the
    cell of the only row that ``row`` leaves as None (by default the roster's name)."""
    row = row or ["A1", None, "女", "2008-09-01", "本科", "语文"]
    values = [*header, *(cell for cell in row if cell is not None)]
    giant = len(values)
    cells, next_value = [], len(header)
    for cell in row:
        if cell is None:
            cells.append(giant)
        else:
            cells.append(next_value)
            next_value += 1
    body = [_SHEET_OPEN, _row(range(len(header))), _row(cells), _SHEET_CLOSE]
    return _package(path, strings=_strings(values, giant_chars=megabytes * CHUNK), sheet_body=body)


def many_identical_rows(path: Path, *, rows: int, header=ROSTER_HEADER, row=None) -> Path:
    """``rows`` identical rows below the header; by default a roster row with a bad gender."""
    values = list(header) + list(row or ["A1", "王芳", "人", "2008-09-01", "本科", "语文"])
    width = len(header)
    line = _row(range(width, 2 * width))

    def body():
        yield _SHEET_OPEN + _row(range(width))
        block = line * 1000
        for _ in range(rows // 1000):
            yield block
        yield line * (rows % 1000)
        yield _SHEET_CLOSE

    return _package(path, strings=_strings(values), sheet_body=body())


def rows_xlsx(path: Path, rows, *, header=ROSTER_HEADER, unused_strings=()) -> Path:
    """A well-formed sheet of the given rows (lists of text), through shared strings; the
    table also holds ``unused_strings`` (another sheet's, say)."""
    values: list[str] = list(unused_strings)
    index: dict[str, int] = {}

    def ref(text):
        if text not in index:
            index[text] = len(values)
            values.append(text)
        return index[text]

    lines = [_row([ref(t) for t in header])] + [_row([ref(t) for t in r]) for r in rows]
    return _package(path, strings=_strings(values), sheet_body=[_SHEET_OPEN, *lines, _SHEET_CLOSE])


def bomb_member(path: Path, *, member: str, megabytes: int) -> Path:
    """A valid little roster plus one member of ``megabytes`` MB of zeros (a zip bomb wearing
    an .xlsx name: openpyxl never looks at xl/media, but a theme or styles part it reads)."""

    def zeros():
        for _ in range(megabytes):
            yield bytes(CHUNK)

    rows = [["A1", "王芳", "女", "2008-09-01", "本科", "语文"]]
    values = [*ROSTER_HEADER, *rows[0]]
    body = [_SHEET_OPEN, _row(range(6)), _row(range(6, 12)), _SHEET_CLOSE]
    return _package(path, strings=_strings(values), sheet_body=body, extra=[(member, zeros())])


def lying_sizes(path: Path, *, megabytes: int) -> Path:
    """A giant shared string whose zip directory claims a tiny size (a bomb that lies)."""
    giant_shared_string(path, megabytes=megabytes)
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    # Central directory entries (PK\1\2): the uncompressed size is at offset 24; zip64
    # extra fields hold the real one, so rewrite those too.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_len, extra_len = struct.unpack_from("<HH", data, start + 28)
        if data[start + 46 : start + 46 + name_len] == name:
            struct.pack_into("<I", data, start + 24, 1000)
            extra = start + 46 + name_len
            end = extra + extra_len
            while extra < end:
                tag, size = struct.unpack_from("<HH", data, extra)
                if tag == 1:  # zip64: uncompressed size first
                    struct.pack_into("<Q", data, extra + 4, 1000)
                extra += 4 + size
        start += 4
    path.write_bytes(bytes(data))
    return path


def empty_rows(path: Path, *, rows: int) -> Path:
    """A header and ``rows`` empty row elements: tiny packed, slow and large to parse."""

    def body():
        yield _SHEET_OPEN + _row(range(len(ROSTER_HEADER)))
        for start in range(2, rows + 2, 10000):
            yield "".join(f'<row r="{n}"/>' for n in range(start, start + 10000))
        yield _SHEET_CLOSE

    return _package(path, strings=_strings(ROSTER_HEADER), sheet_body=body())


# -- what Gugan writes back ----------------------------------------------------------------
# Text a user may type that Excel would run as a formula (it opens a link when clicked).
FORMULA = '=HYPERLINK("http://x.example/","y")'


def assert_inert(workbook, text: str = FORMULA) -> None:
    """``text`` is in the workbook as a text cell and no cell anywhere is a formula."""
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(c.value == text and c.data_type == "s" for c in cells)
