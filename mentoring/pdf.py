"""The mentoring contract (拜师合同) as a one-page A4 PDF, rendered with WeasyPrint from a
normal Django template in the requester's language, by a background job (core.jobs) like
every PDF: a web worker never lays out a document.

Registered by importing this module from mentoring.apps."""

import hashlib

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.files import document_filename, year_part
from core.jobs import JobContext, JobError, job_handler
from core.models import school_year_start
from core.pdf import html_document, require_cjk_font

from .models import Pairing
from .selectors import find_pairing

KIND = "mentoring_contract"
# Long goals or duties are set in a smaller type until the contract fits on one page.
BASE_FONT_PT = 10.5
FONT_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


def contract_filename(pairing: Pairing) -> str:
    return document_filename(
        pairing.school.name,
        year_part(school_year_start(pairing.start_date)),
        pairing.mentor.name,
        pairing.apprentice.name,
        _("Mentoring contract"),
        ext="pdf",
    )


def contract_html(*, pairing: Pairing, scale: float = 1.0) -> str:
    context = {
        "pairing": pairing,
        "school": pairing.school,
        "mentor": pairing.mentor,
        "apprentice": pairing.apprentice,
        # A string: a float would be localised (a decimal comma breaks the CSS).
        "font_size": f"{BASE_FONT_PT * scale:.2f}pt",
        "mentor_duties": [line for line in pairing.mentor_duties.splitlines() if line.strip()],
        "apprentice_duties": [
            line for line in pairing.apprentice_duties.splitlines() if line.strip()
        ],
    }
    return render_to_string("mentoring/contract_pdf.html", context)


def contract_fingerprint(*, pairing: Pairing, language: str) -> str:
    """Changes with anything the contract shows: the same contract is printed once."""
    markup = contract_html(pairing=pairing)
    return hashlib.sha256(f"{KIND}|{language}|{markup}".encode()).hexdigest()


def contract_pdf(*, pairing: Pairing) -> bytes:
    """The contract as PDF bytes, on one page; a JobError naming the font package to
    install when no CJK font is there (WeasyPrint would print empty boxes)."""
    require_cjk_font()
    for scale in FONT_SCALES:
        document = html_document(contract_html(pairing=pairing, scale=scale)).render()
        if len(document.pages) == 1:
            break
    # At the smallest scale an extremely long text may still need a second page.
    return document.write_pdf()


@job_handler(KIND)
def mentoring_contract(ctx: JobContext) -> None:
    # The scope is applied again at run time, as the requesting user.
    pairing = find_pairing(user=ctx.job.requested_by, pk=ctx.params.get("pairing"))
    if pairing is None:
        raise JobError(_("The pairing no longer exists or is out of your reach."))
    ctx.set_total(1)
    ctx.set_step(_("Printing the PDF"))
    ctx.output_path(contract_filename(pairing)).write_bytes(contract_pdf(pairing=pairing))
    ctx.advance()
