"""获奖证书: once the results are published, the organiser prints one certificate per prize as
a single PDF, by a background job (core.jobs), with the look of the training certificates
(templates/pdf/certificate_css.html). Each certificate carries a number made of the contest
and the entry, so a reprint gives the same numbers."""

from django.utils.translation import gettext as _

from core.files import document_filename
from core.jobs import JobContext, JobError, job_handler
from core.pdf import html_to_pdf, render_html, require_cjk_font

from .models import Contest, Prize

JOB_KIND = "contest_certificates"
PRIZE_ORDER = {p: i for i, p in enumerate(Prize.values)}


def certificate_number(contest: Contest, entry) -> str:
    return f"{contest.year}-{contest.pk:04d}-{entry.pk:05d}"


def certificates_filename(contest: Contest) -> str:
    return document_filename(_("Award certificates"), contest.title, ext="pdf")


@job_handler(JOB_KIND)
def certificates_print(ctx: JobContext) -> None:
    require_cjk_font()
    # The scope is applied again at run time, as the requesting user.
    contest = (
        Contest.objects.editable_by(ctx.job.requested_by)
        .select_related("school", "district")
        .filter(pk=ctx.params.get("contest"))
        .first()
    )
    if contest is None:
        raise JobError(_("The competition no longer exists or is out of your reach."))
    if not contest.is_published:
        raise JobError(_("Certificates are printed once the results are published."))
    entries = sorted(
        contest.entries.exclude(prize="").select_related("teacher__school"),
        key=lambda e: (PRIZE_ORDER[e.prize], e.category, e.teacher.staff_no, e.pk),
    )
    ctx.set_total(2)
    ctx.set_step(_("Printing %(count)d certificates") % {"count": len(entries)})
    for entry in entries:
        entry.number = certificate_number(contest, entry)
    html = render_html(
        "contests/certificates_pdf.html",
        {"contest": contest, "entries": entries},
        language=ctx.job.language,
    )
    ctx.advance()
    ctx.output_path(certificates_filename(contest)).write_bytes(html_to_pdf(html))
    ctx.advance()
