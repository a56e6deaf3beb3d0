"""The roster file's columns, what the upload page says about them, and how each cell of a row
is read into a Teacher field value.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_jobs import column_help as import_column_help
from core.tabular import Row, Table, parse_date
from core.wording import list_separator

from ..models import Education, Gender, Title

# Keys are Teacher field names, so model validation errors map straight onto columns.
# The English aliases include the headers of the roster export (teachers.exports).
COLUMNS: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "staff_no", "staff no", "staff number"),
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "birth_date", "birth date"),
    "career_start": ("参加工作时间", "career_start", "career start", "teaching since"),
    "education": ("学历", "education"),
    "title": ("职称", "title", "professional title"),
    "subject": ("任教学科", "subject"),
    "group": ("教研组", "group", "teaching-research group"),
    "phone": ("手机", "phone", "mobile phone"),
    "email": ("邮箱", "email"),
}
REQUIRED = ("staff_no", "name", "gender", "career_start", "education", "subject")

# What the upload page tells people to put in each column: accepted values (literal, not
# translated) and a note.
_COLUMN_HELP = {
    "staff_no": (
        "A001, 2019-07",
        gettext_lazy(
            "Letters, digits, - or _, unique within the school. Format the column as text "
            "in Excel, or leading zeros are lost."
        ),
    ),
    "name": ("", ""),
    "gender": ("男, 女, M, F", ""),
    "birth_date": ("1985-05-01, 1985/5/1, 1985.05, 1985.5.1, 1985年5月1日, 1985年5月", ""),
    "career_start": (
        "2008-09-01, 2008.09, 2008年9月",
        gettext_lazy("A month without a day means the 1st of that month."),
    ),
    "education": ("中专, 大专, 本科, 硕士 (研究生), 博士", ""),
    "title": (
        "未定级 (无), 三级, 二级, 一级 (中级), 高级 (副高), 正高级 (正高)",
        gettext_lazy("With or without 教师. An empty cell means no title for a new teacher."),
    ),
    "subject": ("语文, 数学, 英语", ""),
    "group": (
        "语文组",
        gettext_lazy(
            "The name of a teaching-research group of the school. Unknown names are errors unless "
            "“create missing groups” is ticked."
        ),
    ),
    "phone": ("138 0013 8000", gettext_lazy("Digits, spaces, + and - only.")),
    "email": ("li@example.com", ""),
}


def column_help() -> list[dict]:
    """The accepted columns, for the upload page."""
    return import_column_help(COLUMNS, REQUIRED, _COLUMN_HELP)


_GENDERS = {
    "男": Gender.MALE,
    "女": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}
_EDUCATIONS = {
    "中专": Education.SECONDARY, "大专": Education.COLLEGE, "本科": Education.BACHELOR,
    "硕士": Education.MASTER, "研究生": Education.MASTER, "硕士研究生": Education.MASTER,
    "博士": Education.DOCTOR, "博士研究生": Education.DOCTOR,
    "secondary": Education.SECONDARY, "college": Education.COLLEGE,
    "bachelor": Education.BACHELOR, "master": Education.MASTER,
    "doctorate": Education.DOCTOR, "doctor": Education.DOCTOR, "phd": Education.DOCTOR,
    "ph.d.": Education.DOCTOR,
}  # fmt: skip
# Looked up after removing a trailing 教师 ("一级教师" = "一级").
_TITLES = {
    "未定级": Title.NONE, "无": Title.NONE, "三级": Title.THIRD, "二级": Title.SECOND,
    "一级": Title.FIRST, "中级": Title.FIRST, "高级": Title.SENIOR, "副高": Title.SENIOR,
    "副高级": Title.SENIOR, "正高级": Title.PROFESSOR, "正高": Title.PROFESSOR,
    "none": Title.NONE, "third": Title.THIRD, "second": Title.SECOND, "first": Title.FIRST,
    "senior": Title.SENIOR, "professor": Title.PROFESSOR,
}  # fmt: skip


_PHONE = re.compile(r"^[0-9 +\-]+$")
_STAFF_NO = re.compile(r"^[0-9A-Za-z_-]+$")


def _parse_row(row: Row, table: Table, errors: dict[str, str]) -> dict[str, Any]:
    """The row's non-empty cells as Teacher field values; problems go into ``errors``."""
    values: dict[str, Any] = {}
    for key in COLUMNS:
        if not table.has(key):
            continue
        if key in row.problems:
            errors[key] = row.problems[key]
            continue
        text = row.text(key)
        if not text:
            if key in REQUIRED:
                errors[key] = _("This value is required.")
            continue
        try:
            values[key] = _PARSERS[key](row.get(key), text)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    if (
        "career_start" in values
        and "birth_date" in values
        and values["career_start"].year - values["birth_date"].year < 16
    ):
        errors["career_start"] = _("Teaching cannot start before the age of 16.")
    return values


def _choice(choices: dict, message, *, suffix: str = ""):
    """A parser looking the text up in ``choices`` (casefolded, ``suffix`` optional)."""
    shown = list_separator().join(k for k in choices if not k.isascii())

    def parse(value, text):
        key = text.casefold()
        if suffix and key != suffix:
            key = key.removesuffix(suffix)
        try:
            return choices[key]
        except KeyError:
            raise ValidationError(message() % {"value": text, "choices": shown}) from None

    return parse


def _date(value, text):
    try:
        return parse_date(value)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date. Write it like %(examples)s.")
            % {"value": text, "examples": "2019-09-01, 2019/9/1, 2019.09, 2019年9月1日"}
        ) from None


def _pattern(pattern, message):
    def parse(value, text):
        if not pattern.match(text):
            raise ValidationError(message())
        return text

    return parse


def _text(value, text):
    return text


_PARSERS = {
    "staff_no": _pattern(_STAFF_NO, lambda: _("Use letters, digits, - or _.")),
    "name": _text,
    "gender": _choice(
        _GENDERS, lambda: _("“%(value)s” is not a gender. Write one of %(choices)s.")
    ),
    "birth_date": _date,
    "career_start": _date,
    "education": _choice(
        _EDUCATIONS,
        lambda: _("“%(value)s” is not an education level. Write one of %(choices)s."),
    ),
    "title": _choice(
        _TITLES,
        lambda: _("“%(value)s” is not a professional title. Write one of %(choices)s."),
        suffix="教师",
    ),
    "subject": _text,
    "group": _text,
    "phone": _pattern(_PHONE, lambda: _("Use digits, spaces, + and - only.")),
    "email": _text,  # the model's EmailField checks it in full_clean
}
