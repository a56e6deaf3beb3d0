"""Names of the files Gugan hands out, built in one place from user text.

A teacher's name, a school's name or an uploaded file's original name ends up in download
names (Content-Disposition), in the names of members of a ZIP (the batch dossiers, the data
export's ``files/``) and in job files on disk. ``safe_filename`` makes any of them one plain
file name: no directory part (``../``, ``/``, ``\\``), no control or direction-changing
characters, nothing Windows refuses, and short enough for every file system (255 bytes) even
in Chinese, where a character takes three bytes."""

import mimetypes
import re
import unicodedata
from typing import IO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# Path separators, what Windows forbids in names, control characters, and the invisible
# characters that reorder text (a name could show as "…fdp.exe" and be "….exe").
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}  # fmt: skip
MAX_NAME_BYTES = 150  # well under 255, leaving room for a "-2" or a storage suffix
MAX_EXTENSION = 10


def _truncate_utf8(text: str, max_bytes: int) -> str:
    return text.encode("utf-8")[: max(max_bytes, 0)].decode("utf-8", "ignore")


def safe_filename(name, *, default: str = "file", max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` as a file name safe on every system and inside any archive."""
    name = unicodedata.normalize("NFC", str(name))
    name = _SPACES.sub(" ", _UNSAFE.sub("_", name)).strip(" .")
    if not name:
        name = default
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > MAX_EXTENSION:
        stem, dot, ext = name, "", ""
    if stem.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    stem = _truncate_utf8(stem, max_bytes - len(f"{dot}{ext}".encode())).rstrip(" .") or "_"
    return f"{stem}{dot}{ext}"


def document_filename(*parts, ext: str) -> str:
    """The one style of a generated file's name: its parts joined by "_", through
    ``safe_filename``, e.g. 城关第一小学_2025-2026学年_年度研训报告.pdf. Empty parts drop out."""
    stem = "_".join(str(p).strip().replace("_", " ") for p in parts if p and str(p).strip())
    return safe_filename(f"{stem}.{ext}")


def year_part(start: int) -> str:
    """A school year as a file name part: 2025-2026学年."""
    return _("School year %(year)s") % {"year": f"{start}-{start + 1}"}


def time_part() -> str:
    """When a file of the same name is made again the same day (an export): 20261202-1630."""
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def current_year_part() -> str:
    """The school year of today as a file name part."""
    from .models import school_year_start

    return year_part(school_year_start(timezone.localdate()))


def _ascii_fallback(name: str) -> str:
    """An ASCII name for clients that do not read ``filename*`` (RFC 6266 §4.3)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _SPACES.sub(" ", text.replace('"', "_").replace("\\", "_")).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if not stem.strip(" _-"):
        return f"download.{ext}" if dot else "download"
    return text


def content_disposition(filename: str, *, as_attachment: bool = True) -> str:
    """The Content-Disposition header for ``filename`` (made safe): a plain ``filename`` for
    ASCII names, plus ``filename*`` in UTF-8 (RFC 5987) when it holds Chinese."""
    name = safe_filename(filename)
    disposition = "attachment" if as_attachment else "inline"
    if name.isascii():
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{_ascii_fallback(name)}\"; filename*=utf-8''{quote(name)}"


def download_response(
    content: bytes | IO[bytes],
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> HttpResponse:
    """A response that downloads ``content`` (bytes or an open binary file) as ``filename``.

    The browser never renders it whatever its bytes say, and shared caches do not keep it."""
    name = safe_filename(filename)
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private"
    return response
