"""Imports of large files as background jobs: the check (a dry run) and then the import itself
run in the job system, with a progress bar and the row problems on the job's page.

The rules stay in each import (teachers.importing, backbone.importing); this is the mechanism
both share. The upload waits under MEDIA_ROOT/imports/ (core.uploads) between the two jobs."""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from .jobs import JobContext, JobError, job_create
from .models import Job, School
from .tabular import TableError
from .uploads import pending_path


def import_runs_as_job(pending: dict) -> bool:
    """Whether the waiting upload is large enough to be checked and imported by a job."""
    return pending.get("rows", 0) > settings.IMPORT_JOB_ROWS


def import_job_start(*, kind: str, user, school: School, pending: dict, dry_run: bool) -> Job:
    """Queue the check (``dry_run``) or the import of the waiting upload into ``school``."""
    params = {**pending, "dry_run": dry_run, "label": pending["filename"]}
    return job_create(kind=kind, requested_by=user, params=params, school=school)


def import_job_run(
    ctx: JobContext,
    run: Callable,
    *,
    checked: Callable[[object, School], str],
    imported: Callable[[object, School], str],
    confirm_url: str,
    upload_url: str,
) -> None:
    """The body of an import job. ``run`` is the import (keyword arguments school, fileobj,
    filename, dry_run, progress, by); ``checked`` and ``imported`` say what a good result
    means. A refused file ends the job as failed, its problems on the page."""
    params = ctx.params
    school = School.objects.get(pk=params["school"])
    dry_run = params["dry_run"]
    path = pending_path(params)
    if not path.exists():
        raise JobError(_("The uploaded file is no longer kept. Upload it again."))
    # Checking reads every row once; importing checks them again, then writes them.
    ctx.set_total(params.get("rows", 0) * (1 if dry_run else 2))
    try:
        with path.open("rb") as fileobj:
            result = run(
                school=school,
                fileobj=fileobj,
                filename=params["file"],
                dry_run=dry_run,
                progress=ctx.advance_to,
                by=ctx.job.requested_by,
            )
    except TableError as exc:
        path.unlink(missing_ok=True)
        raise JobError(exc.message) from exc
    if not result.ok:
        path.unlink(missing_ok=True)  # corrected, the file is uploaded again
        ctx.set_outcome(
            problems=[
                {"row": e.row, "column": e.column, "message": e.message} for e in result.errors
            ],
            problems_total=result.errors.total,
            upload_url=upload_url,
        )
        raise JobError(result.errors.summary())
    if dry_run:
        ctx.set_outcome(
            summary=checked(result, school), confirm_url=confirm_url, upload_url=upload_url
        )
    else:
        path.unlink(missing_ok=True)
        ctx.set_outcome(summary=imported(result, school))
