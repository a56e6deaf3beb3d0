"""Background jobs: a Job row, a handler per kind, and one Celery task that runs them.

With REDIS_URL the task goes to the Celery worker; without it a thread of the web process runs
it, so the request never blocks either way. Tests set JOBS_INLINE to run it synchronously.

While a job runs, its process writes a heartbeat on the row. A worker killed mid-job (SIGKILL,
out of memory, a restart) leaves a running row that stops beating: after JOB_STALE_AFTER_SECONDS
the job page shows it as interrupted and Retry queues it again. With Redis the killed worker's
unacknowledged message would only come back after the broker's visibility timeout (30 min).

The rooms: ``registry`` (job_handler, JobError), ``context`` (JobContext, what a handler
gets), ``lifecycle`` (job_create, job_reusable, job_retry), ``running`` (dispatch, execute,
heartbeat, retries, the end of a job), ``cleanup`` (files_cleanup).
"""

from .cleanup import files_cleanup
from .context import JobContext
from .lifecycle import job_create, job_retry, job_reusable
from .registry import _HANDLERS, Handler, JobError, job_handler, job_regenerable
from .running import (
    THREAD_RETRY_DELAYS,
    _Heartbeat,
    _run_in_thread,
    _run_with_retries,
    job_dispatch,
    job_execute,
    job_give_up,
    job_running_elsewhere,
)

__all__ = [
    "THREAD_RETRY_DELAYS",
    "_HANDLERS",
    "Handler",
    "JobContext",
    "JobError",
    "_Heartbeat",
    "_run_in_thread",
    "_run_with_retries",
    "files_cleanup",
    "job_create",
    "job_dispatch",
    "job_execute",
    "job_give_up",
    "job_handler",
    "job_regenerable",
    "job_retry",
    "job_reusable",
    "job_running_elsewhere",
]
