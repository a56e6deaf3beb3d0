"""Which duties a teacher owes: the teacher's tier is that of their tier designation covering
the school year (active first, then the highest tier); a teacher on staff without one owes the
duties of their growth stage (teachers.stages), the stage their years of teaching put them in
on the first day of the school year. The templates are those valid in that year
(valid_from <= year <= valid_until) for the teacher's district, and a school's own row
replaces the district default of the same tier (or stage) and duty.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Q

from backbone.models import Designation
from records.models import Kind
from teachers.models import Teacher
from teachers.stages import completed_years, stage_for_years

from ..models import DutyKind, DutyTemplate
from .periods import TierTerm, default_year_dates

# Record kinds each duty counts (mentoring and the duty report are not records).
DUTY_RECORD_KINDS = {
    DutyKind.OPEN_CLASS: Kind.OPEN_CLASS,
    DutyKind.PAPER: Kind.PAPER,
    DutyKind.PROJECT_LED: Kind.PROJECT,
    DutyKind.PROJECT: Kind.PROJECT,
    DutyKind.LECTURE: Kind.LECTURE,
    DutyKind.OBSERVATIONS: Kind.OBSERVATION,
    DutyKind.TRAINING_HOURS: Kind.TRAINING,
    DutyKind.READING: Kind.READING,
    DutyKind.COURSEWARE: Kind.PAPER,
    DutyKind.RESEARCH_CLASS: Kind.OPEN_CLASS,
    DutyKind.WRITING: Kind.PAPER,
    DutyKind.REFLECTION: Kind.REFLECTION,
}


_KIND_ORDER = {value: i for i, value in enumerate(DutyKind.values)}


def templates_in_force(*, district_ids: Iterable[int], school_ids: Iterable[int], year: int):
    """District defaults and school rows valid in ``year`` (one query)."""
    return (
        DutyTemplate.objects.filter(district_id__in=list(district_ids), valid_from__lte=year)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=year))
        .filter(Q(school__isnull=True) | Q(school_id__in=list(school_ids)))
        .select_related("tier")
        .order_by("valid_from", "pk")
    )


def effective_templates(
    templates, *, school_id: int, tier_id: int | None, stage: str = ""
) -> list[DutyTemplate]:
    """The duties of one tier (or growth stage) at one school: the school's own row replaces
    the default."""
    defaults: dict[str, DutyTemplate] = {}
    own: dict[str, DutyTemplate] = {}
    for t in templates:  # ordered by valid_from: a later row wins
        if t.tier_id != tier_id or t.stage != stage:
            continue
        if t.school_id is None:
            defaults[t.kind] = t
        elif t.school_id == school_id:
            own[t.kind] = t
    chosen = {**defaults, **own}
    return sorted(chosen.values(), key=lambda t: _KIND_ORDER[t.kind])


def tier_designations(*, teacher_ids: Iterable[int], year: int) -> dict[int, TierTerm]:
    """Each teacher's tier designation covering ``year``: active first, then highest tier."""
    rows = (
        Designation.objects.tiers()
        .filter(
            teacher_id__any=list(teacher_ids),
            first_year__lte=year,
            last_year__gte=year,
            status__in=[
                Designation.Status.ACTIVE,
                Designation.Status.EXPIRED,
                Designation.Status.SUPERSEDED,
            ],
        )
        .values_list("teacher_id", "tier_id", "first_year", "last_year", "status", "tier__level")
    )
    best: dict[int, tuple] = {}
    for teacher_id, tier_id, first_year, last_year, status, level in rows:
        key = (status == Designation.Status.ACTIVE, level, first_year)
        other = best.get(teacher_id)
        if other is None or key > other[0]:
            best[teacher_id] = (key, TierTerm(tier_id, first_year, last_year))
    return {teacher_id: term for teacher_id, (_key, term) in best.items()}


def stage_terms(*, teacher_ids: Iterable[int], year: int) -> dict[int, TierTerm]:
    """The growth stage of each teacher on staff among ``teacher_ids`` (those without a tier
    designation), on the first day of the school year ``year``: one query."""
    first_day = default_year_dates(year)[0]
    rows = Teacher.objects.filter(pk__any=list(teacher_ids), is_active=True).values_list(
        "pk",
        "career_start",
        "school__district__stage_stable_from",
        "school__district__stage_innovation_from",
        "school__district__stage_young_backbone_from",
        "school__district__stage_excellence_from",
    )
    terms = {}
    for pk, career_start, *cuts in rows:
        years = max(0, completed_years(career_start, first_day))
        terms[pk] = TierTerm(None, year, year, stage_for_years(years, _Cuts(*cuts)))
    return terms


class _Cuts(NamedTuple):
    """A district's stage thresholds, as stage_for_years reads them."""

    stage_stable_from: int
    stage_innovation_from: int
    stage_young_backbone_from: int
    stage_excellence_from: int
