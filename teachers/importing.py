"""Importing a school's roster from a spreadsheet: all rows valid, or nothing written.

Teachers are matched by (school, staff number), so importing the same file twice changes
nothing. Columns missing from the file and empty cells leave an existing teacher's value as
it is; teachers absent from the file are not touched."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_jobs import (
    Action,
    column_name,
    import_job_run,
    import_table,
    import_writes,
)
from core.import_jobs import ImportResult as BaseImportResult
from core.import_jobs import column_help as import_column_help
from core.jobs import JobContext, job_handler
from core.models import School, TeachingGroup
from core.tabular import PROGRESS_EVERY, Row, RowError, Table, parse_date

from .models import Education, Gender, Teacher, Title

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
JOB_KIND = "roster_import"
_PHONE = re.compile(r"^[0-9 +\-]+$")
_STAFF_NO = re.compile(r"^[0-9A-Za-z_-]+$")
GROUP_NAME_MAX = TeachingGroup._meta.get_field("name").max_length


@dataclass(frozen=True)
class ImportRow:
    row: int
    staff_no: str
    name: str
    action: str  # Action.*
    changed: tuple[str, ...] = ()  # verbose names of the fields an update changes


@dataclass
class ImportResult(BaseImportResult):
    """What an import did, or with dry_run would do. Nothing is written unless ``ok``; the
    counts and ``rows`` (ImportRow) then describe the valid rows only."""

    new_groups: list[str] = field(default_factory=list)


@dataclass
class _Planned:
    teacher: Teacher
    action: str
    new_group: str = ""  # group to create at apply time and assign to the teacher


def roster_import(
    *,
    school: School,
    fileobj: IO[bytes],
    filename: str,
    create_groups: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update the school's teachers from an .xlsx or .csv roster.

    Every row is validated first; if any is bad, nothing is written and ``errors`` counts every
    problem (and keeps the first ones). ``progress`` is called with the number of rows done,
    validating then writing. Raises core.tabular.TableError when the file cannot be read at all
    or is beyond the import limits."""
    result = ImportResult(dry_run=dry_run)
    table = import_table(result, fileobj, filename, COLUMNS, required=REQUIRED)
    if not result.ok:
        return result

    with import_writes(school=school, dry_run=dry_run):
        planned = _plan(
            school=school,
            table=table,
            create_groups=create_groups,
            result=result,
            progress=progress,
        )
        if result.ok and not dry_run:
            _apply(school=school, planned=planned, progress=progress)
    return result


def _plan(*, school: School, table: Table, create_groups: bool, result: ImportResult, progress):
    existing = {t.staff_no: t for t in Teacher.objects.filter(school=school)}
    groups = {
        g.name: g
        for g in TeachingGroup.objects.filter(school=school, kind=TeachingGroup.Kind.RESEARCH)
    }
    first_seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for done, row in enumerate(table.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        errors: dict[str, str] = {}
        values = _parse_row(row, table, errors)

        staff_no = values.get("staff_no")
        if staff_no and "staff_no" not in errors:
            if staff_no in first_seen:
                errors["staff_no"] = _(
                    "Staff number %(staff_no)s already appears in row %(row)d."
                ) % {"staff_no": staff_no, "row": first_seen[staff_no]}
            else:
                first_seen[staff_no] = row.number
        new_group = _resolve_group(values, groups, create_groups, errors)

        # A repeated staff number is validated on a fresh instance, never the first row's.
        is_first = staff_no and first_seen.get(staff_no) == row.number
        teacher = existing.get(staff_no) if is_first else None
        action, changed = Action.CREATE, ()
        if teacher is None:
            teacher = Teacher(school=school)
        else:
            changed = _changed_fields(teacher, values, new_group)
            action = Action.UPDATE if changed else Action.UNCHANGED
        for name, value in values.items():
            if name not in errors:
                setattr(teacher, name, value)
        _model_errors(teacher, errors)

        if errors:
            order = list(table.headers)  # left to right, as in the file
            result.errors.extend(
                RowError(row.number, column_name(table, key, COLUMNS), errors[key])
                for key in sorted(errors, key=lambda k: order.index(k) if k in order else -1)
            )
            continue
        planned.append(_Planned(teacher=teacher, action=action, new_group=new_group))
        if new_group and new_group not in result.new_groups:
            result.new_groups.append(new_group)
        result.rows.append(
            ImportRow(row.number, teacher.staff_no, teacher.name, action, changed=changed)
        )
        result.count(action)
    return planned


def _resolve_group(values, groups, create_groups: bool, errors: dict[str, str]) -> str:
    """Replace the group name in ``values`` by the school's group; returns the name of a group
    to create, or ""."""
    name = values.pop("group", None)
    if not name or "group" in errors:
        return ""
    if name in groups:
        values["group"] = groups[name]
    elif len(name) > GROUP_NAME_MAX:
        errors["group"] = _("Group names are at most %(max)d characters.") % {"max": GROUP_NAME_MAX}
    elif create_groups:
        return name
    else:
        errors["group"] = _(
            "There is no teaching-research group “%(name)s” at this school. Check the "
            "spelling, or tick “create missing groups” (--create-groups) to create it."
        ) % {"name": name}
    return ""


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
    shown = ", ".join(k for k in choices if not k.isascii())

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


def _changed_fields(teacher: Teacher, values: dict[str, Any], new_group: str) -> tuple[str, ...]:
    changed = []
    for name, value in values.items():
        if name == "group":
            differs = teacher.group_id != value.pk
        else:
            differs = getattr(teacher, name) != value
        if differs:
            changed.append(name)
    if new_group:
        changed.append("group")
    return tuple(str(Teacher._meta.get_field(name).verbose_name) for name in changed)


def _model_errors(teacher: Teacher, errors: dict[str, str]) -> None:
    """Field lengths, the email format and the like, as the model itself checks them."""
    # Uniqueness within the school is settled by matching on staff_no and the in-file check.
    exclude = ["school", "group", "user", *errors]
    try:
        teacher.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = "" if name == NON_FIELD_ERRORS else name
            errors.setdefault(key, messages[0])


def _apply(*, school: School, planned: list[_Planned], progress) -> None:
    created_groups: dict[str, TeachingGroup] = {}
    for done, item in enumerate(planned, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(len(planned) + done)
        if item.new_group and item.new_group not in created_groups:
            created_groups[item.new_group], _created = TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.RESEARCH, name=item.new_group
            )
        if item.new_group:
            item.teacher.group = created_groups[item.new_group]
        if item.action != Action.UNCHANGED:
            item.teacher.save()


def imported_message(result: ImportResult, school: School) -> str:
    return _(
        "Roster imported into %(school)s: %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % result.numbers(school)


def checked_message(result: ImportResult, school: School) -> str:
    message = _(
        "Every row is valid: %(created)d new teachers, %(updated)d updated, %(unchanged)d "
        "unchanged. Confirm to import them into %(school)s."
    ) % result.numbers(school)
    if result.new_groups:
        message += " " + _("These teaching-research groups will be created:") + " "
        message += "、".join(result.new_groups)
    return message


@job_handler(JOB_KIND, regenerable=False)
def roster_import_job(ctx: JobContext) -> None:
    """A large roster file, checked (dry run) or imported in the background."""

    def run(*, by, **kwargs):
        return roster_import(create_groups=ctx.params["create_groups"], **kwargs)

    import_job_run(
        ctx,
        run,
        checked=checked_message,
        imported=imported_message,
        confirm_url=reverse("teachers:import_confirm"),
        upload_url=reverse("teachers:import"),
    )
