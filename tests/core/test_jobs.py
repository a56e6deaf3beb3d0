import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from core import jobs
from core.models import Job
from core.tasks import ping


@pytest.fixture
def flaky_handler():
    """A job kind that fails once with a message for the user, then succeeds."""
    calls = []

    def handler(ctx):
        calls.append(ctx.job.pk)
        ctx.set_total(2)
        if len(calls) == 1:
            raise jobs.JobError("打印机没纸了")
        ctx.advance(2)
        ctx.output_path("out.txt").write_text("好", encoding="utf-8")

    jobs._HANDLERS["test_flaky"] = handler
    yield calls
    del jobs._HANDLERS["test_flaky"]


def test_a_failed_job_says_why_and_a_retry_reuses_the_row(
    login, principal, flaky_handler, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="test_flaky", requested_by=principal, params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "打印机没纸了" in client.get(reverse("job", args=[job.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 2
    assert job.file.read().decode() == "好"
    assert Job.objects.count() == 1


def test_progress_fragment_stops_polling_when_done(
    login, principal, flaky_handler, django_capture_on_commit_callbacks
):
    job = Job.objects.create(kind="test_flaky", requested_by=principal)
    fragment = login(principal).get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="x")
    fragment = login(principal).get(reverse("job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()


def test_a_job_delivered_twice_runs_once(principal, flaky_handler):
    job = Job.objects.create(kind="test_flaky", requested_by=principal, status=Job.Status.DONE)
    jobs.job_execute(job_id=job.pk)
    assert flaky_handler == []


def test_a_job_that_keeps_killing_its_worker_is_given_up(principal, flaky_handler):
    job = Job.objects.create(
        kind="test_flaky",
        requested_by=principal,
        status=Job.Status.RUNNING,
        attempts=settings.JOB_MAX_ATTEMPTS,
    )
    jobs.job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and flaky_handler == []


needs_worker = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL or connection.vendor != "postgresql",
    reason="a real worker needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both)",
)


def start_worker(queue: str, folder, *, name: str = "worker") -> subprocess.Popen:
    """Start `celery worker` (one pool process) on ``queue`` against the test database, in its
    own process group so a test can kill the worker and its pool process at once. The worker
    imports the test-only job kinds of tests.core.worker_jobs."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test_worker",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "GUGAN_WORKER_IMPORTS": "tests.core.worker_jobs",
    }
    celery = shutil.which("celery", path=os.path.dirname(sys.executable))
    return subprocess.Popen(
        [celery, "-A", "config", "worker", "-c", "1", "-Q", queue,
         "--pidfile", str(folder / f"{name}.pid"), "-n", f"{name}-{queue}@%h",
         "-l", "warning", "--without-gossip", "--without-mingle"],
        env=env, cwd=settings.BASE_DIR, start_new_session=True,
    )  # fmt: skip


def route_jobs_to(request, queue: str) -> None:
    """Send this test's jobs to ``queue`` (the worker the test started), until it ends."""
    from config.celery import app

    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    request.addfinalizer(lambda: setattr(app.conf, "task_default_queue", previous_queue))
    assert ping.apply_async(queue=queue).get(timeout=60) == "pong"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` on its own queue, against the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = start_worker(queue, tmp_path)
    try:
        yield queue
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@needs_worker
@pytest.mark.worker
def test_a_real_worker_runs_a_job_submitted_from_a_page(
    request, celery_worker_process, settings, client, school
):
    from core.models import Role
    from tests.factories import TeacherFactory, user_with_role

    settings.JOBS_INLINE = False
    settings.CELERY_TASK_DEFAULT_QUEUE = celery_worker_process
    route_jobs_to(request, celery_worker_process)

    principal = user_with_role(Role.PRINCIPAL, school=school)
    TeacherFactory.create_batch(3, school=school)
    client.force_login(principal)
    response = client.post(reverse("teachers:export"), {"query": ""})
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.DONE, job.error
    assert job.total == 3 and job.file


def test_cleanup_removes_old_files_but_keeps_the_job_rows(principal, settings, tmp_path):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    settings.MEDIA_ROOT = str(tmp_path)
    old = Job.objects.create(kind="x", requested_by=principal, status=Job.Status.DONE)
    old.file.save("old.xlsx", ContentFile(b"old"))
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=30))
    fresh = Job.objects.create(
        kind="x", requested_by=principal, status=Job.Status.DONE, finished_at=timezone.now()
    )
    fresh.file.save("fresh.xlsx", ContentFile(b"fresh"))
    (tmp_path / "imports").mkdir()
    stale = tmp_path / "imports" / "stale.csv"
    stale.write_text("x")
    os.utime(stale, (0, 0))

    assert jobs.files_cleanup() == {"job_files": 1, "uploads": 1, "idempotency_keys": 0}
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.file and Job.objects.filter(pk=old.pk).exists()
    assert fresh.file.read() == b"fresh"
    assert not stale.exists()
