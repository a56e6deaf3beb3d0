"""Importing designations recorded outside Gugan (district tier and up, honorary titles) from a
spreadsheet: all rows valid, or nothing written.

A row matches an existing designation by teacher, tier and first school year, so importing the
same file twice creates nothing new. The file is read by core.tabular, like the roster."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_jobs import (
    Action,
    ImportResult,
    column_name,
    import_job_run,
    import_table,
    import_writes,
)
from core.import_jobs import column_help as import_column_help
from core.jobs import JobContext, job_handler
from core.models import School, school_year_label
from core.tabular import PROGRESS_EVERY, Row, RowError, Table
from teachers.models import Teacher

from .models import Designation, Tier, school_year_start
from .services.designations import default_last_year, designation_record

COLUMNS: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "staff_no", "staff no", "staff number"),
    "tier": ("骨干级别", "tier", "级别", "backbone tier"),
    "designated_by": ("认定单位", "designated_by", "designated by"),
    "first_year": ("起始学年", "first_year", "first year", "first school year"),
    "last_year": ("截止学年", "last_year", "last year", "last school year"),
    "certificate_no": ("证书编号", "certificate_no", "certificate no", "certificate number"),
}
REQUIRED = ("staff_no", "tier", "designated_by", "first_year")
JOB_KIND = "designation_import"
# Fields compared when a row matches an existing designation.
COMPARED = ("last_year", "designated_by", "certificate_no")

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


@dataclass(frozen=True)
class ImportRow:
    row: int
    staff_no: str
    name: str
    tier: str
    term: str
    action: str  # Action.*


@dataclass
class _Planned:
    row: int
    teacher: Teacher
    tier: Tier
    values: dict[str, Any]
    existing: Designation | None
    action: str


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


def _tier_lookup(district_id: int) -> tuple[dict[str, Tier], str]:
    """Accepted spellings of the district's tiers: Chinese and English names, codes, and the
    Chinese name without 教师 or 骨干教师 ("区级骨干", "区级")."""
    lookup: dict[str, Tier] = {}
    tiers = list(Tier.objects.filter(district_id=district_id).order_by("kind", "level"))
    for tier in tiers:
        names = [tier.code, tier.name_en, tier.name]
        names += [tier.name.removesuffix("教师"), tier.name.removesuffix("骨干教师")]
        for name in names:
            if name:
                lookup.setdefault(name.strip().casefold(), tier)
    return lookup, ", ".join(t.name for t in tiers)


def designation_import(
    *,
    school: School,
    fileobj: IO[bytes],
    filename: str,
    dry_run: bool = False,
    by=None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Record the designations in an .xlsx or .csv file for teachers of ``school``.

    Every row is validated first; if any is bad nothing is written and ``errors`` counts every
    problem (and keeps the first ones). ``progress`` is called with the number of rows done,
    validating then writing. Raises core.tabular.TableError when the file cannot be read at all
    or is beyond the import limits."""
    result = ImportResult(dry_run=dry_run)  # its rows are ImportRow
    table = import_table(result, fileobj, filename, COLUMNS, required=REQUIRED)
    if not result.ok:
        return result

    with import_writes(school=school, dry_run=dry_run):
        planned = _plan(school=school, table=table, result=result, progress=progress)
        if result.ok and not dry_run:
            _apply(planned, result=result, by=by, progress=progress)
            if not result.ok:
                transaction.set_rollback(True)
    return result


def _plan(*, school: School, table: Table, result: ImportResult, progress) -> list[_Planned]:
    today = timezone.localdate()
    this_year = school_year_start(today)
    teachers = {t.staff_no: t for t in Teacher.objects.filter(school=school)}
    tiers, tier_names = _tier_lookup(school.district_id)
    existing = list(
        Designation.objects.filter(teacher__school=school).select_related("tier", "teacher")
    )
    by_key = {(d.teacher_id, d.tier_id, d.first_year): d for d in existing}
    # What each teacher holds now: the tier designation, and honorary titles by tier.
    active_tier = {
        d.teacher_id: d
        for d in existing
        if not d.is_honorary and d.status == Designation.Status.ACTIVE and d.last_year >= this_year
    }
    active_title = {
        (d.teacher_id, d.tier_id): d
        for d in existing
        if d.is_honorary and d.status == Designation.Status.ACTIVE and d.last_year >= this_year
    }
    claimed: dict[Any, int] = {}  # active slot -> row number that fills it in this file
    seen: dict[tuple, int] = {}  # (teacher, tier, first_year) -> row number
    planned: list[_Planned] = []

    for done, row in enumerate(table.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        errors: dict[str, str] = dict(row.problems)
        values = _parse_row(row, table, errors)
        teacher = tier = None
        staff_no = row.text("staff_no")
        if staff_no:
            teacher = teachers.get(staff_no)
            if teacher is None:
                errors["staff_no"] = _(
                    "No teacher with staff number %(staff_no)s at %(school)s."
                ) % {
                    "staff_no": staff_no,
                    "school": school.name,
                }
            elif not teacher.is_active:
                errors["staff_no"] = _("%(name)s is no longer on staff.") % {"name": teacher.name}
        tier_text = row.text("tier")
        if tier_text:
            tier = tiers.get(tier_text.casefold())
            if tier is None:
                errors["tier"] = _(
                    "“%(value)s” is not a tier of this district. Write one of %(names)s."
                ) % {
                    "value": tier_text,
                    "names": tier_names,
                }
        first = values.get("first_year")
        if tier is not None and first is not None and values.get("last_year") is None:
            values["last_year"] = default_last_year(tier=tier, first_year=first)
        last = values.get("last_year")
        if first is not None and last is not None and last < first:
            errors["last_year"] = _("The last school year cannot be before the first.")

        if errors or teacher is None or tier is None:
            _report(result, table, row, errors)
            continue

        key = (teacher.pk, tier.pk, first)
        if key in seen:
            errors[""] = _("The same designation is already in row %(row)d.") % {"row": seen[key]}
            _report(result, table, row, errors)
            continue
        seen[key] = row.number
        match = by_key.get(key)
        action = _action(match, values)
        _model_errors(teacher, tier, values, errors)

        # One active tier designation per teacher (one of each honorary title), counting
        # both the database and the rows above.
        current = last >= this_year and (match is None or match.status == Designation.Status.ACTIVE)
        if current and not errors:
            slot = (teacher.pk, tier.pk) if tier.is_honorary else teacher.pk
            held = (active_title if tier.is_honorary else active_tier).get(slot)
            if slot in claimed:
                errors[""] = _(
                    "Row %(row)d already gives %(name)s an active designation of this kind."
                ) % {"row": claimed[slot], "name": teacher.name}
            elif held is not None and held != match:
                errors["tier"] = _(
                    "%(name)s already holds an active designation (%(tier)s, %(term)s). "
                    "Revoke it or promote the teacher instead."
                ) % {"name": teacher.name, "tier": held.tier.label, "term": held.term_label}
            else:
                claimed[slot] = row.number

        if errors:
            _report(result, table, row, errors)
            continue
        planned.append(
            _Planned(
                row=row.number,
                teacher=teacher,
                tier=tier,
                values=values,
                existing=match,
                action=action,
            )
        )
        result.rows.append(
            ImportRow(
                row.number,
                teacher.staff_no,
                teacher.name,
                tier.label,
                f"{school_year_label(first)} – {school_year_label(last)}",
                action,
            )
        )
        result.count(action)
    return planned


def _action(match: Designation | None, values: dict[str, Any]) -> str:
    if match is None:
        return Action.CREATE
    # Closed designations are history: a matching row leaves them as they are.
    if match.status != Designation.Status.ACTIVE:
        return Action.UNCHANGED
    differs = any(getattr(match, name) != values[name] for name in COMPARED)
    return Action.UPDATE if differs else Action.UNCHANGED


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


def _model_errors(teacher, tier, values, errors: dict[str, str]) -> None:
    """Field lengths and the like, as the model checks them."""
    candidate = Designation(teacher=teacher, tier=tier, source=Designation.Source.IMPORT, **values)
    try:
        # Teacher and tier were looked up above; checking them again costs a query per row.
        candidate.full_clean(
            exclude=["teacher", "tier"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name if name in COLUMNS else "", messages[0])


def _report(result: ImportResult, table: Table, row: Row, errors: dict[str, str]) -> None:
    result.errors.extend(
        RowError(row.number, column_name(table, key, COLUMNS), message)
        for key, message in errors.items()
    )


def _apply(planned: list[_Planned], *, result: ImportResult, by, progress) -> None:
    for done, item in enumerate(planned, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(len(planned) + done)
        if item.action == Action.UNCHANGED:
            continue
        try:
            if item.action == Action.CREATE:
                designation_record(
                    teacher=item.teacher,
                    tier=item.tier,
                    source=Designation.Source.IMPORT,
                    by=by,
                    **item.values,
                )
            else:
                for name in COMPARED:
                    setattr(item.existing, name, item.values[name])
                item.existing.full_clean(validate_constraints=False)
                item.existing.save()
        except ValidationError as exc:
            # Someone changed the data between the check and the write.
            result.errors.extend(RowError(item.row, "", message) for message in exc.messages)
            return


def imported_message(result: ImportResult, school: School) -> str:
    return _(
        "Designations imported into %(school)s: %(created)d created, %(updated)d updated, "
        "%(unchanged)d unchanged."
    ) % result.numbers(school)


def checked_message(result: ImportResult, school: School) -> str:
    return _(
        "Every row is valid: %(created)d new designations, %(updated)d updated, %(unchanged)d "
        "unchanged. Confirm to import them into %(school)s."
    ) % result.numbers(school)


@job_handler(JOB_KIND, regenerable=False)
def designation_import_job(ctx: JobContext) -> None:
    """A large designations file, checked (dry run) or imported in the background."""
    import_job_run(
        ctx,
        designation_import,
        checked=checked_message,
        imported=imported_message,
        confirm_url=reverse("backbone:designation_import_confirm"),
        upload_url=reverse("backbone:designation_import"),
    )
