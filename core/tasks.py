from celery import shared_task
from django.conf import settings
from django.db import OperationalError as DatabaseError

from .jobs import job_execute, job_give_up, job_running_elsewhere

# Waits before each retry of a job that met a transient database error (seconds).
TRANSIENT_RETRY_COUNTDOWNS = (5, 30, 120)
# Checks of a job requeued while its row still looks alive (its pool process was just killed).
BUSY_RETRIES = 3


@shared_task(bind=True, name="core.run_job", acks_late=True)
def run_job(self, job_id: int) -> None:
    try:
        claimed = job_execute(job_id=job_id)
    except DatabaseError as exc:
        # Each run counts against the job's attempts, so retries stay within that cap.
        retries = min(settings.JOB_MAX_ATTEMPTS - 1, len(TRANSIENT_RETRY_COUNTDOWNS))
        if self.request.retries < retries:
            raise self.retry(
                exc=exc,
                countdown=TRANSIENT_RETRY_COUNTDOWNS[self.request.retries],
                max_retries=retries,
            ) from exc
        job_give_up(job_id=job_id)
        return
    # With reject_on_worker_lost the message of a killed pool process comes back at once,
    # before its heartbeat has gone stale: look again once it has, then claim the orphan.
    busy = not claimed and not self.request.is_eager and job_running_elsewhere(job_id=job_id)
    if busy and self.request.retries < BUSY_RETRIES:
        raise self.retry(
            countdown=settings.JOB_STALE_AFTER_SECONDS + settings.JOB_HEARTBEAT_SECONDS,
            max_retries=BUSY_RETRIES,
        )


@shared_task(name="core.ping", ignore_result=False)
def ping() -> str:
    """Proves the wiring: a worker answers through the broker."""
    return "pong"


@shared_task(name="core.files_cleanup")
def files_cleanup() -> None:
    from .jobs import files_cleanup as cleanup

    cleanup()
