"""Checking every row against the school's roster and groups, and planning what each row
creates or updates; nothing is written here.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from core.import_jobs import Action, column_name
from core.import_jobs import ImportResult as BaseImportResult
from core.models import School, TeachingGroup
from core.tabular import PROGRESS_EVERY, RowError, Table

from ..models import Teacher
from .columns import COLUMNS, _parse_row

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
        # The import page and the command share it: name the page's box, not the flag.
        errors["group"] = _(
            "There is no teaching-research group “%(name)s” at this school. Check the "
            "spelling, or tick “Create missing groups” to create it."
        ) % {"name": name}
    return ""


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
