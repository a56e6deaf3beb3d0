"""The import itself: every row checked, then all written or nothing; its messages, and the
background job for large files.
"""

from collections.abc import Callable
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.import_jobs import Action, ImportResult, import_job_run, import_table, import_writes
from core.jobs import JobContext, job_handler
from core.models import School
from core.tabular import PROGRESS_EVERY, RowError

from ..models import Designation
from ..services.designations import designation_record
from .columns import COLUMNS, REQUIRED
from .plan import COMPARED, _plan, _Planned

JOB_KIND = "designation_import"


def designation_import(
    *,
    school: School,
    fileobj: IO[bytes],
    filename: str,
    dry_run: bool = False,
    by=None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Record the designations in an .xlsx or .csv file for teachers of ``school``.

    Every row is validated first; if any is bad nothing is written and ``errors`` counts every
    problem (and keeps the first ones). ``progress`` is called with the number of rows done,
    validating then writing. Raises core.tabular.TableError when the file cannot be read at all
    or is beyond the import limits."""
    result = ImportResult(dry_run=dry_run)  # its rows are ImportRow
    table = import_table(result, fileobj, filename, COLUMNS, required=REQUIRED)
    if not result.ok:
        return result

    with import_writes(school=school, dry_run=dry_run):
        planned = _plan(school=school, table=table, result=result, progress=progress)
        if result.ok and not dry_run:
            _apply(planned, result=result, by=by, progress=progress)
            if not result.ok:
                transaction.set_rollback(True)
    return result


def _apply(planned: list[_Planned], *, result: ImportResult, by, progress) -> None:
    for done, item in enumerate(planned, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(len(planned) + done)
        if item.action == Action.UNCHANGED:
            continue
        try:
            if item.action == Action.CREATE:
                designation_record(
                    teacher=item.teacher,
                    tier=item.tier,
                    source=Designation.Source.IMPORT,
                    by=by,
                    **item.values,
                )
            else:
                for name in COMPARED:
                    setattr(item.existing, name, item.values[name])
                item.existing.full_clean(validate_constraints=False)
                item.existing.save()
        except ValidationError as exc:
            # Someone changed the data between the check and the write.
            result.errors.extend(RowError(item.row, "", message) for message in exc.messages)
            return


def imported_message(result: ImportResult, school: School) -> str:
    return _(
        "Designations imported into %(school)s: %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % result.numbers(school)


def checked_message(result: ImportResult, school: School) -> str:
    return _(
        "Every row is valid: %(created)d new designations, %(updated)d updated, %(unchanged)d "
        "unchanged. Confirm to import them into %(school)s."
    ) % result.numbers(school)


@job_handler(JOB_KIND, regenerable=False)
def designation_import_job(ctx: JobContext) -> None:
    """A large designations file, checked (dry run) or imported in the background."""
    import_job_run(
        ctx,
        designation_import,
        checked=checked_message,
        imported=imported_message,
        confirm_url=reverse("backbone:designation_import_confirm"),
        upload_url=reverse("backbone:designation_import"),
    )
