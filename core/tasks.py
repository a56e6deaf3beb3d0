from celery import shared_task
from django.conf import settings
from django.db import OperationalError as DatabaseError

from .jobs import job_execute, job_give_up

# Waits before each retry of a job that met a transient database error (seconds).
TRANSIENT_RETRY_COUNTDOWNS = (5, 30, 120)


@shared_task(bind=True, name="core.run_job", acks_late=True)
def run_job(self, job_id: int) -> None:
    try:
        job_execute(job_id=job_id)
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


@shared_task(name="core.ping", ignore_result=False)
def ping() -> str:
    """Proves the wiring: a worker answers through the broker."""
    return "pong"


@shared_task(name="core.files_cleanup")
def files_cleanup() -> None:
    from .jobs import files_cleanup as cleanup

    cleanup()
