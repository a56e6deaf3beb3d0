"""The mentoring contract (拜师合同) as a one-page A4 PDF, rendered with WeasyPrint from a
normal Django template in the active language.

Without a CJK font WeasyPrint draws empty boxes and raises nothing, so the font is checked
first (``fc-list :lang=zh``, cached for the life of the process) and its absence reported.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.pdf import CJK_FONT_PACKAGE, FontMissing, cjk_font_installed  # noqa: F401

from .models import Pairing

# Long goals or duties are set in a smaller type until the contract fits on one page.
BASE_FONT_PT = 10.5
FONT_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


def contract_filename(pairing: Pairing) -> str:
    return _("Mentoring contract %(mentor)s %(apprentice)s.pdf") % {
        "mentor": pairing.mentor.name,
        "apprentice": pairing.apprentice.name,
    }


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


def contract_pdf(*, pairing: Pairing) -> bytes:
    """The contract as PDF bytes, on one page; raises FontMissing without a CJK font."""
    if not cjk_font_installed():
        raise FontMissing(CJK_FONT_PACKAGE)
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    for scale in FONT_SCALES:
        document = HTML(string=contract_html(pairing=pairing, scale=scale)).render()
        if len(document.pages) == 1:
            break
    # At the smallest scale an extremely long text may still need a second page.
    return document.write_pdf()
