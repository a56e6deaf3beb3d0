"""The grade rules of an assessment, as pure functions on facts fetched beforehand.

1. The weighted score: for each component, the average of the submitted sheets' scores,
   divided by the component's maximum and multiplied by its weight; summed (0–100).
2. The grade by the template's thresholds (excellent / good / qualified from).
3. Rules, applied in order, each one explained:
   - training hours under 72 or school-based hours under 24 cannot be excellent (capped at
     good; annual assessments only: the hours are counted per school year);
   - a missed core duty caps the grade at the template's cap (when the template sets one);
   - absence from training without a valid reason is unqualified.

Every step is written in words, in the active language, so the committee and the teacher
read how the grade was reached.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.wording import list_separator
from records.hours import required_school_based_for, required_total
from scoring.selectors import weighted_total

from .models import Grade


@dataclass(frozen=True)
class Component:
    id: int
    name: str
    weight: int
    max_score: int

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class Thresholds:
    excellent_from: Decimal
    good_from: Decimal
    qualified_from: Decimal


@dataclass(frozen=True)
class Facts:
    """What the rules look at besides the score. ``hours_total`` None: not checked."""

    hours_total: Decimal | None = None
    hours_school_based: Decimal | None = None
    school_based_exempt: bool = False  # long-cycle training: no school-based hours needed
    absent_without_reason: bool = False
    missed_core_duties: Sequence[str] = ()


@dataclass
class GradeResult:
    score: Decimal | None
    threshold_grade: Grade | None
    grade: Grade | None
    steps: list[str] = field(default_factory=list)
    # the steps of the rules that lowered the grade below the threshold grade
    reasons: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "\n".join(self.steps)


def _num(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def weighted_score(
    *, components: Iterable[Component], sheets: Iterable[Mapping[int, Decimal]]
) -> Decimal | None:
    """Σ avg(component) / max × weight over the submitted sheets (values by component id).
    None when no sheet scores any component. The scoring engine's total."""
    components, sheets = list(components), list(sheets)
    values = {
        c.pk: [Decimal(s[c.id]) for s in sheets if s.get(c.id) is not None] for c in components
    }
    return weighted_total(items=components, values_by_item=values)


def grade_for_score(score: Decimal, thresholds: Thresholds) -> Grade:
    if score >= thresholds.excellent_from:
        return Grade.EXCELLENT
    if score >= thresholds.good_from:
        return Grade.GOOD
    if score >= thresholds.qualified_from:
        return Grade.QUALIFIED
    return Grade.UNQUALIFIED


def hours_rule(grade: Grade, facts: Facts) -> tuple[Grade, str | None]:
    """Under 72 hours, or under 24 school-based (unless exempted), cannot be excellent."""
    if facts.hours_total is None:
        return grade, None
    total = required_total()
    school_based = required_school_based_for(exempt=facts.school_based_exempt)
    short = facts.hours_total < total or (
        facts.hours_school_based is not None and facts.hours_school_based < school_based
    )
    if not short or grade < Grade.EXCELLENT:
        return grade, None
    return Grade.GOOD, _(
        "Training hours %(total)s (school-based %(school_based)s) are under the required "
        "%(required)s (school-based %(required_school_based)s): cannot be excellent, capped at "
        "%(grade)s."
    ) % {
        "total": _num(facts.hours_total),
        "school_based": _num(facts.hours_school_based or 0),
        "required": _num(total),
        "required_school_based": _num(school_based),
        "grade": Grade.GOOD.label,
    }


def core_duty_rule(grade: Grade, facts: Facts, cap: Grade | None) -> tuple[Grade, str | None]:
    """A missed core duty caps the grade at the template's cap."""
    if not facts.missed_core_duties or cap is None or grade <= cap:
        return grade, None
    return Grade(cap), _("Core duty missed (%(duties)s): grade capped at %(grade)s.") % {
        "duties": list_separator().join(facts.missed_core_duties),
        "grade": Grade(cap).label,
    }


def absence_rule(grade: Grade, facts: Facts) -> tuple[Grade, str | None]:
    """Absence from training without a valid reason is unqualified, whatever the score."""
    if not facts.absent_without_reason or grade == Grade.UNQUALIFIED:
        return grade, None
    return Grade.UNQUALIFIED, _("Absent from training without a valid reason: %(grade)s.") % {
        "grade": Grade.UNQUALIFIED.label
    }


def apply_rules(
    grade: Grade, facts: Facts, *, missed_core_duty_cap: int | None
) -> tuple[Grade, list[str]]:
    """The grade after every rule, in order, and the words of each rule that changed it."""
    cap = Grade(missed_core_duty_cap) if missed_core_duty_cap else None
    reasons = []
    for rule in (
        lambda g: hours_rule(g, facts),
        lambda g: core_duty_rule(g, facts, cap),
        lambda g: absence_rule(g, facts),
    ):
        grade, step = rule(grade)
        if step:
            reasons.append(step)
    return grade, reasons


def grade_entry(
    *,
    components: Iterable[Component],
    sheets: Iterable[Mapping[int, Decimal]],
    thresholds: Thresholds,
    facts: Facts,
    missed_core_duty_cap: int | None,
) -> GradeResult:
    """The score, the threshold grade and every rule applied, with its explanation."""
    score = weighted_score(components=components, sheets=sheets)
    if score is None:
        result = GradeResult(score=None, threshold_grade=None, grade=None)
        result.steps.append(_("No submitted committee scores: no weighted score."))
        if facts.absent_without_reason:
            grade, step = absence_rule(Grade.EXCELLENT, facts)
            result.grade = grade
            result.steps.append(step)
            result.reasons.append(step)
        return result
    grade = grade_for_score(score, thresholds)
    result = GradeResult(score=score, threshold_grade=grade, grade=grade)
    result.steps.append(
        _("Weighted score %(score)s: %(grade)s by the thresholds (%(thresholds)s).")
        % {
            "score": _num(score),
            "grade": grade.label,
            "thresholds": _(
                "excellent from %(excellent)s, good from %(good)s, qualified from %(qualified)s"
            )
            % {
                "excellent": _num(thresholds.excellent_from),
                "good": _num(thresholds.good_from),
                "qualified": _num(thresholds.qualified_from),
            },
        }
    )
    grade, reasons = apply_rules(grade, facts, missed_core_duty_cap=missed_core_duty_cap)
    result.steps += reasons
    result.reasons = reasons
    if grade == result.threshold_grade:
        result.steps.append(_("No rule changes the grade: %(grade)s.") % {"grade": grade.label})
    else:
        result.steps.append(_("Final grade: %(grade)s.") % {"grade": grade.label})
    result.grade = grade
    return result
