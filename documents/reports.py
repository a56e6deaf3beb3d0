"""The yearly review report as PDF (with SVG charts) and as xlsx, and the district overview
as xlsx: job handlers, and the builders the management command shares."""

import time
from pathlib import Path

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from assessment.models import Grade
from core.files import current_year_part, document_filename, time_part, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import District, Job, School
from core.writers import XlsxWorkbook

from .svg import Series, bar_chart
from .yearly import (
    ROSTER_FIELDS,
    YearlyReport,
    hour_buckets,
    roster_field_labels,
    yearly_report,
)

PDF_TEMPLATE = "documents/yearly/report_pdf.html"


# -- who may ask ------------------------------------------------------------------------------
def resolve_owner(*, user, params: dict) -> tuple[School | None, District | None]:
    """The school or district of a request, as the requesting user may see it."""
    scope = user.scope
    if params.get("school"):
        school = scope.schools().filter(pk=params["school"]).first()
        if school is None:
            raise JobError(_("You may not see this school."))
        return school, None
    district = District.objects.filter(pk=params.get("district")).first()
    if district is None or not (scope.is_superuser or district.pk in scope.district_ids):
        raise JobError(_("You may not see this district."))
    return None, district


def _step(ctx: JobContext, text: str) -> None:
    ctx.job.step = text
    Job.objects.filter(pk=ctx.job.pk).update(step=text)
    ctx.advance()


def _build(ctx: JobContext) -> YearlyReport:
    ctx.set_total(3)
    school, district = resolve_owner(user=ctx.viewer, params=ctx.params)
    _step(ctx, _("Collecting the numbers"))
    return yearly_report(year=int(ctx.params["year"]), school=school, district=district)


def _filename(report: YearlyReport, ext: str) -> str:
    return document_filename(report.owner_name, year_part(report.year), _("Yearly report"), ext=ext)


# -- PDF --------------------------------------------------------------------------------------
def charts(report: YearlyReport) -> dict:
    tiers = [t.label for t in report.tiers]
    rows = report.roster_rows()
    targets = report.target_rows()
    return {
        "roster": bar_chart(
            title=_("Backbone teachers by tier"),
            labels=tiers,
            series=[
                Series(_("At the start"), [r["start"] for r in rows]),
                Series(_("At the end"), [r["end"] for r in rows]),
            ],
        ),
        "grades": bar_chart(
            title=_("Annual assessment grades"),
            labels=[r["grade"] for r in report.grade_rows()],
            series=[Series(_("Teachers"), [r["count"] for r in report.grade_rows()])],
        ),
        "hours": bar_chart(
            title=_("Training hours (%(total)s required, %(school_based)s school-based)")
            % {"total": report.hours_required, "school_based": report.hours_required_school_based},
            labels=[str(label) for _bound, label in hour_buckets()],
            series=[Series(_("Teachers"), [r["count"] for r in report.hour_rows()])],
        ),
        "targets": bar_chart(
            title=_("Targets against actual"),
            labels=tiers,
            series=[
                Series(_("Target"), [r["target"] for r in targets], "#bbbbbb"),
                Series(_("Actual"), [r["actual"] for r in targets]),
            ],
        ),
    }


def pdf_context(report: YearlyReport) -> dict:
    return {
        "report": report,
        "roster_labels": roster_field_labels(),
        "roster_fields": ROSTER_FIELDS,
        "charts": charts(report),
        "printed_on": timezone.localdate(),
    }


def render_yearly_pdf(report: YearlyReport, *, language: str) -> bytes:
    from core.pdf import render_pdf

    with translation.override(language):
        context = pdf_context(report)
    return render_pdf(PDF_TEMPLATE, context, language=language)


@job_handler("yearly_report")
def yearly_report_pdf(ctx: JobContext) -> None:
    report = _build(ctx)
    _step(ctx, _("Drawing the report"))
    pdf = render_yearly_pdf(report, language=ctx.job.language)
    _step(ctx, _("Saving the file"))
    ctx.output_path(_filename(report, "pdf")).write_bytes(pdf)


# -- xlsx -------------------------------------------------------------------------------------
def _cell(value):
    if isinstance(value, Promise):
        return str(value)
    if hasattr(value, "label") and not isinstance(value, str | int):
        return value.label
    return value


def _sheet(wb: XlsxWorkbook, title: str, header: list, rows: list[list]) -> None:
    ws = wb.add_sheet(title, [_cell(h) for h in header])
    for row in rows:
        ws.append([_cell(v) for v in row])


def yearly_workbook(report: YearlyReport) -> XlsxWorkbook:
    labels = roster_field_labels()
    wb = XlsxWorkbook()
    _sheet(
        wb,
        _("Roster"),
        [_("Tier"), *(labels[f] for f in ROSTER_FIELDS)],
        [[r["tier"], *(r[f] for f in ROSTER_FIELDS)] for r in report.roster_rows()],
    )
    _sheet(
        wb,
        _("Duties"),
        [_("Tier"), _("Duty"), _("Met"), _("Teachers"), _("Completion %")],
        [[r["tier"], r["duty"], r["met"], r["total"], r["percent"]] for r in report.duty_rows()],
    )
    _sheet(
        wb,
        _("Grades"),
        [_("Grade"), _("Teachers"), "%"],
        [[r["grade"], r["count"], r["percent"]] for r in report.grade_rows()],
    )
    _sheet(
        wb,
        _("Training hours"),
        [_("Hours"), _("Teachers"), "%"],
        [[r["bucket"], r["count"], r["percent"]] for r in report.hour_rows()],
    )
    _sheet(
        wb,
        _("Mentoring"),
        [_("Compliance"), _("Pairings")],
        [[r["light"], r["count"]] for r in report.compliance_rows()],
    )
    _sheet(
        wb,
        _("Targets"),
        [_("Tier"), _("Target"), _("Actual"), "%"],
        [[r["tier"], r["target"], r["actual"], r["percent"]] for r in report.target_rows()],
    )
    _sheet(
        wb,
        _("Groups"),
        [_("School"), _("Group"), _("Planned"), _("Held as planned"), _("Held"),
         _("Attendance %"), _("Units agreed"), _("Teaching designs")],
        [[r["school"], r["group"], r["planned"], r["held_as_planned"], r["held"],
          r["attendance_rate"], r["agreed"], r["designs"]] for r in report.group_rows()],
    )  # fmt: skip
    people_header = [_("School"), _("Staff number"), _("Name"), _("Tier"), _("Reason")]
    for title, people in (
        (_("Recommended"), report.total.recommended),
        (_("Flagged"), report.total.flagged),
    ):
        _sheet(
            wb,
            title,
            people_header,
            [[p.school, p.staff_no, p.name, p.tier, p.reason] for p in people],
        )
    if report.is_district:
        _schools_sheet(wb, report)
    return wb


def _schools_sheet(wb: XlsxWorkbook, report: YearlyReport) -> None:
    header = [
        _("School code"),
        _("School"),
        _("Teachers"),
        *(t.label for t in report.tiers),
        _("Duty completion %"),
        *(str(g["grade"]) for g in report.grade_rows()),
        _("Training hours met %"),
        *(f"{_('Target')} {t.label}" for t in report.tiers),
    ]
    rows = []
    for s in report.schools:
        rows.append(
            [
                s.school.code,
                s.school.name,
                s.teachers,
                *(s.backbone(t.pk) for t in report.tiers),
                s.duty_percent,
                *(s.grades[g.value] for g in reversed(Grade)),
                s.hours_met_percent,
                *(s.targets.get(t.pk) for t in report.tiers),
            ]
        )
    _sheet(wb, _("Schools"), header, rows)


@job_handler("yearly_report_xlsx")
def yearly_report_xlsx(ctx: JobContext) -> None:
    report = _build(ctx)
    _step(ctx, _("Writing the workbook"))
    wb = yearly_workbook(report)
    _step(ctx, _("Saving the file"))
    wb.save(ctx.output_path(_filename(report, "xlsx")))


@job_handler("district_overview_xlsx")
def district_overview_xlsx(ctx: JobContext) -> None:
    from .views.district import overview_report

    ctx.set_total(2)
    _school, district = resolve_owner(user=ctx.viewer, params=ctx.params)
    _step(ctx, _("Collecting the numbers"))
    report = overview_report(district=district)
    wb = XlsxWorkbook()
    _schools_sheet(wb, report)
    _step(ctx, _("Saving the file"))
    name = document_filename(
        district.name, current_year_part(), _("District overview"), time_part(), ext="xlsx"
    )
    wb.save(ctx.output_path(name))


# -- for the command --------------------------------------------------------------------------
def write_report(report: YearlyReport, *, out: Path, fmt: str, language: str) -> float:
    """Write the report to ``out``; returns the seconds it took."""
    started = time.perf_counter()
    if fmt == "pdf":
        out.write_bytes(render_yearly_pdf(report, language=language))
    else:
        with translation.override(language):
            yearly_workbook(report).save(out)
    return time.perf_counter() - started
