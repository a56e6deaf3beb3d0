"""Eligibility rules as the rules page shows and edits them, and the eligibility overview."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from core.models import District, School
from teachers.models import Teacher

from ...eligibility import Eligibility, describe_rules, pick_rules
from ...models import EligibilityRuleSet, Tier
from ...services.eligibility import evaluate_many
from .scope import get_school_for_user, tiers_for


@dataclass
class RuleRow:
    tier: Tier
    rules: EligibilityRuleSet | None
    texts: list[str]
    own: bool = False  # the school's own rules rather than the district default
    can_edit: bool = False


@dataclass
class RulesPanel:
    """The rules of one district (district office) or one school (school staff)."""

    district: District
    school: School | None
    rows: list[RuleRow] = field(default_factory=list)
    overrides: list[tuple[School, RuleRow]] = field(default_factory=list)


def rules_overview(*, user) -> list[RulesPanel]:
    scope = user.scope
    tiers = list(tiers_for(user=user))
    by_district = defaultdict(list)
    for tier in tiers:
        by_district[tier.district_id].append(tier)
    rule_sets = EligibilityRuleSet.objects.filter(tier__in=tiers).select_related("school")
    if not (scope.is_superuser or scope.is_district_office):
        rule_sets = rule_sets.filter(
            Q(school__isnull=True) | Q(school_id__in=scope.staff_school_ids)
        )
    rules = {(r.tier_id, r.school_id): r for r in rule_sets}

    def below(tier):
        lower = [t for t in by_district[tier.district_id] if t.level < tier.level]
        return lower[-1] if lower else None

    def row(tier, school_id=None, can_edit=False):
        own = rules.get((tier.pk, school_id)) if school_id else None
        candidates = {None: rules.get((tier.pk, None))}
        if own is not None:
            candidates[school_id] = own
        in_use = pick_rules(tier=tier, school_id=school_id, rules_by_school=candidates)
        return RuleRow(
            tier=tier,
            rules=in_use,
            texts=describe_rules(in_use, below=below(tier)),
            own=own is not None and tier.designated_by_school,
            can_edit=can_edit,
        )

    panels = []
    districts = {t.district_id: t.district for t in tiers}
    for district_id, district in districts.items():
        if not (scope.is_superuser or district_id in scope.district_ids):
            continue
        panel = RulesPanel(district=district, school=None)
        panel.rows = [row(t, can_edit=True) for t in by_district[district_id]]
        panel.overrides = [
            (r.school, row(r.tier, r.school_id))
            for r in rules.values()
            if r.school_id and r.tier.district_id == district_id and r.tier.designated_by_school
        ]
        panel.overrides.sort(key=lambda item: (item[0].code, item[1].tier.level))
        panels.append(panel)
    if not scope.is_superuser:
        for school in scope.schools().filter(pk__in=scope.staff_school_ids).order_by("code"):
            manages = scope.can_manage_school(school.pk)
            panel = RulesPanel(district=school.district, school=school)
            panel.rows = [
                row(t, school.pk, can_edit=manages and t.designated_by_school)
                for t in by_district[school.district_id]
            ]
            panels.append(panel)
    return panels


@dataclass
class RulesTarget:
    """Whose rules an edit page changes: the district's (school=None) or a school's own."""

    tier: Tier
    school: School | None
    current: EligibilityRuleSet | None  # the row being edited, if it exists
    default: EligibilityRuleSet | None  # the district's rules for the tier


def get_rules_for_edit(*, user, tier_pk: int, school_pk=None) -> RulesTarget:
    """404 for a tier outside the user's districts; 403 when the user may only read it."""
    scope = user.scope
    tier = tiers_for(user=user).filter(pk=tier_pk).first()
    if tier is None:
        raise Http404
    if school_pk:
        school = get_school_for_user(user=user, pk=school_pk, write=True)
        if school.district_id != tier.district_id:
            raise Http404
        if not tier.designated_by_school:
            raise PermissionDenied
    elif scope.is_superuser or tier.district_id in scope.district_ids:
        school = None
    elif tier.designated_by_school:
        school = (
            scope.schools(write=True).filter(district_id=tier.district_id).order_by("code").first()
        )
        if school is None:
            raise PermissionDenied
    else:
        raise PermissionDenied
    rows = {
        r.school_id: r
        for r in EligibilityRuleSet.objects.filter(tier=tier).filter(
            Q(school__isnull=True) | Q(school=school)
        )
    }
    return RulesTarget(
        tier=tier,
        school=school,
        current=rows.get(school.pk if school else None),
        default=rows.get(None),
    )


@dataclass
class EligibilityRow:
    teacher: Teacher
    eligibility: Eligibility


def tier_choices(*, user) -> list[tuple[str, str]]:
    """(code, label) of the tiers of the user's districts, lowest first, once per code."""
    seen = {}
    for tier in sorted(tiers_for(user=user), key=lambda t: t.level):
        seen.setdefault(tier.code, tier)
    return [(code, tier.label) for code, tier in seen.items()]


def default_tier_code(*, user) -> str | None:
    tiers = sorted(tiers_for(user=user), key=lambda t: (not t.designated_by_school, t.level))
    return tiers[0].code if tiers else None


def eligibility_overview(
    *, user, tier_code: str, school: School | None = None, today: datetime.date | None = None
) -> list[EligibilityRow]:
    """Every active teacher the user sees, with their eligibility for the tier ``tier_code``
    of their own district. Queries: constant in the number of teachers."""
    teachers = (
        Teacher.objects.filter(user.scope.school_filter())
        .active()
        .select_related("school")
        .order_by("school__code", "staff_no")
    )
    if school is not None:
        teachers = teachers.filter(school=school)
    teachers = list(teachers)
    tiers = {t.district_id: t for t in tiers_for(user=user).filter(code=tier_code)}
    by_district = defaultdict(list)
    for teacher in teachers:
        if teacher.school.district_id in tiers:
            by_district[teacher.school.district_id].append(teacher)
    results = {}
    for district_id, group in by_district.items():
        results.update(evaluate_many(teachers=group, tier=tiers[district_id], today=today))
    return [EligibilityRow(t, results[t.pk]) for t in teachers if t.pk in results]
