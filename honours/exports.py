"""The performance-pay table (绩效工资) as an xlsx workbook, a background job through the
project's writer: a row per teacher with the released annual grade and the duty completion of
the school year, for the file's audience (the requester narrowed to the chosen owner).

Registered by importing this module from honours.apps."""

from django.utils.translation import gettext as _

from core.files import document_filename, time_part, year_part
from core.jobs import JobContext, JobError, job_handler
from core.writers import XlsxWorkbook

from . import lists, selectors

KIND = "honours_pay_export"


def pay_columns():
    return [
        (_("School"), lambda r: r.teacher.school.name),
        (_("Staff number"), lambda r: r.teacher.staff_no),
        (_("Name"), lambda r: r.teacher.name),
        (_("Subject"), lambda r: r.teacher.subject),
        (_("Tier"), lambda r: r.tier_label),
        (_("Annual grade"), lambda r: r.grade_label),
        (_("Duties met"), lambda r: r.duties.met if r.duties.total else ""),
        (_("Duties owed"), lambda r: r.duties.total if r.duties.total else ""),
        (_("Duties missed"), lambda r: r.duties.missed if r.duties.total else ""),
    ]


@job_handler(KIND)
def honours_pay_export(ctx: JobContext) -> None:
    viewer = ctx.viewer
    year = selectors.year_from(ctx.params.get("year"), selectors.current_year() - 1)
    schools = selectors.reader_schools(user=viewer)
    if ctx.params.get("school"):
        schools = schools.filter(pk=ctx.params["school"])
    if not schools.exists():
        # e.g. a committee member of the school chosen: the pay sheet is its managers'
        raise JobError(_("The performance pay of this school or district is not yours to read."))
    rows = lists.pay_rows(schools=schools, year=year)
    ctx.set_total(len(rows))
    columns = pay_columns()
    wb = XlsxWorkbook()
    sheet = wb.add_sheet(
        _("Performance pay"), [label for label, _get in columns], width=14, bold=True
    )
    for row in rows:
        sheet.append([get(row) for _label, get in columns])
    ctx.advance_to(len(rows))
    name = document_filename(
        ctx.owner_name, year_part(year), _("Performance pay"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))
