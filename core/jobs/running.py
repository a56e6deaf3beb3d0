"""Running a job: in the Celery worker or a thread, with a heartbeat, bounded retries, and
its end (a file or a reason)."""

import datetime
import logging
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import OperationalError as DatabaseError
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from ..models import Job
from .context import JobContext
from .registry import _HANDLERS, JobError

# The logger keeps the name it had when the jobs were one module.
logger = logging.getLogger("core.jobs")

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gugan-job")


def _interrupted(now=None) -> Q:
    """Running jobs whose worker stopped writing its heartbeat (see Job.is_interrupted)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    silent = Q(heartbeat_at__lt=cutoff) | Q(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True), heartbeat_at__isnull=True
    )
    return Q(status=Job.Status.RUNNING) & silent


def job_dispatch(*, job_id: int):
    """Send the job to its runner. Returns the thread's Future when it runs in-process."""
    from ..tasks import run_job

    if settings.JOBS_INLINE:
        run_job.apply(args=[job_id])
    elif settings.CELERY_BROKER_URL:
        try:
            run_job.delay(job_id)
        except OperationalError as exc:
            logger.warning("job queue unavailable: %s", exc)
            _mark_failure(job_id, _("The job queue is unavailable. Please try again later."))
    else:
        return _executor.submit(_run_in_thread, job_id)
    return None


# Waits before each retry, in the in-process runner, of a job that met a transient database
# error (a locked SQLite file, a dropped connection); the Celery task has its own countdowns.
THREAD_RETRY_DELAYS = (1, 5)


def _run_in_thread(job_id: int) -> None:
    """The in-process runner (no Redis), in a pool thread."""
    try:
        _run_with_retries(job_id)
    finally:
        connections.close_all()  # the pool thread keeps no database connection between jobs


def _run_with_retries(job_id: int, *, delays=THREAD_RETRY_DELAYS) -> None:
    """What the Celery task does, retries included, so a job never stays queued because an
    exception vanished inside the thread pool."""
    for delay in (*delays[: settings.JOB_MAX_ATTEMPTS - 1], None):
        close_old_connections()
        try:
            job_execute(job_id=job_id)
            return
        except DatabaseError:
            if delay is None:
                job_give_up(job_id=job_id)
                return
            time.sleep(delay)
        except Exception:
            logger.exception("job %s: the in-process runner failed", job_id)
            return
        finally:
            close_old_connections()


class _Heartbeat(threading.Thread):
    """Writes ``heartbeat_at`` while the handler runs, from its own thread, so a handler busy in
    one long step (a PDF layout) still shows it is alive. It dies with its process: a killed
    worker leaves a silent row that the job page shows as interrupted."""

    def __init__(self, job_id: int):
        super().__init__(name=f"gugan-job{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # keep beating: a silent row reads as a dead worker
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
                    close_old_connections()
        finally:
            connections.close_all()  # this thread's own connections only

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def job_running_elsewhere(*, job_id: int) -> bool:
    """The job is running and its worker is alive (a duplicate message must not start it)."""
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).exclude(_interrupted()).exists()


def job_execute(*, job_id: int) -> bool:
    """Claim the job (queued → running, exactly once), run its handler, record the outcome.
    Returns False when there was nothing to claim."""
    # An interrupted RUNNING row is claimable too: with acks_late a message comes back only
    # when the worker that ran it died, so the row is an orphan. A running row whose worker
    # still writes its heartbeat is not: that would run the job twice at once. The attempts
    # cap stops a job that keeps killing its worker.
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id, attempts__lt=settings.JOB_MAX_ATTEMPTS)
        .filter(Q(status=Job.Status.QUEUED) | _interrupted(now))
        .update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        _fail_if_attempts_exhausted(job_id)
        return False
    job = Job.objects.get(pk=job_id)
    ctx = JobContext(job)
    heartbeat = None if settings.JOBS_INLINE else _Heartbeat(job_id)
    if heartbeat is not None:
        heartbeat.start()
    try:
        _run_handler(job, ctx)
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        shutil.rmtree(ctx._workdir, ignore_errors=True)
    return True


def _run_handler(job: Job, ctx: JobContext) -> None:
    try:
        with translation.override(job.language):
            _HANDLERS[job.kind](ctx)
    except DatabaseError:
        # Transient (a dropped connection, a locked database): the task retries the job, so
        # give the row back to the queue. If the database is really gone this fails too.
        _requeue_after_transient_error(job.pk)
        raise
    except JobError as exc:
        _mark_failure(job.pk, str(exc))
        return
    except Exception:
        logger.exception("job %s failed", job.pk)
        with translation.override(job.language):
            _mark_failure(job.pk, _("An unexpected error stopped this job. Please retry."))
        return
    _mark_complete(job.pk, ctx.output)


def _requeue_after_transient_error(job_id: int) -> None:
    if not connection.in_atomic_block:  # drop a broken connection so the update reconnects
        close_old_connections()
    try:
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED, step=""
        )
    except DatabaseError:
        logger.warning("job %s: could not requeue after a database error", job_id)


def job_give_up(*, job_id: int, language: str | None = None) -> None:
    """Transient errors persisted past the retries: fail with a message users can read."""
    with translation.override(language or settings.LANGUAGE_CODE):
        _mark_failure(
            job_id, _("The database was unavailable while this job ran. Please retry later.")
        )


def _fail_if_attempts_exhausted(job_id: int) -> None:
    # A job redelivered after its worker died too often must not loop forever.
    Job.objects.filter(_interrupted(), pk=job_id, attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=Job.Status.FAILED,
        error=_("The job was interrupted too many times."),
        finished_at=timezone.now(),
    )


def _mark_complete(job_id: int, output: Path | None) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status == Job.Status.DONE and job.file:
            return  # a duplicated message finished first: keep its file, make no second one
        if output is not None:
            with output.open("rb") as fh:
                job.file.save(output.name, File(fh), save=False)
            job.size = output.stat().st_size
            output.unlink(missing_ok=True)
        job.status = Job.Status.DONE
        job.step = ""
        job.progress = job.total
        job.finished_at = timezone.now()
        job.save()


def _mark_failure(job_id: int, reason: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=reason, step="", finished_at=timezone.now()
    )
