"""Upload checks for record attachments: the real content decides the type, not the name."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

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


def _claimed_extension(name: str) -> str:
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


@dataclass(frozen=True)
class UploadRule:
    types: tuple[str, ...]
    max_mb: int


def upload_rule(role: str) -> UploadRule:
    """What a file of this role may be: classroom photos and recordings have their own types
    and size limits (settings RECORD_PHOTO_*, RECORD_VIDEO_*); every other role the documents'."""
    if role == Attachment.Role.PHOTO:
        types, max_mb = settings.RECORD_PHOTO_TYPES, settings.RECORD_PHOTO_MAX_MB
    elif role == Attachment.Role.VIDEO:
        types, max_mb = settings.RECORD_VIDEO_TYPES, settings.RECORD_VIDEO_MAX_MB
    else:
        types, max_mb = settings.RECORD_UPLOAD_TYPES, settings.RECORD_UPLOAD_MAX_MB
    return UploadRule(tuple(t.lower() for t in types), max_mb)


def role_for(name: str, role: str) -> str:
    """The role a file gets when the teacher left "what it is" to the file itself: a video is
    a classroom recording, a picture a classroom photo, anything else "Other"."""
    if role:
        return role
    claimed = _claimed_extension(name)
    for guessed in (Attachment.Role.VIDEO, Attachment.Role.PHOTO):
        if claimed in upload_rule(guessed).types:
            return guessed
    return Attachment.Role.OTHER


def upload_help() -> str:
    """The types and limits, in one line for the upload fields."""
    documents = upload_rule(Attachment.Role.OTHER)
    photo = upload_rule(Attachment.Role.PHOTO)
    video = upload_rule(Attachment.Role.VIDEO)
    return _(
        "Documents: %(types)s, at most %(limit)d MB each; classroom photos: %(photo_types)s, "
        "at most %(photo_limit)d MB; classroom recordings: %(video_types)s, at most "
        "%(video_limit)d MB."
    ) % {
        "types": ", ".join(documents.types),
        "limit": documents.max_mb,
        "photo_types": ", ".join(photo.types),
        "photo_limit": photo.max_mb,
        "video_types": ", ".join(video.types),
        "video_limit": video.max_mb,
    }


def accepted_extensions() -> str:
    """The ``accept`` attribute of a file input: every extension of every role."""
    types = {
        t
        for role in (Attachment.Role.OTHER, Attachment.Role.PHOTO, Attachment.Role.VIDEO)
        for t in upload_rule(role).types
    }
    return ",".join(f".{t}" for t in sorted(types))


def check_upload(upload, role: str = "") -> CheckedFile:
    """Raise ValidationError (in the user's language) unless the file is an allowed type for
    its role, by content, and within the role's size limit."""
    rule = upload_rule(role)
    allowed = list(rule.types)
    limit = rule.max_mb * 1024 * 1024
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
    claimed = _claimed_extension(upload.name)
    if claimed not in allowed:
        raise ValidationError(
            _("%(name)s: only these file types may be uploaded: %(types)s.")
            % {"name": upload.name, "types": ", ".join(allowed)}
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
