"""The restore drill the README describes, on both databases: demo data and stored files are
backed up, restored into a new database and a new file store, and every row and every file
comes back byte-identical; the restored app then serves pages and downloads.

Each step runs as its own process (``manage.py backup``, ``manage.py restore``), as an
operator would run them."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("DATABASE_URL", "")

SETUP = """
import django; django.setup()
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from core.models import Job, User
from records.models import Record, Status
from records.services.files import attachment_add
PDF = b"%PDF-1.4\\n1 0 obj << /Type /Catalog >> endobj\\ntrailer << /Root 1 0 R >>\\n%%EOF\\n"
drafts = Record.objects.filter(status__in=[Status.DRAFT, Status.RETURNED]).order_by("pk")[:3]
for n, record in enumerate(drafts):
    attachment_add(record=record, upload=SimpleUploadedFile(f"证书{n}.pdf", PDF + bytes([n]) * 99),
                   role="", by=record.teacher.user or User.objects.get(username="teacher"))
job = Job.objects.create(kind="x", requested_by=User.objects.get(username="principal"),
                         status=Job.Status.DONE)
job.file.save("名册.xlsx", ContentFile(b"\\x00\\x01 workbook"))
print(len(drafts))
"""

SERVE = """
import hashlib, json
import django; django.setup()
from django.test import Client
from core.models import Job, User
from records.models import Attachment
out = {}
client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
client.force_login(User.objects.get(username="principal"))
out["home"] = client.get("/").status_code
out["teachers"] = client.get("/teachers/").status_code
job = Job.objects.exclude(file="").get()
response = client.get(f"/files/{job.pk}/download/")
body = b"".join(response.streaming_content)
out["job"] = [response.status_code, hashlib.sha256(body).hexdigest()]
out["attachments"] = []
for attachment in Attachment.objects.select_related("record__teacher__user").order_by("pk"):
    owner = Client()
    owner.force_login(attachment.record.teacher.user)
    response = owner.get(f"/records/attachments/{attachment.pk}/download/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    out["attachments"].append([response.status_code, hashlib.sha256(body).hexdigest()])
print(json.dumps(out))
"""


def manage(env, *args, script=None):
    command = (
        [sys.executable, "manage.py", *args] if script is None else [sys.executable, "-c", script]
    )
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def environment(database_url, media):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PYTHONPATH=str(ROOT),
    )
    return env


def sqlite_tables(path):
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(map(repr, db.execute(f'SELECT * FROM "{n}"'))) for n in names}


def pg_tables(url):
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        names = [r[0] for r in cursor.fetchall()]
        tables = {}
        for name in names:
            cursor.execute(f'SELECT * FROM "{name}"')
            tables[name] = sorted(map(repr, cursor.fetchall()))
    db.close()
    return tables


def files(media: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(media)): p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()
    }


def pg_server(url):
    """postgres://user@host:port for the server DATABASE_URL points at."""
    return url.rsplit("/", 1)[0]


def pg_admin(url, sql):
    import psycopg2

    db = psycopg2.connect(pg_server(url) + "/postgres")
    db.autocommit = True
    with db.cursor() as cursor:
        cursor.execute(sql)
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """(source url, restored url, reader of every table) for one engine."""
    if request.param == "sqlite":
        source, target = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"
        yield (
            f"sqlite:///{source}",
            f"sqlite:///{target}",
            lambda which: sqlite_tables(source if which == "source" else target),
        )
        return
    if not PG_URL.startswith("postgres"):
        pytest.skip("the PostgreSQL drill needs a PostgreSQL DATABASE_URL (CI sets one)")
    suffix = uuid.uuid4().hex[:8]
    names = {"source": f"gugan_drill_src_{suffix}", "restored": f"gugan_drill_dst_{suffix}"}
    for name in names.values():
        pg_admin(PG_URL, f'CREATE DATABASE "{name}"')
    server = pg_server(PG_URL)
    try:
        yield (
            f"{server}/{names['source']}",
            f"{server}/{names['restored']}",
            lambda which: pg_tables(f"{server}/{names[which]}"),
        )
    finally:
        for name in names.values():
            pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_file_byte_for_byte_and_the_app_serves_them(
    databases, tmp_path
):
    source_url, restored_url, tables = databases
    source_media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    source = environment(source_url, source_media)
    manage(source, "migrate", "--noinput", "-v", "0")
    manage(source, "seed_demo")
    assert manage(source, script=SETUP).strip() == "3"
    before = files(source_media)
    assert len(before) == 4  # three attachments and a generated file

    archive = Path(manage(source, "backup", "--output", str(tmp_path / "backups")).strip())
    assert archive.is_file() and not list(archive.parent.glob("*.partial"))
    assert "OK" in manage(source, "backup", "--check", str(archive))

    restored = environment(restored_url, restored_media)
    assert "Restored" in manage(restored, "restore", str(archive))

    assert tables("restored") == tables("source")
    assert files(restored_media) == before

    served = json.loads(manage(restored, script=SERVE))
    assert served["home"] == 200 and served["teachers"] == 200
    import hashlib

    job_bytes = next(v for k, v in before.items() if k.startswith("jobs/"))
    assert served["job"] == [200, hashlib.sha256(job_bytes).hexdigest()]
    attachment_digests = sorted(
        hashlib.sha256(v).hexdigest() for k, v in before.items() if not k.startswith("jobs/")
    )
    assert [status for status, _ in served["attachments"]] == [200, 200, 200]
    assert sorted(digest for _, digest in served["attachments"]) == attachment_digests

    # A second restore into the same, now full, database is refused and changes nothing.
    served_state = tables("restored")
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=restored,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "数据库不是空的" in again.stderr
    assert tables("restored") == served_state


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path):
    source_db = tmp_path / "source.sqlite3"
    source = environment(f"sqlite:///{source_db}", tmp_path / "media")
    manage(source, "migrate", "--noinput", "-v", "0")
    archive = Path(manage(source, "backup", "--output", str(tmp_path)).strip())
    data = bytearray(archive.read_bytes())
    data[2000] ^= 0xFF  # inside the database member
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    target = tmp_path / "restored.sqlite3"
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(damaged)],
        cwd=ROOT,
        env=environment(f"sqlite:///{target}", tmp_path / "restored-media"),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "备份已损坏" in done.stderr
    assert not target.exists() or sqlite_tables(target) == {}
    shutil.rmtree(tmp_path / "restored-media", ignore_errors=True)
