"""Chinese text uses full-width punctuation: a half-width , ; : ? ! ( ) beside a Chinese
character reads as a typing slip to a school office ("考核 (ID)", "培训学时: 72"). This scans
every Chinese translation: the catalogue as the next merge leaves it (each
locale/pending/*.override.po replaces the catalogue's msgstr) and the pending files."""

import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
PENDING = LOCALE / "pending"

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
HALF_WIDTH = re.compile(rf"{CJK} ?[,;:?!()]|[,;:?!()] ?{CJK}")


def translations(entry) -> list[str]:
    return [entry.msgstr, *entry.msgstr_plural.values()]


def chinese_texts() -> dict[tuple[str, str | None, str], list[str]]:
    """(file, context, msgid) -> the Chinese texts, the overrides already applied."""
    overrides = {}
    for path in sorted(PENDING.glob("*.override.po")):
        for entry in polib.pofile(str(path)):
            overrides[(entry.msgctxt, entry.msgid)] = translations(entry)
    texts = {}
    for entry in polib.pofile(str(ZH_PO)):
        if not entry.obsolete:
            key = (entry.msgctxt, entry.msgid)
            texts[(ZH_PO.name, *key)] = overrides.get(key, translations(entry))
    for path in sorted(PENDING.glob("*.po")):
        for entry in polib.pofile(str(path)):
            texts[(path.name, entry.msgctxt, entry.msgid)] = translations(entry)
    return texts


def half_width(text: str) -> list[str]:
    return [text[max(m.start() - 6, 0) : m.end() + 6] for m in HALF_WIDTH.finditer(text)]


def test_the_scan_tells_full_width_from_half_width():
    assert half_width("考核 (ID)") and half_width("培训学时: 72") and half_width("是吗?")
    assert not half_width("考核（ID）：72，是吗？") and not half_width("72/24 (hours)")
    assert not half_width("请输入日期，例如2026-09-01。")


def test_every_chinese_translation_uses_full_width_punctuation():
    texts = chinese_texts()
    assert len(texts) > 2000
    slips = {
        f"{source} {msgid!r}": found
        for (source, _context, msgid), strings in texts.items()
        for found in [[slip for s in strings for slip in half_width(s)]]
        if found
    }
    assert slips == {}
