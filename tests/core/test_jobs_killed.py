"""A worker killed in the middle of a job: the job page says so, and Retry finishes it once.

With the Redis broker an unacknowledged message comes back only after the transport's
visibility_timeout (30 minutes here) or when the same worker shuts down cleanly; a worker killed
with SIGKILL (with its pool process) does neither, so a new worker does not get the message in
time. What users rely on is the heartbeat: the job page shows the job as interrupted once the
worker has been silent for JOB_STALE_AFTER_SECONDS, and Retry queues it again."""

import datetime
import json
import os
import signal
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job
from core.tasks import ping, run_job
from tests.core import worker_jobs  # noqa: F401 (registers the test_blocking job kind)
from tests.core.test_jobs import needs_worker, route_jobs_to, start_worker


@pytest.fixture
def counter():
    """A job kind that counts its runs."""
    runs = []

    def handler(ctx):
        runs.append(ctx.job.pk)
        ctx.set_total(1)
        ctx.output_path("out.txt").write_text("好", encoding="utf-8")
        ctx.advance()

    jobs._HANDLERS["test_counter"] = handler
    yield runs
    del jobs._HANDLERS["test_counter"]


def running_job(user, *, silent_for: float) -> Job:
    beat = timezone.now() - datetime.timedelta(seconds=silent_for)
    return Job.objects.create(
        kind="test_counter",
        requested_by=user,
        status=Job.Status.RUNNING,
        attempts=1,
        total=4,
        progress=2,
        started_at=beat,
        heartbeat_at=beat,
    )


def test_a_job_whose_worker_is_alive_shows_running_and_cannot_be_retried(
    login, principal, counter, settings, django_capture_on_commit_callbacks
):
    job = running_job(principal, silent_for=settings.JOB_STALE_AFTER_SECONDS / 2)
    client = login(principal)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert 'data-status="running"' in page and reverse("job_retry", args=[job.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and counter == []


def test_a_silent_running_job_is_shown_interrupted_and_retry_finishes_it_once(
    login, principal, counter, settings, django_capture_on_commit_callbacks
):
    job = running_job(principal, silent_for=settings.JOB_STALE_AFTER_SECONDS + 1)
    principal.language = "en"
    principal.save()
    client = login(principal)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert 'data-status="interrupted"' in page and "Interrupted" in page
    assert "The worker running this job stopped" in page
    assert reverse("job_retry", args=[job.pk]) in page
    assert "Interrupted" in client.get(reverse("jobs")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and counter == [job.pk]
    assert job.attempts == 1 and job.file.read().decode() == "好"
    # The killed worker's message, redelivered later, finds the job done: no second run.
    assert jobs.job_execute(job_id=job.pk) is False
    assert counter == [job.pk] and Job.objects.count() == 1


def test_a_redelivered_message_waits_for_a_live_worker_but_takes_over_a_dead_ones(
    principal, counter, settings
):
    alive = running_job(principal, silent_for=1)
    assert jobs.job_execute(job_id=alive.pk) is False
    assert jobs.job_running_elsewhere(job_id=alive.pk) and counter == []

    dead = running_job(principal, silent_for=settings.JOB_STALE_AFTER_SECONDS + 1)
    assert not jobs.job_running_elsewhere(job_id=dead.pk)
    assert jobs.job_execute(job_id=dead.pk) is True
    dead.refresh_from_db()
    assert dead.status == Job.Status.DONE and dead.attempts == 2 and counter == [dead.pk]


def test_the_heartbeat_is_written_while_the_handler_is_busy(transactional_db, principal, settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = running_job(principal, silent_for=600)
    beat = jobs._Heartbeat(job.pk)
    beat.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if not job.is_interrupted:
                break
            time.sleep(0.05)
    finally:
        beat.stop()
    assert not job.is_interrupted and not beat.is_alive()


# -- with a real worker ---------------------------------------------------------------------------
def wait_for(job: Job, predicate, *, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} stuck: {job.status} {job.progress}/{job.total} {job.error}")


def kill(proc) -> None:
    """SIGKILL the worker and its pool process at once, as the OOM killer or a power cut would:
    nothing gets the chance to acknowledge, reject or requeue the message."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)


def forget_queue(queue: str) -> None:
    """Drop the killed worker's unacknowledged message, so it is not restored into the test's
    dead queue when the visibility timeout passes."""
    import redis

    client = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    for tag, payload in client.hgetall("unacked").items():
        if json.loads(payload)[-1] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)


@needs_worker
@pytest.mark.worker
def test_a_killed_worker_leaves_the_job_retryable_and_a_new_worker_finishes_it_once(
    request, transactional_db, tmp_path, settings, client, principal, school
):
    settings.JOBS_INLINE = False
    settings.JOB_STALE_AFTER_SECONDS = 3
    queue = f"test-{uuid.uuid4().hex[:8]}"
    request.addfinalizer(lambda: forget_queue(queue))
    folder = tmp_path / "side-effects"
    folder.mkdir()
    (folder / "hold").touch()
    first = start_worker(queue, tmp_path, name="first")
    request.addfinalizer(lambda: first.poll() is None and kill(first))
    route_jobs_to(request, queue)
    principal.language = "en"
    principal.save()
    client.force_login(principal)

    job = jobs.job_create(
        kind="test_blocking", requested_by=principal, params={"folder": str(folder)}, school=school
    )
    wait_for(job, lambda j: j.status == Job.Status.RUNNING and j.progress >= 1)
    # Blocked longer than the stale limit, the job still reads as alive: the worker's
    # heartbeat thread keeps beating while the handler is busy.
    time.sleep(settings.JOB_STALE_AFTER_SECONDS + 2)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and not job.is_interrupted
    assert 'data-status="running"' in client.get(reverse("job", args=[job.pk])).content.decode()
    kill(first)

    # Left retryable: not done, no side effect, and once the heartbeat is stale the page says so.
    job = wait_for(job, lambda j: j.is_interrupted, timeout=settings.JOB_STALE_AFTER_SECONDS + 10)
    assert job.status == Job.Status.RUNNING and not job.file
    assert not (folder / "writes.log").exists()
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert 'data-status="interrupted"' in page and "The worker running this job stopped" in page
    assert reverse("job_retry", args=[job.pk]) in page

    (folder / "hold").unlink()
    second = start_worker(queue, tmp_path, name="second")
    request.addfinalizer(lambda: second.poll() is None and kill(second))
    assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
    # The new worker does not get the killed one's message back (visibility timeout): the
    # job stays interrupted until someone presses Retry.
    job.refresh_from_db()
    assert job.is_interrupted
    assert client.post(reverse("job_retry", args=[job.pk])).status_code == 302
    job = wait_for(job, lambda j: j.is_finished)

    assert job.status == Job.Status.DONE, job.error
    assert job.file.read() == b"ok" and Job.objects.count() == 1
    assert (folder / "writes.log").read_text().split() == [str(job.pk)]
    assert len(list(folder.glob("started-*"))) == 2  # the killed run and the retried one
    assert job.attempts <= django_settings.JOB_MAX_ATTEMPTS

    # The killed worker's message, restored when its visibility timeout passes, changes nothing
    # (the one-process worker answers the ping after it has handled that message).
    name = job.file.name
    run_job.apply_async(args=[job.pk], queue=queue)
    assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
    job.refresh_from_db()
    assert job.file.name == name and (folder / "writes.log").read_text().split() == [str(job.pk)]
    second.terminate()
    second.wait(timeout=20)
