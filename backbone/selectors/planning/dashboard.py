"""The school dashboard."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from core.kept import kept
from core.models import school_year_label, school_year_start

from ...models import Designation, ReserveEntry, SelectionRound, Target, Tier
from .scope import visible_district_ids

ENDING_TERMS_SHOWN = 20


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

    (counts, ending, reserve, ending_terms), counted_at = _tier_counts(
        user, today=today, current=current, code_of=code_of
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
        "counted_at": counted_at,
        "many_schools": scope.is_superuser
        or scope.is_district_office
        or len(scope.staff_school_ids) > 1,
    }


def _tier_counts(user, *, today, current: int, code_of: dict) -> tuple:
    """((designations, terms ending, reserve entries) per tier code and the first terms ending,
    when they were counted if they are kept). An office that sees a district or several counts
    thousands of designations: it sees the counts of the last few minutes, as its overview and
    its to-do do. A school's staff see theirs counted at every visit."""

    def count():
        return _count_tiers(user, today=today, current=current, code_of=code_of)

    scope = user.scope
    if not (scope.is_superuser or scope.is_district_office):
        return count(), None
    return kept(f"dashboard-counts:{scope.cache_key}:{today}", count)


def _count_tiers(user, *, today, current: int, code_of: dict) -> tuple:
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
    return counts, ending, reserve, ending_terms
