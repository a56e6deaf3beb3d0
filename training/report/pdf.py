"""The printable programme report: a background job (core.jobs) rendering the same figures
as the page, with plain HTML bars (WeasyPrint runs no JavaScript). The file is shared with
the organiser's managers (or the district office), so it is computed for the requester's
scope narrowed to that owner, and shows the pass rate only once revealed to all of them."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import document_filename
from core.jobs import JobContext, JobError, job_handler
from core.pdf import html_to_pdf, render_html, require_cjk_font

from ..models import Programme
from . import PERIODS, programme_report

JOB_KIND = "training_report"


def report_filename(programme: Programme) -> str:
    return document_filename(programme.title, _("Programme report"), ext="pdf")


@job_handler(JOB_KIND)
def report_print(ctx: JobContext) -> None:
    require_cjk_font()
    viewer = ctx.viewer
    programme = (
        Programme.objects.visible_to(viewer)
        .select_related("school", "district", "panel")
        .filter(pk=ctx.params.get("programme"))
        .first()
    )
    if programme is None:
        raise JobError(_("The programme no longer exists or is out of your reach."))
    ctx.set_total(2)
    ctx.set_step(_("Computing the report"))
    report = programme_report(programme=programme, user=viewer, shared=ctx.audience.shared)
    ctx.advance()
    html = render_html(
        "training/report_pdf.html",
        {"report": report, "programme": programme, "periods": PERIODS, "now": timezone.now()},
        language=ctx.job.language,
    )
    ctx.output_path(report_filename(programme)).write_bytes(html_to_pdf(html))
    ctx.advance()
