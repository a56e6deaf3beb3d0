"""The duties grid as an xlsx workbook, produced by a background job."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.files import current_year_part, document_filename, time_part
from core.jobs import JobContext, job_handler
from core.writers import XlsxWorkbook

from .duties_grid import duty_grid
from .forms.duties import DutyGridFilterForm


@job_handler("duties_export")
def duties_export(ctx: JobContext) -> None:
    user = ctx.viewer
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    form = DutyGridFilterForm(QueryDict(ctx.params.get("query", "")), user=user)
    grid = duty_grid(user=user, **form.filters)
    ctx.set_total(len(grid.rows))
    wb = XlsxWorkbook()
    head = [_("School"), _("Staff number"), _("Name"), _("Teaching-research group"), _("Tier")]
    ws = wb.add_sheet(_("Duties"), head + [label for _kind, label in grid.kinds], width=16)
    for row in grid.rows:
        t = row.teacher
        cells = [
            f"{c.done_text}/{c.required_text} {c.status_label}" if c else "" for c in row.cells
        ]
        tier = row.tier.label if row.tier else ""
        ws.append(
            [t.school.name, t.staff_no, t.name, t.group.name if t.group else "", tier, *cells]
        )
        ctx.advance()
    name = document_filename(
        ctx.owner_name, current_year_part(), _("Duties"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))
