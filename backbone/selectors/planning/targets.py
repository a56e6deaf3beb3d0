"""Targets against actual numbers: the owner of a plan, the yearly overview and its chart."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core.models import District, School, school_year_label, school_year_start

from ...models import Designation, Target, Tier, term_end_date
from .scope import default_school, get_school_for_user

PAST_YEARS = 4  # how many school years before the current one the target page shows
MAX_FUTURE_YEARS = 10


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
