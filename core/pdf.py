"""Shared PDF rendering: a Django template rendered to HTML, then to PDF with WeasyPrint.

Without a CJK font WeasyPrint draws empty boxes and raises nothing, so the font is checked
first (``fc-list :lang=zh``, cached for the life of the process) and its absence reported with
the package to install. WeasyPrint is imported lazily (≈0.6 s) and stays warm in the worker.
"""

import functools
import logging
import shutil
import subprocess

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .validators import strip_control_characters

CJK_FONT_PACKAGE = "fonts-noto-cjk"

# WeasyPrint logs each layout step at INFO; with the root logger at INFO that triples the
# render time of a dossier (measured in bench/reports.py). Only its warnings are worth seeing.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class FontMissing(Exception):
    """No CJK font is installed: the PDF would show empty boxes instead of Chinese."""


@functools.cache
def cjk_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def require_cjk_font() -> None:
    """Raise a JobError users can act on when no CJK font is installed."""
    from .jobs import JobError

    if not cjk_font_installed():
        raise JobError(
            _(
                "No Chinese font is installed on the server, so the PDF cannot be printed. "
                "Ask the administrator to install the package %(package)s."
            )
            % {"package": CJK_FONT_PACKAGE}
        )


# Used when the catalogue has no translation yet: the Chinese footer is a print convention.
PAGE_COUNTER_FALLBACKS = {"zh-hans": "第 %(page)s 页 / 共 %(pages)s 页"}


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css() -> str:
    """The CSS ``content`` value of the footer, e.g. "第 " counter(page) " 页 / 共 " ..."""
    source = "Page %(page)s of %(pages)s"
    text = _("Page %(page)s of %(pages)s")
    if text == source:
        text = PAGE_COUNTER_FALLBACKS.get(translation.get_language() or "", source)
    marker_page, marker_pages = "\x00page\x00", "\x00pages\x00"
    text = text % {"page": marker_page, "pages": marker_pages}
    parts = []
    for chunk in text.split("\x00"):
        if chunk == "page":
            parts.append("counter(page)")
        elif chunk == "pages":
            parts.append("counter(pages)")
        elif chunk:
            parts.append(_css_string(chunk))
    return " ".join(parts)


def render_html(template: str, context: dict, *, language: str) -> str:
    with translation.override(language):
        extra = {"pdf_language": language, "page_counter_css": page_counter_css()}
        return render_to_string(template, {**context, **extra})


def html_document(html: str):
    """WeasyPrint's document for ``html``. Control characters stored before forms refused
    them are dropped: WeasyPrint draws empty boxes for most and drops text after a NUL."""
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    return HTML(string=strip_control_characters(html))


def html_to_pdf(html: str) -> bytes:
    return html_document(html).write_pdf()


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """The template (extending ``pdf/base.html``) as PDF bytes, in ``language``."""
    require_cjk_font()
    return html_to_pdf(render_html(template, context, language=language))
