"""Backups that can be restored: the database and every stored file in one tar archive.

The archive holds ``manifest.json`` (what was saved, when, and the SHA-256 of every member),
the database (``database.pgdump``, pg_dump's custom format, or ``database.sqlite3``, a copy
made with SQLite's online backup) and ``files/…``, every file of the default storage (the file
store under MEDIA_ROOT, or the object store). Both work while the app is running: pg_dump
reads one consistent snapshot, SQLite's backup API copies a consistent state page by page.
An archive is written under a temporary name and renamed when complete, so a backup cut off
halfway never looks like a good one."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1024 * 1024


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _storage_names(storage, directory=""):
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:  # a file store nothing was ever saved in
        return
    for name in sorted(files):
        yield f"{directory}{name}"
    for sub in sorted(dirs):
        yield from _storage_names(storage, f"{directory}{sub}/")


def _pg_env() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise ValidationError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": done.stderr.strip()[-500:]}
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        env, args = _pg_env()
        name = str(settings.DATABASES["default"]["NAME"])
        _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", *args, "-f", str(target), name], env)
        return "database.pgdump"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return "database.sqlite3"
    raise ValidationError(_("Backups support PostgreSQL and SQLite only."))


def backup_create(*, output_dir: Path) -> Path:
    """Write a complete backup into ``output_dir`` and return its path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output_dir / f"gugan-backup-{stamp}-{connection.vendor}.tar"
    partial = final.with_name(final.name + ".partial")
    members = {}
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        db_member = _dump_database(dump)
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=db_member)
            members[db_member] = {"sha256": _sha256(dump), "size": dump.stat().st_size}
            files = 0
            for name in _storage_names(default_storage):
                with default_storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(FILES + name)
                    info.size = default_storage.size(name)
                    info.mtime = int(timezone.now().timestamp())
                    reader = _Hashing(handle)
                    archive.addfile(info, reader)
                members[FILES + name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
                files += 1
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(timespec="seconds"),
                    "database": connection.vendor,
                    "files": files,
                    "members": members,
                },
                ensure_ascii=False,
                indent=1,
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            archive.addfile(info, io.BytesIO(manifest))
    partial.replace(final)
    return final


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise ValidationError(_("This is not a Gugan backup (no manifest).")) from exc
    if manifest.get("format") != FORMAT:
        raise ValidationError(_("This backup was written in a format this version cannot read."))
    return manifest


def backup_check(*, archive_path: Path) -> dict:
    """Read the whole archive and compare every member with the manifest. Returns the
    manifest; raises ValidationError naming the first damaged member."""
    with tarfile.open(archive_path) as archive:
        manifest = _manifest(archive)
        seen = set()
        for member in archive:
            if member.name == MANIFEST:
                continue
            expected = manifest["members"].get(member.name)
            reader = _Hashing(archive.extractfile(member))
            while reader.read(CHUNK):
                pass
            if expected is None or reader.digest.hexdigest() != expected["sha256"]:
                raise ValidationError(
                    _("The backup is damaged: %(member)s does not match its checksum.")
                    % {"member": member.name}
                )
            seen.add(member.name)
        missing = set(manifest["members"]) - seen
        if missing:
            raise ValidationError(
                _("The backup is incomplete: %(member)s is missing.") % {"member": min(missing)}
            )
    return manifest


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def backup_restore(*, archive_path: Path) -> dict:
    """Restore a backup into the configured database and file storage, which must be new
    (an empty database): a restore never mixes two states. Checks every checksum first."""
    manifest = backup_check(archive_path=archive_path)
    if manifest["database"] != connection.vendor:
        raise ValidationError(
            _("This backup holds a %(saved)s database; this installation uses %(here)s.")
            % {"saved": manifest["database"], "here": connection.vendor}
        )
    if not _database_is_empty():
        raise ValidationError(_("The database is not empty. Restore into a new, empty database."))
    with tarfile.open(archive_path) as archive, tempfile.TemporaryDirectory() as scratch:
        for member in archive:
            if member.name.startswith("database."):
                dump = Path(scratch) / member.name
                with archive.extractfile(member) as source, dump.open("wb") as target:
                    shutil.copyfileobj(source, target, CHUNK)
                _restore_database(dump)
            elif member.name.startswith(FILES):
                name = member.name[len(FILES) :]
                if ".." in Path(name).parts or name.startswith("/"):
                    raise ValidationError(_("The backup holds an unsafe file name."))
                if default_storage.exists(name):
                    default_storage.delete(name)
                saved = default_storage.save(name, File(archive.extractfile(member), name=name))
                if saved != name:
                    raise ValidationError(
                        _("The file %(name)s could not be restored under its own name.")
                        % {"name": name}
                    )
    return manifest


def _restore_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        connection.close()
        env, args = _pg_env()
        name = str(settings.DATABASES["default"]["NAME"])
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                *args,
                "-d",
                name,
                str(dump),
            ],
            env,
        )
    else:
        connection.close()
        source = sqlite3.connect(str(dump))
        target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
