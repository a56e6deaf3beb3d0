"""Markers shared by test modules."""

import shutil

import pytest

from core import pdf

# The PDF checks read the file back with poppler-utils and need an embedded CJK font; CI
# installs both (.ci/run), a newcomer's laptop may have neither.
needs_pdf_tools = pytest.mark.skipif(
    shutil.which("pdftotext") is None
    or shutil.which("pdfinfo") is None
    or not pdf.cjk_font_installed(),
    reason="needs poppler-utils and a CJK font (fonts-noto-cjk)",
)
