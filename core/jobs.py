"""Background jobs: a Job row, a handler per kind, and one Celery task that runs them.

With REDIS_URL the task goes to the Celery worker; without it a thread of the web process runs
it, so the request never blocks either way. Tests set JOBS_INLINE to run it synchronously.

While a job runs, its process writes a heartbeat on the row. A worker killed mid-job (SIGKILL,
out of memory, a restart) leaves a running row that stops beating: after JOB_STALE_AFTER_SECONDS
the job page shows it as interrupted and Retry queues it again. With Redis the killed worker's
unacknowledged message would only come back after the broker's visibility timeout (30 min).
"""

import datetime
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import OperationalError as DatabaseError
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from .files import safe_filename
from .models import Job
from .uploads import pending_dir

logger = logging.getLogger(__name__)

Handler = Callable[["JobContext"], None]
_HANDLERS: dict[str, Handler] = {}
# Kinds whose finished job cannot simply be made again (an import reads an upload once).
_NOT_REGENERABLE: set[str] = set()
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gugan-job")


class JobError(Exception):
    """A failure whose message the user should read (e.g. "font missing")."""


def job_handler(kind: str, *, regenerable: bool = True):
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        if not regenerable:
            _NOT_REGENERABLE.add(kind)
        return func

    return register


def job_regenerable(job: Job) -> bool:
    return job.kind not in _NOT_REGENERABLE


class JobContext:
    """What a handler gets: the job, a progress callback and a place to put its file."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params
        self._workdir = Path(tempfile.mkdtemp(prefix=f"job{job.pk}-"))
        self.output: Path | None = None

    @cached_property
    def audience(self):
        """Who may download this job's file (core.job_files)."""
        from .job_files import FileAudience

        return FileAudience.for_job(self.job)

    @cached_property
    def viewer(self):
        """The requester as the file must be computed: narrowed to the job's owner. The scope
        is applied again at run time, so a role withdrawn meanwhile shrinks or stops the file."""
        return self.audience.viewer()

    def _save(self, **fields) -> None:
        # Every progress write is a sign of life too.
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **fields)

    def set_total(self, total: int) -> None:
        self.job.total = total
        self._save(total=total)

    def advance(self, step: int = 1, *, text: str | None = None) -> None:
        """Move the bar; ``text`` is the current step users read ("12 / 80 teachers")."""
        self.job.progress += step
        fields = {"progress": self.job.progress}
        if text is not None:
            self.job.step = fields["step"] = text[:200]
        self._save(**fields)

    def set_step(self, text: str) -> None:
        self.job.step = text[:200]
        self._save(step=self.job.step)

    def advance_to(self, done: int) -> None:
        """Move the bar to ``done`` (a handler that counts its own rows)."""
        if done > self.job.progress:
            self.advance(done - self.job.progress)

    def set_outcome(self, **outcome) -> None:
        """What the job page shows besides a file (JSON values), kept when the job fails."""
        self.job.outcome = outcome
        self._save(outcome=outcome)

    def output_path(self, filename: str) -> Path:
        """Where to write the job's file; ``filename`` may come from user text (a name)."""
        self.output = self._workdir / safe_filename(filename)
        return self.output


def job_reusable(
    *, kind: str, fingerprint: str, requested_by, school=None, district=None
) -> Job | None:
    """The requester's finished job of this kind over the same data, if its file still exists.

    Only the requester's own jobs filed under the same owner are reused: another user's row
    may be out of their sight, and a file made for another owner has another audience."""
    if not fingerprint:
        return None
    candidates = Job.objects.filter(
        kind=kind,
        fingerprint=fingerprint,
        requested_by=requested_by,
        school=school,
        district=district,
        status=Job.Status.DONE,
    ).exclude(file="")
    for job in candidates.order_by("-finished_at")[:3]:
        if job.file.storage.exists(job.file.name):
            return job
    return None


def job_create(
    *,
    kind: str,
    requested_by,
    params: dict,
    school=None,
    district=None,
    fingerprint: str = "",
    force: bool = False,
) -> Job:
    """Create the job row and hand it to the queue once the transaction commits.

    With a ``fingerprint`` (kind, parameters, language and the data they cover) a finished job
    whose file is still stored is returned instead, unless ``force`` asks for a fresh file."""
    if kind not in _HANDLERS:
        raise ValueError(f"unknown job kind {kind}")
    if not force:
        existing = job_reusable(
            kind=kind,
            fingerprint=fingerprint,
            requested_by=requested_by,
            school=school,
            district=district,
        )
        if existing is not None:
            return existing
    job = Job.objects.create(
        kind=kind,
        requested_by=requested_by,
        params=params,
        school=school,
        district=district,
        fingerprint=fingerprint,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def _interrupted(now=None) -> Q:
    """Running jobs whose worker stopped writing its heartbeat (see Job.is_interrupted)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    silent = Q(heartbeat_at__lt=cutoff) | Q(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True), heartbeat_at__isnull=True
    )
    return Q(status=Job.Status.RUNNING) & silent


def job_retry(*, job: Job) -> Job:
    """Put a failed or interrupted job back in the queue; the same row is reused, so no
    duplicate appears. A job whose worker is still alive is left alone."""
    updated = (
        Job.objects.filter(pk=job.pk)
        .filter(Q(status=Job.Status.FAILED) | _interrupted())
        .update(
            status=Job.Status.QUEUED,
            error="",
            step="",
            progress=0,
            attempts=0,
            finished_at=None,
            heartbeat_at=None,
        )
    )
    if updated:
        transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    job.refresh_from_db()
    return job


def job_dispatch(*, job_id: int):
    """Send the job to its runner. Returns the thread's Future when it runs in-process."""
    from .tasks import run_job

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


def files_cleanup(*, now=None) -> dict[str, int]:
    """Delete generated files past their retention and import uploads nobody confirmed.

    The job rows stay (with their status and error) so users still see what was asked."""
    import datetime

    from django.conf import settings as conf

    now = now or timezone.now()
    expired = Job.objects.filter(
        finished_at__lt=now - datetime.timedelta(days=conf.JOB_FILE_RETENTION_DAYS)
    ).exclude(file="")
    removed_files = 0
    for job in expired.iterator():
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        removed_files += 1
    uploads = pending_dir()
    removed_uploads = 0
    if uploads.is_dir():
        cutoff = (now - datetime.timedelta(days=1)).timestamp()
        for path in uploads.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed_uploads += 1
    return {"job_files": removed_files, "uploads": removed_uploads}
