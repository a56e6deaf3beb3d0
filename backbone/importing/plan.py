"""Checking every row against the school's teachers, the district's tiers and the designations
already held, and planning what each row creates or updates; nothing is written here.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.import_jobs import Action, ImportResult, column_name
from core.models import School, school_year_label
from core.tabular import PROGRESS_EVERY, Row, RowError, Table
from core.wording import list_separator
from teachers.models import Teacher

from ..models import Designation, Tier, school_year_start
from ..services.designations import default_last_year
from .columns import COLUMNS, _parse_row

# Fields compared when a row matches an existing designation.
COMPARED = ("last_year", "designated_by", "certificate_no")


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
    return lookup, list_separator().join(t.name for t in tiers)


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
