"""Eligibility rules (writes), bulk evaluation of a roster, and the annual-grade record that
eligibility reads until the assessment module fills it."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User
from teachers.models import AnnualGrade, Grade, Teacher

from ..eligibility import Eligibility, Holding, check_eligibility, pick_rules
from ..models import Designation, EligibilityRuleSet, Tier

RULE_FIELDS = (
    "min_years_teaching",
    "max_years_teaching",
    "min_education",
    "min_title",
    "min_recent_grade",
    "no_unqualified_in_term",
    "requires_tier_below",
)


def evaluate_many(
    *, teachers: Iterable[Teacher], tier: Tier, today: datetime.date | None = None
) -> dict[int, Eligibility]:
    """``backbone.eligibility.evaluate`` for every teacher, in a fixed number of queries:
    the rule sets, the tier below, the annual grades and the current tier designations."""
    today = today or timezone.localdate()
    teachers = list(teachers)
    if not teachers:
        return {}
    ids = [t.pk for t in teachers]
    school_ids = {t.school_id for t in teachers}
    rules_by_school = {
        r.school_id: r
        for r in EligibilityRuleSet.objects.filter(tier=tier).filter(
            Q(school__isnull=True) | Q(school_id__in=school_ids)
        )
    }
    in_use = [
        r
        for r in (
            pick_rules(tier=tier, school_id=sid, rules_by_school=rules_by_school)
            for sid in school_ids
        )
        if r is not None
    ]
    grades: dict[int, dict[int, int]] = {}
    if any(r.min_recent_grade is not None or r.no_unqualified_in_term for r in in_use):
        for teacher_id, year, grade in AnnualGrade.objects.filter(teacher_id__in=ids).values_list(
            "teacher_id", "year", "grade"
        ):
            grades.setdefault(teacher_id, {})[year] = grade
    holdings: dict[int, Holding] = {}
    if any(r.no_unqualified_in_term or r.requires_tier_below for r in in_use):
        for teacher_id, tier_id, first_year in (
            Designation.objects.current(today)
            .tiers()
            .filter(teacher_id__in=ids)
            .values_list("teacher_id", "tier_id", "first_year")
        ):
            holdings[teacher_id] = Holding(tier_id, first_year)
    below = None
    if any(r.requires_tier_below for r in in_use):
        # Tier.below() without loading the district first.
        below = (
            Tier.objects.filter(
                district_id=tier.district_id, kind=Tier.Kind.TIER, level__lt=tier.level
            )
            .order_by("-level")
            .first()
        )
    return {
        t.pk: check_eligibility(
            teacher=t,
            tier=tier,
            rules=pick_rules(tier=tier, school_id=t.school_id, rules_by_school=rules_by_school),
            grades=grades.get(t.pk, {}),
            holding=holdings.get(t.pk),
            below=below,
            today=today,
        )
        for t in teachers
    }


@transaction.atomic
def eligibility_rules_save(
    *, tier: Tier, school: School | None, values: dict, by: User
) -> EligibilityRuleSet:
    """Create or update the district's rules for ``tier`` (school=None) or a school's own
    rules for a school-designated tier."""
    if school is not None:
        if not tier.designated_by_school:
            raise ValidationError(
                _("Only school-level tiers can have a school's own rules; %(tier)s cannot.")
                % {"tier": tier.label}
            )
        if school.district_id != tier.district_id:
            raise ValidationError(_("This tier belongs to another district."))
    rules = EligibilityRuleSet.objects.select_for_update().filter(
        tier=tier, school=school
    ).first() or EligibilityRuleSet(tier=tier, school=school)
    for name in RULE_FIELDS:
        if name in values:
            setattr(rules, name, values[name])
    if (
        rules.min_years_teaching is not None
        and rules.max_years_teaching is not None
        and rules.min_years_teaching > rules.max_years_teaching
    ):
        raise ValidationError(
            {"max_years_teaching": _("The maximum cannot be below the minimum years of teaching.")}
        )
    if rules.requires_tier_below and tier.below() is None:
        raise ValidationError(
            {"requires_tier_below": _("%(tier)s is the lowest tier.") % {"tier": tier.label}}
        )
    rules.updated_by = by
    rules.full_clean()
    rules.save()
    return rules


@transaction.atomic
def eligibility_rules_reset(*, tier: Tier, school: School, by: User) -> bool:
    """Back to the district default: the school's own rules are deleted. Harmless to repeat;
    returns whether there was anything to delete."""
    deleted, _details = EligibilityRuleSet.objects.filter(tier=tier, school=school).delete()
    return bool(deleted)


@transaction.atomic
def annual_grades_record(
    *, school: School, year: int, grades: dict[int, int | None], by: User
) -> int:
    """Record the annual grades of ``school``'s teachers for one school year.

    grades: teacher id → grade, or None to clear it. Only changed rows are written; returns
    how many changed. Teachers of other schools are refused."""
    ids = set(grades)
    known = set(Teacher.objects.filter(school=school, pk__in=ids).values_list("pk", flat=True))
    if ids - known:
        raise ValidationError(_("Some teachers do not belong to this school."))
    if any(g is not None and g not in Grade.values for g in grades.values()):
        raise ValidationError(_("Choose a grade from the list."))
    existing = dict(
        AnnualGrade.objects.filter(teacher_id__in=ids, year=year).values_list("teacher_id", "grade")
    )
    changed = 0
    for teacher_id, grade in grades.items():
        if grade == existing.get(teacher_id):
            continue
        changed += 1
        if grade is None:
            AnnualGrade.objects.filter(teacher_id=teacher_id, year=year).delete()
            continue
        AnnualGrade.objects.update_or_create(
            teacher_id=teacher_id, year=year, defaults={"grade": grade, "recorded_by": by}
        )
    return changed
