"""zh-hans is the default language: every string the UI shows must have a Chinese translation,
and the compiled catalogue must match the source catalogue."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_chinese_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(ZH_PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags and not e.obsolete]
    assert missing == [], f"untranslated: {missing[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


def test_placeholders_survive_translation():
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(ZH_PO)):
        if entry.obsolete or not entry.translated():
            continue
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        source = entry.msgid_plural if entry.msgid_plural else entry.msgid
        assert set(pattern.findall(translated)) == set(pattern.findall(source)), entry.msgid


def test_compiled_catalogue_is_up_to_date():
    catalogue = polib.pofile(str(ZH_PO))
    assert ZH_PO.with_suffix(".mo").exists(), "run `make messages` to compile the catalogue"
    compiled = polib.mofile(str(ZH_PO.with_suffix(".mo")))
    compiled_ids = {(e.msgctxt, e.msgid) for e in compiled}
    source_ids = {(e.msgctxt, e.msgid) for e in catalogue if e.translated() and not e.obsolete}
    assert source_ids <= compiled_ids, "run `make messages` to compile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings afresh and compare: a new string nobody translated fails here."""
    base = Path(settings.BASE_DIR)
    apps = [p.parent.name for p in base.glob("*/apps.py")]
    for item in ["config", "templates", *apps]:
        shutil.copytree(base / item, tmp_path / item)
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans",
         "--no-obsolete", "--no-location"],
        cwd=tmp_path, check=True, capture_output=True, timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )  # fmt: skip
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(ZH_PO)) if e.translated()}
    new = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert new == [], f"strings not in the Chinese catalogue (run make messages): {new[:20]}"
