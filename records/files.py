"""Upload checks for record attachments: the real content decides the type, not the name."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.upload_checks import CheckedFile, check_file, claimed_extension
from core.wording import list_separator

from .models import Attachment


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
    claimed = claimed_extension(name)
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
        "types": list_separator().join(documents.types),
        "limit": documents.max_mb,
        "photo_types": list_separator().join(photo.types),
        "photo_limit": photo.max_mb,
        "video_types": list_separator().join(video.types),
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
    """Raise ValidationError unless the file is an allowed type for its role, by content,
    and within the role's size limit (core.upload_checks)."""
    rule = upload_rule(role)
    return check_file(upload, types=rule.types, max_mb=rule.max_mb)
