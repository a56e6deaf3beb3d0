"""The designations file's columns, what the upload page says about them, and how the cells of
a row are read.
"""

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_jobs import column_help as import_column_help
from core.tabular import Row, Table

COLUMNS: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "staff_no", "staff no", "staff number"),
    "tier": ("骨干级别", "tier", "级别", "backbone tier"),
    "designated_by": ("认定单位", "designated_by", "designated by"),
    "first_year": ("起始学年", "first_year", "first year", "first school year"),
    "last_year": ("截止学年", "last_year", "last year", "last school year"),
    "certificate_no": ("证书编号", "certificate_no", "certificate no", "certificate number"),
}
REQUIRED = ("staff_no", "tier", "designated_by", "first_year")


_COLUMN_HELP = {
    "staff_no": ("A001", gettext_lazy("A teacher of the school, by staff number.")),
    "tier": (
        "区级骨干教师, 区级, District-level backbone, district, 学科带头人",
        gettext_lazy(
            "A tier or honorary title of the district: its Chinese or English name or its code."
        ),
    ),
    "designated_by": ("鼓楼区教育局", ""),
    "first_year": ("2025, 2025-2026, 2025学年", gettext_lazy("The first school year of the term.")),
    "last_year": (
        "2027, 2027-2028",
        gettext_lazy("The last school year of the term. Empty: the tier's default term."),
    ),
    "certificate_no": ("GL2025-013", ""),
}


def column_help() -> list[dict]:
    return import_column_help(COLUMNS, REQUIRED, _COLUMN_HELP)


# "2025", "2025-2026", "2025–2026", "2025—2026", "2025/2026", "2025学年", "2025-2026学年"
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:-|–|—|/|~|至)\s*(\d{4}))?\s*(?:学年(?:度)?)?$")


def parse_school_year(value: Any) -> int:
    """The start year of a school year written as 2025, 2025-2026 or 2025学年."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    match = _YEAR.match(text)
    if match:
        start, end = int(match.group(1)), match.group(2)
        if 1950 <= start <= 2100 and (end is None or int(end) == start + 1):
            return start
    raise ValueError(text)


def _parse_row(row: Row, table: Table, errors: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {"certificate_no": row.text("certificate_no"), "last_year": None}
    for key in REQUIRED:
        if not row.text(key) and key not in errors:
            errors[key] = _("This value is required.")
    values["designated_by"] = row.text("designated_by")
    for key in ("first_year", "last_year"):
        if not row.text(key) or key in errors:
            continue
        try:
            values[key] = parse_school_year(row.get(key))
        except ValueError:
            errors[key] = _("“%(value)s” is not a school year. Write it like %(examples)s.") % {
                "value": row.text(key),
                "examples": "2025, 2025-2026, 2025学年",
            }
    return values
