"""Eligibility of a teacher for a tier: every configured rule, checked and explained in plain
words ("3 of 4 rules met — title 二级 is below 一级").

``check_eligibility`` is pure: it works on facts fetched beforehand (annual grades, the current
tier designation), so that ``evaluate`` (one teacher) and ``services.eligibility.evaluate_many``
(a whole roster in a fixed number of queries) give the same answers.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.wording import clauses, list_separator
from teachers.models import AnnualGrade, Education, Grade, Teacher, Title

from .models import Designation, EligibilityRuleSet, Tier, school_year_start


@dataclass
class Check:
    rule: str  # what was required, in words
    met: bool
    detail: str  # why not, in words ("" when met)


@dataclass
class Eligibility:
    tier: Tier
    checks: list[Check] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.met]

    @property
    def summary(self) -> str:
        total, passed = len(self.checks), sum(c.met for c in self.checks)
        if not total:
            return _("No rules set: eligible")
        head = _("%(passed)d of %(total)d rules met") % {"passed": passed, "total": total}
        if self.met:
            return head
        return f"{head} — " + clauses(c.detail for c in self.failures)


@dataclass(frozen=True)
class Holding:
    """The teacher's current tier designation, as far as eligibility cares."""

    tier_id: int
    first_year: int


def rules_for(*, tier: Tier, school) -> EligibilityRuleSet | None:
    """A school's own rules for a school-designated tier, else the district's."""
    rules = {
        r.school_id: r
        for r in EligibilityRuleSet.objects.filter(tier=tier).filter(
            Q(school__isnull=True) | Q(school=school)
        )
    }
    return pick_rules(tier=tier, school_id=school.pk, rules_by_school=rules)


def pick_rules(
    *, tier: Tier, school_id: int, rules_by_school: dict[int | None, EligibilityRuleSet]
) -> EligibilityRuleSet | None:
    if tier.designated_by_school and school_id in rules_by_school:
        return rules_by_school[school_id]
    return rules_by_school.get(None)


def describe_rules(rules: EligibilityRuleSet | None, *, below: Tier | None) -> list[str]:
    """The rules in plain words ("at least 5 years of teaching", ...), in checking order."""
    if rules is None:
        return []
    return [text for text, _test in _rule_texts(rules, below)]


def _rule_texts(rules: EligibilityRuleSet, below: Tier | None) -> list[tuple[str, str]]:
    """(words, key) for every rule in use: the one wording shared by checks and descriptions."""
    texts = []
    if rules.min_years_teaching is not None:
        texts.append(
            (_("at least %(n)d years of teaching") % {"n": rules.min_years_teaching}, "min_years")
        )
    if rules.max_years_teaching is not None:
        texts.append(
            (_("at most %(n)d years of teaching") % {"n": rules.max_years_teaching}, "max_years")
        )
    if rules.min_education is not None:
        texts.append(
            (
                _("education %(level)s or above") % {"level": Education(rules.min_education).label},
                "education",
            )
        )
    if rules.min_title is not None:
        texts.append(
            (_("title %(level)s or above") % {"level": Title(rules.min_title).label}, "title")
        )
    if rules.min_recent_grade is not None:
        texts.append(
            (
                _("annual grade %(need)s or better in each of the last two school years")
                % {"need": Grade(rules.min_recent_grade).label},
                "recent_grade",
            )
        )
    if rules.no_unqualified_in_term:
        texts.append((_("no unqualified grade during the current term"), "no_unqualified"))
    if rules.requires_tier_below:
        texts.append(
            (
                _("currently holds %(tier)s") % {"tier": below.label if below else "—"},
                "tier_below",
            )
        )
    return texts


def check_eligibility(
    *,
    teacher: Teacher,
    tier: Tier,
    rules: EligibilityRuleSet | None,
    grades: dict[int, int],
    holding: Holding | None,
    below: Tier | None,
    today: datetime.date,
) -> Eligibility:
    """Check ``teacher`` against ``rules`` without touching the database.

    grades: the teacher's annual grades by school year; holding: their current tier
    designation (or None); below: the tier under ``tier`` (only read when a rule asks for it).
    """
    result = Eligibility(tier=tier)
    if rules is None:
        return result
    years = teacher.years_of_teaching
    current_year = school_year_start(today)
    for rule, key in _rule_texts(rules, below):
        if key == "min_years":
            met = years >= rules.min_years_teaching
            detail = _("%(years)d years of teaching, %(n)d required") % {
                "years": years,
                "n": rules.min_years_teaching,
            }
        elif key == "max_years":
            met = years <= rules.max_years_teaching
            detail = _("%(years)d years of teaching, at most %(n)d allowed") % {
                "years": years,
                "n": rules.max_years_teaching,
            }
        elif key == "education":
            met = teacher.education >= rules.min_education
            detail = _("education %(have)s is below %(need)s") % {
                "have": Education(teacher.education).label,
                "need": Education(rules.min_education).label,
            }
        elif key == "title":
            met = teacher.title >= rules.min_title
            detail = _("title %(have)s is below %(need)s") % {
                "have": Title(teacher.title).label,
                "need": Title(rules.min_title).label,
            }
        elif key == "recent_grade":
            met, detail = _check_recent_grades(grades, Grade(rules.min_recent_grade), current_year)
        elif key == "no_unqualified":
            # The current term: the teacher's current tier term; without one, the last three years.
            term_start = holding.first_year if holding is not None else current_year - 2
            bad = sorted(y for y, g in grades.items() if y >= term_start and g == Grade.UNQUALIFIED)
            met = not bad
            detail = _("unqualified in %(years)s") % {
                "years": list_separator().join(f"{y}–{y + 1}" for y in bad)
            }
        else:  # tier_below
            met = below is not None and holding is not None and holding.tier_id == below.pk
            detail = _("does not currently hold %(tier)s") % {"tier": below.label if below else "—"}
        result.checks.append(Check(rule, met, detail))
    return result


def _check_recent_grades(grades: dict[int, int], need: Grade, current_year: int):
    # "the last two school years": the two completed years before the current one.
    missing, low = [], []
    for year in (current_year - 2, current_year - 1):
        grade = grades.get(year)
        label = f"{year}–{year + 1}"
        if grade is None:
            missing.append(label)
        elif grade < need:
            low.append(f"{label} {Grade(grade).label}")
    parts = []
    if low:
        parts.append(
            _("annual grade below %(need)s: %(years)s")
            % {"need": need.label, "years": list_separator().join(low)}
        )
    if missing:
        parts.append(_("no annual grade for %(years)s") % {"years": list_separator().join(missing)})
    return not low and not missing, clauses(parts)


def current_holding(teacher: Teacher, today: datetime.date) -> Holding | None:
    row = (
        Designation.objects.current(today)
        .tiers()
        .filter(teacher=teacher)
        .values_list("tier_id", "first_year")
        .first()
    )
    return Holding(*row) if row else None


def evaluate(
    *, teacher: Teacher, tier: Tier, rules: EligibilityRuleSet | None = None, today=None
) -> Eligibility:
    today = today or timezone.localdate()
    if rules is None:
        rules = rules_for(tier=tier, school=teacher.school)
    if rules is None:
        return Eligibility(tier=tier)
    needs_grades = rules.min_recent_grade is not None or rules.no_unqualified_in_term
    grades = (
        dict(AnnualGrade.objects.filter(teacher=teacher).values_list("year", "grade"))
        if needs_grades
        else {}
    )
    needs_holding = rules.no_unqualified_in_term or rules.requires_tier_below
    return check_eligibility(
        teacher=teacher,
        tier=tier,
        rules=rules,
        grades=grades,
        holding=current_holding(teacher, today) if needs_holding else None,
        below=tier.below() if rules.requires_tier_below else None,
        today=today,
    )
