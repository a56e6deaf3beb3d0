"""Imports of large files as background jobs: the check (a dry run) and then the import itself
run in the job system, with a progress bar and the row problems on the job's page.

The rules stay in each import (teachers.importing, backbone.importing); this is the mechanism
both share, with the shape of an import: what a row does (``Action``), what an import did
(``ImportResult``), the columns on the upload page, reading the file, and writing all or
nothing. The upload waits under MEDIA_ROOT/imports/ (core.uploads) between the two jobs."""

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .jobs import JobContext, JobError, job_create
from .models import Job, School
from .tabular import RowError, RowErrors, Table, TableError, read_table
from .uploads import pending_delete, pending_exists, pending_open
from .wording import in_brackets, list_separator


# -- what every import shares -----------------------------------------------------------------
class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass
class ImportResult:
    """What an import did, or with dry_run would do. Nothing is written unless ``ok``."""

    errors: RowErrors = field(default_factory=RowErrors)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def count(self, action: str) -> None:
        """One more valid row that creates, updates or leaves unchanged (an ``Action``)."""
        counter = {Action.CREATE: "created", Action.UPDATE: "updated"}.get(action, "unchanged")
        setattr(self, counter, getattr(self, counter) + 1)

    def numbers(self, school: School) -> dict:
        """The school and the counts, for the messages that report them."""
        return {
            "school": school.name,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def column_help(columns: dict, required: tuple, notes: dict) -> list[dict]:
    """The accepted columns, for the upload page: ``notes`` maps each column to its accepted
    values (literal, not translated: "一级 (中级), 高级") and a note. The values are shown with
    the punctuation of the reader's language: "一级（中级）、高级" in Chinese."""
    return [
        {
            "headers": columns[key][:2],
            "required": key in required,
            "examples": _punctuated(examples),
            "note": note,
        }
        for key, (examples, note) in notes.items()
    ]


def _punctuated(examples: str) -> str:
    values = examples.split(", ") if examples else []
    return list_separator().join(
        re.sub(r" \((.+?)\)", lambda m: in_brackets(m.group(1)), value) for value in values
    )


def column_name(table: Table, key: str, columns: dict) -> str:
    """The column a problem is reported in: the file's header, or the column's first name."""
    if not key:
        return ""
    return table.headers.get(key) or columns[key][0]


def import_table(
    result: ImportResult, fileobj: IO[bytes], filename: str, columns: dict, *, required: tuple
) -> Table:
    """The file's table; problems of the whole file, or a file without rows, go into
    ``result``. Raises core.tabular.TableError when the file cannot be read at all or is
    beyond the import limits."""
    table = read_table(fileobj, filename, columns, required=required)
    result.errors = RowErrors(table.errors)
    if not result.errors and not table.rows:
        result.errors.append(RowError(2, "", _("The file has no rows below the header.")))
    return table


@contextlib.contextmanager
def import_writes(*, school: School, dry_run: bool) -> Iterator[None]:
    """Nothing for a dry run; otherwise one transaction, the school locked first so that two
    confirms into one school cannot race on creates."""
    if dry_run:
        yield
        return
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        yield


# -- imports as jobs --------------------------------------------------------------------------


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
    if not pending_exists(params):
        raise JobError(_("The uploaded file is no longer kept. Upload it again."))
    # Checking reads every row once; importing checks them again, then writes them.
    ctx.set_total(params.get("rows", 0) * (1 if dry_run else 2))
    try:
        with pending_open(params) as fileobj:
            result = run(
                school=school,
                fileobj=fileobj,
                filename=params["file"],
                dry_run=dry_run,
                progress=ctx.advance_to,
                by=ctx.job.requested_by,
            )
    except TableError as exc:
        pending_delete(params)
        raise JobError(exc.message) from exc
    if not result.ok:
        pending_delete(params)  # corrected, the file is uploaded again
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
        pending_delete(params)
        ctx.set_outcome(summary=imported(result, school))
