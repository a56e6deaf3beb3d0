"""Markers shared by test modules."""

import importlib.util
import shutil
from pathlib import Path

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

# The LDAP sign-in tests start Debian's slapd and log in through python-ldap, the optional `ldap`
# extra; CI installs both (slapd ldap-utils libldap2-dev libsasl2-dev).
SLAPD = "/usr/sbin/slapd"
needs_slapd = pytest.mark.skipif(
    importlib.util.find_spec("ldap") is None
    or not Path(SLAPD).exists()
    or shutil.which("slapadd") is None,
    reason="needs python-ldap (the ldap extra) and slapd (apt-get install slapd ldap-utils)",
)
