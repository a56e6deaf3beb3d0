"""The compliance overview as an xlsx workbook, produced by a background job (core.jobs): one
sheet with a row per pairing, one with a row per pairing and week.

Registered by importing this module from mentoring.views_compliance."""

from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.files import current_year_part, document_filename, time_part
from core.jobs import JobContext, job_handler
from core.writers import XlsxWorkbook

from .compliance import OverviewRow, Week, overview_rows

KIND = "mentoring_compliance_export"


def _percent(row: OverviewRow):
    percent = row.compliance.percent
    return "" if percent is None else percent


def pairing_columns():
    return [
        (_("School"), lambda r: r.pairing.school.name),
        (_("Mentor"), lambda r: r.pairing.mentor.name),
        (_("Apprentice"), lambda r: r.pairing.apprentice.name),
        (_("Status"), lambda r: r.pairing.get_status_display()),
        (_("Start date"), lambda r: r.pairing.start_date),
        (_("End date"), lambda r: r.pairing.ended_on or r.pairing.end_date),
        (_("Mentor observations done"), lambda r: r.compliance.mentor.done),
        (_("Mentor observations required"), lambda r: r.compliance.mentor.required),
        (_("Mentor observations awaiting verification"), lambda r: r.compliance.mentor.pending),
        (_("Apprentice observations done"), lambda r: r.compliance.apprentice.done),
        (_("Apprentice observations required"), lambda r: r.compliance.apprentice.required),
        (
            _("Apprentice observations awaiting verification"),
            lambda r: r.compliance.apprentice.pending,
        ),
        (_("Missed weeks"), lambda r: r.compliance.missed_weeks),
        (_("Guidance sessions"), lambda r: r.pairing.session_count),
        (_("Percent done"), _percent),
        (_("Compliance"), lambda r: r.compliance.light_label),
    ]


def week_columns():
    def state(week: Week) -> str:
        if not week.counts:
            return _("No teaching days")
        if week.in_progress:
            return _("In progress")
        return _("Missed") if week.missed else _("Done")

    return [
        (_("Week"), lambda r, w: f"{date_format(w.first)}–{date_format(w.last)}"),
        (_("Teaching days"), lambda r, w: w.teaching_days),
        (_("Holidays"), lambda r, w: "、".join(w.holidays)),
        (_("Mentor observations done"), lambda r, w: w.mentor.done),
        (_("Mentor observations required"), lambda r, w: w.mentor.required),
        (_("Apprentice observations done"), lambda r, w: w.apprentice.done),
        (_("Apprentice observations required"), lambda r, w: w.apprentice.required),
        (_("Result"), lambda r, w: state(w)),
    ]


@job_handler(KIND)
def mentoring_compliance_export(ctx: JobContext) -> None:
    user = ctx.viewer
    # The scope (and filters) apply again at run time, as the requester narrowed to the
    # job's owner: the file's audience (core.job_files).
    rows = overview_rows(user=user, data=QueryDict(ctx.params.get("query", ""))).rows
    ctx.set_total(len(rows))
    columns = pairing_columns()
    weekly = week_columns()
    wb = XlsxWorkbook()
    ws = wb.add_sheet(_("Pairings"), [label for label, _get in columns], width=14)
    weeks = wb.add_sheet(
        _("Weeks"), [_("Mentor"), _("Apprentice"), *[label for label, _get in weekly]], width=14
    )
    for i, row in enumerate(rows, start=1):
        ws.append([get(row) for _label, get in columns])
        for week in row.compliance.weeks:
            weeks.append(
                [row.pairing.mentor.name, row.pairing.apprentice.name]
                + [get(row, week) for _label, get in weekly]
            )
        if i % 50 == 0:
            ctx.advance(50)
    name = document_filename(
        ctx.owner_name, current_year_part(), _("Mentoring compliance"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))
