"""Attachments of professional records. Removing an attachment removes the file for everyone:
it leaves storage, and only its row (name, size, type, uploader) and the audit trail (who
removed it, when) remain. Archiving a record keeps every file it has."""

import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..files import CheckedFile, check_upload, role_for
from ..models import Attachment, AuditEntry, Record, Status
from .workflow import audit_log

logger = logging.getLogger(__name__)


def _open_record_of_author(record: Record, by) -> Record:
    """The record, locked, once we know ``by`` is its author and it may still change."""
    current = (
        Record.objects.select_for_update(of=("self",)).select_related("teacher").get(pk=record.pk)
    )
    if current.teacher.user_id is None or current.teacher.user_id != by.pk:
        raise PermissionDenied
    if current.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            _("This record is %(status)s: its files can no longer be changed.")
            % {"status": current.get_status_display()}
        )
    return current


def _display_name(name: str) -> str:
    # Only shown and offered back as the download name; never used as a path.
    name = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    return name.strip()[-255:] or "file"


@transaction.atomic
def attachment_add(*, record: Record, upload, role: str, by) -> Attachment:
    """Attach an uploaded file to a record as its author, while the record is a draft or
    returned. The content decides the type (records.files.check_upload); an empty ``role``
    lets the file decide it (records.files.role_for). The same file twice is refused."""
    record = _open_record_of_author(record, by)
    role = role_for(upload.name, role)
    checked = check_upload(upload, role)
    name = _display_name(upload.name)
    _refuse_duplicate(record, name=name, checked=checked)
    attachment = Attachment(
        record=record,
        role=role,
        token=secrets.token_hex(20),
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.full_clean(exclude=["file"])
    attachment.file.save(attachment.token, upload, save=False)
    try:
        attachment.save()
        audit_log(
            record=record,
            actor=by,
            action=AuditEntry.Action.FILE_ADDED,
            note=attachment.original_name,
            changes={
                "attachment": attachment.pk,
                "role": role,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )
    except Exception:
        # The row never existed, so the file is an orphan nobody can reach.
        attachment.file.delete(save=False)
        raise
    logger.info("attachment %s added to record %s by %s", attachment.pk, record.pk, by.pk)
    return attachment


def _refuse_duplicate(record: Record, *, name: str, checked: CheckedFile) -> None:
    # The caller holds the record's row lock, so two uploads of one file cannot both pass.
    same = (
        record.attachments.filter(removed_at__isnull=True)
        .filter(Q(original_name=name, size=checked.size) | Q(sha256=checked.sha256))
        .first()
    )
    if same is not None:
        raise ValidationError(
            _("%(name)s is already attached to this record (as %(existing)s).")
            % {"name": name, "existing": same.original_name}
        )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> Attachment:
    """Take a file off a record, for everyone: the stored file is deleted once the removal is
    committed; the row keeps its name and size, and the audit trail says who and when."""
    _open_record_of_author(attachment.record, by)
    current = Attachment.objects.select_for_update().get(pk=attachment.pk)
    stored = current.file.name
    updated = Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), file=""
    )
    attachment.refresh_from_db(fields=["removed_at", "file"])
    if updated:
        audit_log(
            record=attachment.record,
            actor=by,
            action=AuditEntry.Action.FILE_REMOVED,
            note=attachment.original_name,
            changes={"attachment": attachment.pk, "size": attachment.size},
        )
        if stored:
            storage = current.file.storage
            transaction.on_commit(lambda: _delete_stored(storage, stored))
    return attachment


def _delete_stored(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row no longer names it, so no URL reaches it; only the disk still holds it.
        logger.exception("could not delete the stored file %s of a removed attachment", name)
