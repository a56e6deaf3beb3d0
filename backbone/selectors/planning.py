"""Every read the planning pages need — eligibility rules and overview, annual grades, targets
against actual numbers, the school dashboard — already scoped to the user."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core.models import District, School, school_year_label, school_year_start
from core.selectors import current_school_year  # noqa: F401  (used as selectors.current_school_year)
from teachers.models import AnnualGrade, Teacher

from ..eligibility import Eligibility, describe_rules, pick_rules
from ..models import (
    Designation,
    EligibilityRuleSet,
    ReserveEntry,
    SelectionRound,
    Target,
    Tier,
    term_end_date,
)
from ..services.eligibility import evaluate_many

PAST_YEARS = 4  # how many school years before the current one the target page shows
MAX_FUTURE_YEARS = 10
ENDING_TERMS_SHOWN = 20


# -- scope helpers -------------------------------------------------------------------------------
def require_planning_reader(user) -> None:
    """The planning pages are for school staff and the district office; others get a 404."""
    scope = user.scope
    if not (scope.is_superuser or scope.is_school_staff or scope.is_district_office):
        raise Http404


def visible_district_ids(user) -> QuerySet:
    """The districts of every school the user may see (a subquery, not evaluated)."""
    if user.scope.is_superuser:
        return District.objects.values("pk")
    return user.scope.schools().values("district_id")


def tiers_for(*, user, honorary: bool = False) -> QuerySet[Tier]:
    kind = Tier.Kind.HONORARY if honorary else Tier.Kind.TIER
    return (
        Tier.objects.filter(district_id__in=visible_district_ids(user), kind=kind)
        .select_related("district")
        .order_by("district__code", "level")
    )


def get_school_for_user(*, user, pk, write: bool = False) -> School:
    """A school from a request parameter: 404 outside the scope, 403 for read-only roles."""
    try:
        school = user.scope.schools().get(pk=int(pk))
    except (School.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    if write and not user.scope.can_manage_school(school.pk):
        raise PermissionDenied
    return school


def default_school(*, user, pk=None, write: bool = False) -> School:
    """The school a page is about: the one asked for, else the user's first."""
    if pk:
        return get_school_for_user(user=user, pk=pk, write=write)
    school = user.scope.schools(write=write).order_by("code").first()
    if school is None:
        if user.scope.schools().exists():
            raise PermissionDenied
        raise Http404
    return school


# -- eligibility rules ---------------------------------------------------------------------------
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


# -- eligibility overview ------------------------------------------------------------------------
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


# -- annual grades -------------------------------------------------------------------------------
def grade_year_choices(today: datetime.date | None = None) -> list[int]:
    current = school_year_start(today or timezone.localdate())
    return list(range(current, current - 6, -1))


def default_grade_year(today: datetime.date | None = None) -> int:
    """The year being assessed: the current one from June (end-of-year assessment), else the
    one just finished."""
    today = today or timezone.localdate()
    current = school_year_start(today)
    return current if today.month in (6, 7, 8) else current - 1


def grade_grid(*, school: School, year: int) -> tuple[list[Teacher], dict[int, int]]:
    teachers = list(Teacher.objects.filter(school=school).active().order_by("staff_no"))
    grades = dict(
        AnnualGrade.objects.filter(teacher__school=school, year=year).values_list(
            "teacher_id", "grade"
        )
    )
    return teachers, grades


# -- targets -------------------------------------------------------------------------------------
def get_target_owner(
    *, user, school_pk=None, district_pk=None, write: bool = False
) -> tuple[School | None, District | None]:
    """The school or district whose targets a page shows: the one asked for, else the
    district (district office) or the user's first school. 404 outside the scope, 403 for
    read-only roles attempting writes."""
    scope = user.scope
    if school_pk:
        return get_school_for_user(user=user, pk=school_pk, write=write), None
    if district_pk:
        try:
            district_pk = int(district_pk)
        except (TypeError, ValueError):
            raise Http404 from None
        if not (scope.is_superuser or district_pk in scope.district_ids):
            raise Http404
        district = District.objects.filter(pk=district_pk).first()
        if district is None:
            raise Http404
        return None, district
    if scope.district_ids:
        return None, District.objects.filter(pk__in=scope.district_ids).order_by("code").first()
    return default_school(user=user, write=write), None


def target_owner_choices(*, user) -> list[tuple[str, str]]:
    """("district=<pk>" or "school=<pk>", name) for the owner switcher."""
    scope = user.scope
    choices = []
    if scope.is_superuser:
        districts = District.objects.order_by("code")
    else:
        districts = District.objects.filter(pk__in=scope.district_ids).order_by("code")
    choices += [(f"district={d.pk}", d.name) for d in districts]
    choices += [
        (f"school={s.pk}", s.name) for s in user.scope.schools().order_by("district__code", "code")
    ]
    return choices


def year_counted(year: int, current: int) -> Q:
    """Designations held at the end of school year ``year``: within their term and not closed
    before it ended; for the current and later years, only designations current today."""
    within = Q(first_year__lte=year, last_year__gte=year)
    if year < current:
        return within & (Q(closed_on__isnull=True) | Q(closed_on__gt=term_end_date(year)))
    return within & Q(status=Designation.Status.ACTIVE, last_year__gte=current)


def actual_by_year(
    designations: QuerySet[Designation], years: list[int], current: int
) -> dict[int, dict[int, int]]:
    """tier id → {year: number of teachers holding it}, in one query."""
    rows = (
        designations.tiers()
        .filter(first_year__lte=max(years), last_year__gte=min(years))
        .order_by()
        .values("tier_id")
        .annotate(
            **{
                f"y{y}": Count("teacher", distinct=True, filter=year_counted(y, current))
                for y in years
            }
        )
    )
    return {row["tier_id"]: {y: row[f"y{y}"] for y in years} for row in rows}


@dataclass
class TargetRow:
    tier: Tier
    cells: list[dict]


def target_overview(
    *, school: School | None = None, district: District | None = None, today=None
) -> dict:
    """Per tier, the actual number of backbone teachers at the end of each school year against
    the targets; a district's numbers add up its schools."""
    today = today or timezone.localdate()
    current = school_year_start(today)
    district_id = school.district_id if school is not None else district.pk
    tiers = list(Tier.objects.filter(district_id=district_id, kind=Tier.Kind.TIER))
    if school is not None:
        targets = list(Target.objects.filter(school=school).select_related("tier"))
        designations = Designation.objects.filter(teacher__school=school)
        school_targets = {}
    else:
        targets = list(Target.objects.filter(district=district).select_related("tier"))
        designations = Designation.objects.filter(teacher__school__district=district)
        school_targets = {
            (row["tier_id"], row["by_year"]): row["total"]
            for row in Target.objects.filter(school__district=district)
            .order_by()
            .values("tier_id", "by_year")
            .annotate(total=Sum("count"))
        }
    target_years = [t.by_year for t in targets] + [y for _tier, y in school_targets]
    first = max(min([current - PAST_YEARS, *target_years]), current - 2 * PAST_YEARS)
    last = min(max([current, *target_years]), current + MAX_FUTURE_YEARS)
    years = list(range(first, last + 1))
    actual = actual_by_year(designations, years, current)
    by_tier_year = {(t.tier_id, t.by_year): t.count for t in targets}
    rows = [
        TargetRow(
            tier=tier,
            cells=[
                {
                    "year": y,
                    "label": school_year_label(y),
                    "actual": actual.get(tier.pk, {}).get(y, 0),
                    "target": by_tier_year.get((tier.pk, y)),
                    "schools_target": school_targets.get((tier.pk, y)),
                    "projected": y > current,
                }
                for y in years
            ],
        )
        for tier in tiers
    ]
    plans = defaultdict(lambda: {"counts": {}, "note": ""})
    for target in targets:
        plan = plans[target.by_year]
        plan["counts"][target.tier_id] = target.count
        plan["note"] = plan["note"] or target.note
    return {
        "tiers": tiers,
        "years": years,
        "current": current,
        "rows": rows,
        "plans": [
            {
                "year": y,
                "label": school_year_label(y),
                "note": plans[y]["note"],
                "counts": [plans[y]["counts"].get(t.pk) for t in tiers],
            }
            for y in sorted(plans)
        ],
        "has_school_targets": bool(school_targets),
    }


def target_chart_data(overview: dict, text: dict) -> dict:
    """What static/js/charts.js draws: one small chart per tier."""
    return {
        "labels": [school_year_label(y) for y in overview["years"]],
        "tiers": [
            {
                "label": row.tier.label,
                "actual": [c["actual"] for c in row.cells],
                "target": [c["target"] for c in row.cells],
                "schoolsTarget": [c["schools_target"] for c in row.cells],
            }
            for row in overview["rows"]
        ],
        "text": text,
    }


def plan_for_year(*, school=None, district=None, by_year: int) -> dict:
    owner = {"school": school} if school is not None else {"district": district}
    targets = list(Target.objects.filter(**owner, by_year=by_year))
    return {
        "counts": {t.tier_id: t.count for t in targets},
        "note": next((t.note for t in targets if t.note), ""),
        "exists": bool(targets),
    }


# -- school dashboard ----------------------------------------------------------------------------
def school_dashboard(*, user, today: datetime.date | None = None) -> dict:
    """The numbers on the home page of school staff and the district office: counts by tier,
    terms ending this school year, open selection rounds, the reserve pool and progress against
    the nearest target per tier. A fixed number of queries, whatever the size of the data."""
    today = today or timezone.localdate()
    current = school_year_start(today)
    scope = user.scope
    tiers = sorted(
        Tier.objects.filter(district_id__in=visible_district_ids(user)),
        key=lambda t: (t.kind != Tier.Kind.TIER, t.level),
    )
    code_of = {t.pk: t.code for t in tiers}
    by_code = {}
    for tier in tiers:
        by_code.setdefault(tier.code, tier)

    current_designations = Designation.objects.visible_to(user).current(today)
    counts, ending = defaultdict(int), defaultdict(int)
    for row in (
        current_designations.order_by()
        .values("tier_id")
        .annotate(n=Count("pk"), ending=Count("pk", filter=Q(last_year=current)))
    ):
        counts[code_of[row["tier_id"]]] += row["n"]
        ending[code_of[row["tier_id"]]] += row["ending"]
    reserve = defaultdict(int)
    for row in (
        ReserveEntry.objects.visible_to(user)
        .current()
        .order_by()
        .values("tier_id")
        .annotate(n=Count("pk"))
    ):
        reserve[code_of.get(row["tier_id"])] += row["n"]

    ending_terms = list(
        current_designations.filter(last_year=current)
        .select_related("teacher__school", "tier")
        .order_by("tier__kind", "tier__level", "teacher__name")[:ENDING_TERMS_SHOWN]
    )
    open_rounds = list(
        SelectionRound.objects.visible_to(user)
        .exclude(status__in=[SelectionRound.Status.CONFIRMED, SelectionRound.Status.CANCELLED])
        .select_related("tier", "school")
        .order_by("apply_until", "pk")
    )

    # Targets: the district's own plan for the district office, else the schools' plans.
    targets = Target.objects.filter(by_year__gte=current).order_by("by_year")
    if scope.is_superuser:
        targets = targets.filter(district__isnull=False)
    elif scope.is_district_office:
        targets = targets.filter(district_id__in=scope.district_ids)
    else:
        targets = targets.filter(school_id__in=scope.staff_school_ids)
    nearest = {}  # (owner, tier code) -> (by_year, count) of its nearest target
    for school_id, district_id, tier_id, by_year, count in targets.values_list(
        "school_id", "district_id", "tier_id", "by_year", "count"
    ):
        nearest.setdefault((school_id, district_id, code_of.get(tier_id)), (by_year, count))
    progress = {}
    for (_school, _district, code), (by_year, count) in nearest.items():
        entry = progress.setdefault(code, {"by_year": by_year, "target": 0})
        entry["by_year"] = min(entry["by_year"], by_year)
        entry["target"] += count

    rows = []
    for code, tier in by_code.items():
        target = progress.get(code)
        row = {
            "tier": tier,
            "count": counts[code],
            "ending": ending[code],
            "reserve": reserve[code],
            "target": None,
        }
        if target:
            row["target"] = {
                "count": target["target"],
                "year_label": school_year_label(target["by_year"]),
                "percent": min(100, round(100 * counts[code] / target["target"]))
                if target["target"]
                else 100,
            }
        rows.append(row)
    return {
        "rows": rows,
        "tier_rows": [r for r in rows if not r["tier"].is_honorary],
        "honorary_rows": [r for r in rows if r["tier"].is_honorary and r["count"]],
        "total": sum(counts[t.code] for t in by_code.values() if not t.is_honorary),
        "ending_total": sum(ending.values()),
        "ending_terms": ending_terms,
        "year_label": school_year_label(current),
        "open_rounds": open_rounds,
        "reserve_total": sum(reserve.values()),
        "has_targets": bool(progress),
        "many_schools": scope.is_superuser
        or scope.is_district_office
        or len(scope.staff_school_ids) > 1,
    }
