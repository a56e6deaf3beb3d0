"""The value of one cell: as text, as a date."""

import datetime
import re
from typing import Any


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def cell_text(value: Any) -> str:
    """A cell as text: stripped, "" for empty, whole-number floats without ".0" (Excel stores
    staff numbers and phone numbers typed as numbers that way)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_PATTERNS = [
    # 2019-09-01, 2019/9/1, 2019.9.1, 2019.09 (a month: the 1st), optionally with a time
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?" + _TIME + "$"),
    # 2019年9月1日, 2019年9月
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?$"),
    # 20190901
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value: Any) -> datetime.date:
    """A date from a cell: an Excel date, or text in the forms Chinese schools write.

    A month without a day ("2019.09", "2019年9月") means the 1st of that month. Raises
    ValueError for anything else, including impossible dates."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = match.groups()
            return datetime.date(int(year), int(month), int(day or 1))
    raise ValueError(f"not a date: {text!r}")
