"""The grade rules (``grading``) fed from a round's stored rows: an entry's facts and its
template's thresholds, for finalising and for printing why a grade is below its score's."""

from decimal import Decimal

from . import grading
from .models import AssessmentEntry, AssessmentTemplate, Grade
from .selectors import missed_core_duty_labels


def thresholds_of(template: AssessmentTemplate) -> grading.Thresholds:
    return grading.Thresholds(template.excellent_from, template.good_from, template.qualified_from)


def facts_of(entry: AssessmentEntry, template: AssessmentTemplate) -> grading.Facts:
    """What the rules look at besides the score; hours only in an annual assessment (they are
    counted per school year)."""
    annual = template.kind == AssessmentTemplate.Kind.ANNUAL
    hours = (entry.facts or {}).get("hours", {})
    return grading.Facts(
        hours_total=Decimal(hours.get("total", 0)) if annual else None,
        hours_school_based=Decimal(hours.get("school_based", 0)) if annual else None,
        school_based_exempt=bool(hours.get("school_based_exempt")),
        absent_without_reason=entry.absent_without_reason,
        missed_core_duties=missed_core_duty_labels(entry.facts or {}),
    )


def grade_reasons(entry: AssessmentEntry, template: AssessmentTemplate) -> list[str]:
    """Why ``entry`` has a lower grade than its score reaches (absent without a valid
    reason, a core duty missed, hours short), in the active language; [] when it has not."""
    if entry.grade is None:
        return []
    if entry.score is None:
        reached = Grade.EXCELLENT  # no score: only a rule gives a grade
    else:
        reached = grading.grade_for_score(entry.score, thresholds_of(template))
    if entry.grade >= reached:
        return []
    _grade, reasons = grading.apply_rules(
        reached, facts_of(entry, template), missed_core_duty_cap=template.missed_core_duty_cap
    )
    return reasons
