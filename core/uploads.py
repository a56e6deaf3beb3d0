"""Uploads that wait between a preview and its confirmation (roster and designation imports).

The file is kept under MEDIA_ROOT/imports/ with a random name; the session holds only that
bare name, never a path. Unconfirmed files are removed by the daily cleanup (core.jobs)."""

import uuid
from pathlib import Path

from django.conf import settings


def pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def pending_path(pending: dict) -> Path:
    # Only the bare name is trusted from the session, never a path.
    return pending_dir() / Path(pending["file"]).name


def pending_save(upload) -> str:
    """Store an uploaded file and return the name to keep in the session."""
    directory = pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with (directory / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def pending_discard(request, session_key: str, pending: dict | None = None) -> None:
    """Forget the waiting upload (the session's, or ``pending``) and delete its file."""
    stored = request.session.pop(session_key, None)
    for item in (stored, pending):
        if item:
            pending_path(item).unlink(missing_ok=True)
