"""Upload checks by content: the real bytes decide a file's type, not its name, and a size
limit applies. Record attachments (records.files) and teacher photos use the same check."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .wording import list_separator

EQUIVALENT = {"jpeg": "jpg"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str


def claimed_extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EQUIVALENT.get(ext, ext)


OOXML_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def _ooxml_kind(upload) -> str | None:
    """Office Open XML files are ZIP archives; the part names inside say which kind."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    for ext, marker in OOXML_MARKERS.items():
        if marker in names:
            return ext
    return None


def _sniffed_extension(upload, head: bytes, claimed: str) -> str | None:
    if claimed in OOXML_MARKERS and head.startswith(b"PK"):
        return _ooxml_kind(upload)
    kind = filetype.guess(head)
    if kind is not None:
        found = EQUIVALENT.get(kind.extension, kind.extension)
        # Old Office formats share one container; the sniffer cannot always tell them apart.
        if head.startswith(OLE2) and claimed in ("doc", "xls", "ppt"):
            return claimed
        return found
    if head.startswith(OLE2) and claimed in ("doc", "xls", "ppt"):
        return claimed
    return None


def check_file(upload, *, types, max_mb: int) -> CheckedFile:
    """Raise ValidationError (in the user's language) unless the file is one of ``types``,
    by content, and at most ``max_mb`` megabytes."""
    allowed = [t.lower() for t in types]
    limit = max_mb * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; files may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name})
    claimed = claimed_extension(upload.name)
    if claimed not in allowed:
        raise ValidationError(
            _("%(name)s: only these file types may be uploaded: %(types)s.")
            % {"name": upload.name, "types": list_separator().join(allowed)}
        )
    upload.seek(0)
    head = upload.read(8192)
    sniffed = _sniffed_extension(upload, head, claimed)
    if sniffed != claimed:
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file. Save it again as %(ext)s and upload that.")
            % {"name": upload.name, "ext": claimed}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    content_type = CONTENT_TYPES.get(claimed, "application/octet-stream")
    return CheckedFile(claimed, content_type, upload.size, digest.hexdigest())
