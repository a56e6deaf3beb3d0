"""Eligibility of a teacher for a tier: every configured rule, checked and explained in plain
words ("3 of 4 rules met — title 二级 is below 一级")."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import AnnualGrade, Grade
from teachers.models import Education, Teacher, Title

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
        return f"{head} — " + "; ".join(c.detail for c in self.failures)


def rules_for(*, tier: Tier, school) -> EligibilityRuleSet | None:
    """A school's own rules for a school-designated tier, else the district's."""
    rules = {
        r.school_id: r
        for r in EligibilityRuleSet.objects.filter(tier=tier).filter(
            Q(school__isnull=True) | Q(school=school)
        )
    }
    if tier.designated_by_school and school.pk in rules:
        return rules[school.pk]
    return rules.get(None)


def evaluate(
    *, teacher: Teacher, tier: Tier, rules: EligibilityRuleSet | None = None, today=None
) -> Eligibility:
    today = today or timezone.localdate()
    if rules is None:
        rules = rules_for(tier=tier, school=teacher.school)
    result = Eligibility(tier=tier)
    if rules is None:
        return result
    years = teacher.years_of_teaching
    if rules.min_years_teaching is not None:
        result.checks.append(
            Check(
                _("at least %(n)d years of teaching") % {"n": rules.min_years_teaching},
                years >= rules.min_years_teaching,
                _("%(years)d years of teaching, %(n)d required")
                % {"years": years, "n": rules.min_years_teaching},
            )
        )
    if rules.max_years_teaching is not None:
        result.checks.append(
            Check(
                _("at most %(n)d years of teaching") % {"n": rules.max_years_teaching},
                years <= rules.max_years_teaching,
                _("%(years)d years of teaching, at most %(n)d allowed")
                % {"years": years, "n": rules.max_years_teaching},
            )
        )
    if rules.min_education is not None:
        result.checks.append(
            Check(
                _("education %(level)s or above") % {"level": Education(rules.min_education).label},
                teacher.education >= rules.min_education,
                _("education %(have)s is below %(need)s")
                % {
                    "have": Education(teacher.education).label,
                    "need": Education(rules.min_education).label,
                },
            )
        )
    if rules.min_title is not None:
        result.checks.append(
            Check(
                _("title %(level)s or above") % {"level": Title(rules.min_title).label},
                teacher.title >= rules.min_title,
                _("title %(have)s is below %(need)s")
                % {
                    "have": Title(teacher.title).label,
                    "need": Title(rules.min_title).label,
                },
            )
        )
    current_year = school_year_start(today)
    if rules.min_recent_grade is not None or rules.no_unqualified_in_term:
        grades = dict(AnnualGrade.objects.filter(teacher=teacher).values_list("year", "grade"))
    if rules.min_recent_grade is not None:
        # "the last two school years": the two completed years before the current one.
        need = Grade(rules.min_recent_grade)
        missing, low = [], []
        for year in (current_year - 2, current_year - 1):
            grade = grades.get(year)
            label = f"{year}–{year + 1}"
            if grade is None:
                missing.append(label)
            elif grade < need:
                low.append(f"{label} {Grade(grade).label}")
        detail_parts = []
        if low:
            detail_parts.append(
                _("annual grade below %(need)s: %(years)s")
                % {"need": need.label, "years": ", ".join(low)}
            )
        if missing:
            detail_parts.append(_("no annual grade for %(years)s") % {"years": ", ".join(missing)})
        result.checks.append(
            Check(
                _("annual grade %(need)s or better in each of the last two school years")
                % {"need": need.label},
                not low and not missing,
                "; ".join(detail_parts),
            )
        )
    if rules.no_unqualified_in_term:
        term_start = _current_term_start(teacher, current_year)
        bad = sorted(y for y, g in grades.items() if y >= term_start and g == Grade.UNQUALIFIED)
        result.checks.append(
            Check(
                _("no unqualified grade during the current term"),
                not bad,
                _("unqualified in %(years)s") % {"years": ", ".join(f"{y}–{y + 1}" for y in bad)},
            )
        )
    if rules.requires_tier_below:
        below = tier.below()
        holds = (
            below is not None
            and Designation.objects.current(today).filter(teacher=teacher, tier=below).exists()
        )
        result.checks.append(
            Check(
                _("currently holds %(tier)s") % {"tier": below.label if below else "—"},
                holds,
                _("does not currently hold %(tier)s") % {"tier": below.label if below else "—"},
            )
        )
    return result


def _current_term_start(teacher: Teacher, current_year: int) -> int:
    """The first year of the teacher's current tier term; without one, the last three years."""
    active = (
        Designation.objects.current()
        .tiers()
        .filter(teacher=teacher)
        .values_list("first_year", flat=True)
        .first()
    )
    return active if active is not None else current_year - 2
