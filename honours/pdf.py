"""The commendation (表彰名单) of a confirmed honours list as an A4 PDF: rendered with WeasyPrint
from a normal Django template by a background job (core.jobs), like every PDF.

Registered by importing this module from honours.apps."""

from django.utils.translation import gettext as _

from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.pdf import render_html, render_pdf

from . import selectors
from .models import HonourList
from .reasons import candidate_reasons

KIND = "honours_commendation"
TEMPLATE = "honours/commendation_pdf.html"


def commendation_filename(honour_list: HonourList) -> str:
    return document_filename(
        honour_list.school.name,
        year_part(honour_list.year),
        _("Commendation"),
        ext="pdf",
    )


def _context(honour_list: HonourList) -> dict:
    rows = selectors.commended(honour_list=honour_list)
    for row in rows:
        row.honour_list = honour_list
        row.reasons = candidate_reasons(row)
    return {"honour_list": honour_list, "school": honour_list.school, "rows": rows}


def commendation_html(*, honour_list: HonourList, language: str) -> str:
    return render_html(TEMPLATE, _context(honour_list), language=language)


@job_handler(KIND)
def honours_commendation(ctx: JobContext) -> None:
    # The scope is applied again at run time, as the requester narrowed to the job's owner.
    honour_list = (
        selectors.honour_lists(user=ctx.viewer)
        .filter(pk=ctx.params.get("list"), status=HonourList.Status.CONFIRMED)
        .first()
    )
    if honour_list is None:
        raise JobError(_("The honours list no longer exists or is out of your reach."))
    ctx.set_total(1)
    ctx.set_step(_("Printing the PDF"))
    language = ctx.params.get("language") or honour_list.school.language
    pdf = render_pdf(TEMPLATE, _context(honour_list), language=language)
    ctx.output_path(commendation_filename(honour_list)).write_bytes(pdf)
    ctx.advance()
