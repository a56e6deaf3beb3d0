"""Files in an S3-compatible object store (``S3_BUCKET``): several web and worker machines
share attachments, generated files and waiting imports. The store is a real S3-compatible
server (moto's standalone server) started by the test on loopback; nothing lands under
MEDIA_ROOT."""

import datetime
import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from core import jobs
from core.models import Job, Role
from core.uploads import pending_cleanup, pending_exists, pending_open, pending_save
from records.models import Attachment
from teachers.models import Teacher
from tests.factories import TeacherFactory, TrainingFactory, user_with_role

BUCKET = "gugan-files"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the S3-compatible server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):
    s3 = boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="gugan",
        aws_secret_access_key="gugan-secret",
        region_name="us-east-1",
    )
    store = s3.Bucket(BUCKET)
    store.create()
    yield store
    store.objects.all().delete()
    store.delete()


@pytest.fixture(autouse=True)
def object_store(settings, bucket, s3_endpoint, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "gugan",
                "secret_key": "gugan-secret",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield
    assert not settings.MEDIA_ROOT.exists(), "nothing may land on the local disk"


def stored_keys(bucket) -> dict[str, bytes]:
    return {obj.key: obj.get()["Body"].read() for obj in bucket.objects.all()}


@pytest.fixture
def teacher_user(school):
    user = user_with_role(Role.TEACHER, school=school, username="wangfang")
    TeacherFactory(school=school, user=user)
    return user


def test_an_attachment_goes_to_the_object_store_and_comes_back_byte_for_byte(
    login, teacher_user, school, other_school, bucket
):
    record = TrainingFactory(teacher=teacher_user.teacher)
    client = login(teacher_user)
    response = client.post(
        reverse("records:attachment_add", args=[record.pk]),
        {"file": SimpleUploadedFile("培训证书.pdf", PDF), "role": "certificate"},
    )
    assert response.status_code in (200, 302)
    attachment = Attachment.objects.get(record=record)
    keys = stored_keys(bucket)
    assert keys == {attachment.file.name: PDF}
    assert "培训证书" not in attachment.file.name  # a random name, never the user's text

    response = client.get(reverse("records:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    # The scope still decides: a teacher of another school gets nothing.
    outsider = user_with_role(Role.TEACHER, school=other_school, username="outsider")
    response = login(outsider).get(reverse("records:attachment_download", args=[attachment.pk]))
    assert response.status_code == 404


def test_a_generated_file_is_stored_downloaded_and_cleaned_up_in_the_object_store(
    login, principal, bucket
):
    job = Job.objects.create(
        kind="x",
        requested_by=principal,
        status=Job.Status.DONE,
        finished_at=timezone.now() - datetime.timedelta(days=365),
    )
    job.file.save("骨干名册.xlsx", ContentFile(b"workbook bytes"))
    assert list(stored_keys(bucket).values()) == [b"workbook bytes"]

    response = login(principal).get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"workbook bytes"

    assert jobs.files_cleanup()["job_files"] == 1
    assert stored_keys(bucket) == {}
    job.refresh_from_db()
    assert not job.file and Job.objects.filter(pk=job.pk).exists()


def test_a_roster_import_waits_in_the_object_store_between_preview_and_confirmation(
    login, principal, school, bucket
):
    book = Workbook()
    for row in (
        ["工号", "姓名", "性别", "参加工作时间", "学历", "任教学科"],
        ["A1", "王芳", "女", "2008-09-01", "本科", "语文"],
    ):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    client = login(principal)
    response = client.post(
        reverse("teachers:import"),
        {"file": SimpleUploadedFile("roster.xlsx", out.getvalue()), "school": school.pk},
    )
    assert response.status_code == 200 and "王芳" in response.content.decode()
    waiting = [key for key in stored_keys(bucket) if key.startswith("imports/")]
    assert len(waiting) == 1

    response = client.post(reverse("teachers:import_confirm"))
    assert response.status_code == 302
    assert Teacher.objects.filter(school=school, staff_no="A1").exists()
    assert not [key for key in stored_keys(bucket) if key.startswith("imports/")]


def test_uploads_nobody_confirmed_are_removed_from_the_object_store(bucket):
    kept = {"file": pending_save(SimpleUploadedFile("a.csv", b"x"))}
    assert pending_exists(kept)
    with pending_open(kept) as handle:
        assert handle.read() == b"x"
    now = timezone.now()
    assert pending_cleanup(before=now - datetime.timedelta(days=1)) == 0
    assert pending_exists(kept)
    assert pending_cleanup(before=now + datetime.timedelta(minutes=1)) == 1
    assert not pending_exists(kept)
