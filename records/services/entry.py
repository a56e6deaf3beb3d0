"""One-screen entry: a record and its files saved together, in one request, all or nothing."""

from collections.abc import Callable, Sequence

from django.db import transaction

from ..models import Record
from .files import attachment_add
from .workflow import record_save


def record_save_with_files(
    *,
    record: Record,
    uploads: Sequence,
    role: str,
    by,
    after_save: Callable[[], None] | None = None,
) -> Record:
    """Save ``record`` as its author and attach every upload to it (``role`` for all of them,
    or empty to let each file decide). When one file is refused nothing is kept: neither the
    record's changes nor the other files; the ValidationError names the file.
    ``after_save`` runs inside the transaction once the row exists (a form's save_m2m)."""
    stored = []
    try:
        with transaction.atomic():
            record_save(record=record, by=by)
            if after_save is not None:
                after_save()
            for upload in uploads:
                attachment = attachment_add(record=record, upload=upload, role=role, by=by)
                stored.append((attachment.file.storage, attachment.file.name))
    except Exception:
        # The rows were rolled back; their stored files would be orphans nobody can reach.
        for storage, name in stored:
            storage.delete(name)
        raise
    return record
