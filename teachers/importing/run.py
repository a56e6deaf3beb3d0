"""The import itself: every row checked, then all written or nothing; its messages, and the
background job for large files.
"""

from collections.abc import Callable
from typing import IO

from django.urls import reverse
from django.utils.translation import gettext as _

from core.import_jobs import Action, import_job_run, import_table, import_writes
from core.jobs import JobContext, job_handler
from core.models import School, TeachingGroup
from core.tabular import PROGRESS_EVERY

from .columns import COLUMNS, REQUIRED
from .plan import ImportResult, _plan, _Planned

JOB_KIND = "roster_import"


def roster_import(
    *,
    school: School,
    fileobj: IO[bytes],
    filename: str,
    create_groups: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update the school's teachers from an .xlsx or .csv roster.

    Every row is validated first; if any is bad, nothing is written and ``errors`` counts every
    problem (and keeps the first ones). ``progress`` is called with the number of rows done,
    validating then writing. Raises core.tabular.TableError when the file cannot be read at all
    or is beyond the import limits."""
    result = ImportResult(dry_run=dry_run)
    table = import_table(result, fileobj, filename, COLUMNS, required=REQUIRED)
    if not result.ok:
        return result

    with import_writes(school=school, dry_run=dry_run):
        planned = _plan(
            school=school,
            table=table,
            create_groups=create_groups,
            result=result,
            progress=progress,
        )
        if result.ok and not dry_run:
            _apply(school=school, planned=planned, progress=progress)
    return result


def _apply(*, school: School, planned: list[_Planned], progress) -> None:
    created_groups: dict[str, TeachingGroup] = {}
    for done, item in enumerate(planned, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(len(planned) + done)
        if item.new_group and item.new_group not in created_groups:
            created_groups[item.new_group], _created = TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.RESEARCH, name=item.new_group
            )
        if item.new_group:
            item.teacher.group = created_groups[item.new_group]
        if item.action != Action.UNCHANGED:
            item.teacher.save()


def imported_message(result: ImportResult, school: School) -> str:
    return _(
        "Roster imported into %(school)s: %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % result.numbers(school)


def checked_message(result: ImportResult, school: School) -> str:
    message = _(
        "Every row is valid: %(created)d new teachers, %(updated)d updated, %(unchanged)d "
        "unchanged. Confirm to import them into %(school)s."
    ) % result.numbers(school)
    if result.new_groups:
        message += " " + _("These teaching-research groups will be created:") + " "
        message += "、".join(result.new_groups)
    return message


@job_handler(JOB_KIND, regenerable=False)
def roster_import_job(ctx: JobContext) -> None:
    """A large roster file, checked (dry run) or imported in the background."""

    def run(*, by, **kwargs):
        return roster_import(create_groups=ctx.params["create_groups"], **kwargs)

    import_job_run(
        ctx,
        run,
        checked=checked_message,
        imported=imported_message,
        confirm_url=reverse("teachers:import_confirm"),
        upload_url=reverse("teachers:import"),
    )
