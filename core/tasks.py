from celery import shared_task

from .jobs import job_execute


@shared_task(name="core.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    job_execute(job_id=job_id)


@shared_task(name="core.ping", ignore_result=False)
def ping() -> str:
    """Proves the wiring: a worker answers through the broker."""
    return "pong"


@shared_task(name="core.files_cleanup")
def files_cleanup() -> None:
    from .jobs import files_cleanup as cleanup

    cleanup()
