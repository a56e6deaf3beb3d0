"""Deleting what jobs leave behind: generated files past their retention, uploads never
confirmed."""

from django.utils import timezone

from ..models import Job
from ..uploads import pending_cleanup


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
    removed_uploads = pending_cleanup(before=now - datetime.timedelta(days=1))
    from ..idempotency import keys_cleanup

    keys = keys_cleanup(now=now)
    return {"job_files": removed_files, "uploads": removed_uploads, "idempotency_keys": keys}
