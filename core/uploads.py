"""Uploads that wait between a preview and its confirmation (roster and designation imports).

The file is kept in the default storage (``STORAGES["default"]``: the file store under
MEDIA_ROOT, or an object store shared by several machines) under imports/ with a random name;
the session holds only that bare name, never a path. Unconfirmed files are removed by the
daily cleanup (core.jobs)."""

import datetime
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import default_storage

PENDING_DIR = "imports"


def _name(pending: dict) -> str:
    # Only the bare name is trusted from the session, never a path.
    return f"{PENDING_DIR}/{PurePosixPath(pending['file']).name}"


def pending_exists(pending: dict) -> bool:
    return default_storage.exists(_name(pending))


def pending_open(pending: dict):
    """The waiting upload, opened for reading (binary)."""
    return default_storage.open(_name(pending), "rb")


def pending_delete(pending: dict) -> None:
    name = _name(pending)
    if default_storage.exists(name):
        default_storage.delete(name)


def pending_save(upload) -> str:
    """Store an uploaded file and return the name to keep in the session."""
    name = f"{uuid.uuid4().hex}{PurePosixPath(upload.name).suffix.lower()}"
    saved = default_storage.save(f"{PENDING_DIR}/{name}", upload)
    return PurePosixPath(saved).name


def pending_discard(request, session_key: str, pending: dict | None = None) -> None:
    """Forget the waiting upload (the session's, or ``pending``) and delete its file."""
    stored = request.session.pop(session_key, None)
    for item in (stored, pending):
        if item:
            pending_delete(item)


def pending_cleanup(*, before: datetime.datetime) -> int:
    """Delete waiting uploads last changed before ``before``; returns how many."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            removed += 1
    return removed
