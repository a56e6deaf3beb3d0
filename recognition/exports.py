"""The allowance sheet and the rewards as xlsx workbooks for the finance office, produced by
background jobs (core.jobs) through the project's spreadsheet writer.

The scope applies again at run time, as the requester narrowed to the file's owner: a file
for school A holds school A only, even when its requester also works at school B."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.files import document_filename, time_part
from core.jobs import JobContext, job_handler
from core.writers import XlsxWorkbook

from . import selectors
from .forms import parse_month
from .sheet import allowance_sheet, current_month

SHEET_KIND = "allowance_sheet_export"
REWARDS_KIND = "rewards_export"


def _schools(ctx: JobContext, query: QueryDict):
    schools = selectors.readable_schools(ctx.viewer)
    school = query.get("school", "")
    if school:
        schools = schools.filter(pk=school) if school.isdigit() else schools.none()
    return list(schools)


def sheet_columns():
    return [
        (_("School"), lambda s, line: s.name),
        (_("Month"), lambda s, line: line.month.strftime("%Y-%m")),
        (_("Staff number"), lambda s, line: line.teacher.staff_no),
        (_("Name"), lambda s, line: line.teacher.name),
        (_("Subject"), lambda s, line: line.teacher.subject),
        (_("Tier"), lambda s, line: line.tier.label),
        (_("Amount (yuan)"), lambda s, line: line.amount if line.amount is not None else ""),
        (
            _("Status"),
            lambda s, line: (
                _("Paid") if line.is_paid else (_("Unpaid") if line.due else _("No rate set"))
            ),
        ),
        (_("Paid on"), lambda s, line: line.payment.paid_on if line.payment else ""),
    ]


@job_handler(SHEET_KIND)
def allowance_sheet_export(ctx: JobContext) -> None:
    query = QueryDict(ctx.params.get("query", ""))
    month = parse_month(query.get("month")) or current_month()
    schools = _schools(ctx, query)
    ctx.set_total(len(schools))
    columns = sheet_columns()
    headers = [label for label, _get in columns]
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Allowance sheet"), headers, width=14, bold=True)
    arrears = wb.add_sheet(_("Arrears"), headers, width=14, bold=True)
    for school in schools:
        sheet = allowance_sheet(school=school, month=month)
        for line in sheet.lines:
            ws.append([get(school, line) for _label, get in columns])
        for line in sheet.arrears:
            arrears.append([get(school, line) for _label, get in columns])
        ctx.advance()
    name = document_filename(
        ctx.owner_name, month.strftime("%Y-%m"), _("Allowance sheet"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))


def reward_columns():
    return [
        (_("School"), lambda r: r.school.name),
        (_("Staff number"), lambda r: r.teacher.staff_no),
        (_("Name"), lambda r: r.teacher.name),
        (_("Kind"), lambda r: r.get_kind_display()),
        (_("Title"), lambda r: r.label),
        (_("Amount (yuan)"), lambda r: r.amount),
        (_("Date"), lambda r: r.awarded_on),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Decided by"), lambda r: str(r.decided_by) if r.decided_by else ""),
        (_("Note"), lambda r: r.note),
    ]


@job_handler(REWARDS_KIND)
def rewards_export(ctx: JobContext) -> None:
    query = QueryDict(ctx.params.get("query", ""))
    schools = _schools(ctx, query)
    rewards = selectors.reward_list(ctx.viewer).filter(school__in=schools)
    ctx.set_total(len(schools))
    columns = reward_columns()
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Rewards"), [label for label, _get in columns], width=16, bold=True)
    for reward in rewards.order_by("school__code", "-awarded_on", "pk"):
        ws.append([get(reward) for _label, get in columns])
    ctx.advance_to(len(schools))
    name = document_filename(ctx.owner_name, _("Rewards"), time_part(), ext="xlsx")
    wb.save(ctx.output_path(name))
