"""Making a job: a new row, a finished one reused, an interrupted one retried."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from ..models import Job
from .registry import _HANDLERS
from .running import _interrupted, job_dispatch


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
