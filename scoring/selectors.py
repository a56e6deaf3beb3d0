"""Reads of a panel: who scores whom, and the aggregate of the submitted sheets (average per
item, weighted total, competition rank) in a constant number of queries.

What a given user may see of these is decided by ``scoring.visibility``, never here."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.models import User

from .models import Entrant, Item, Mark, Panel, PanelMember, Sheet

TWO_PLACES = Decimal("0.01")


def membership_of(*, panel: Panel, user: User) -> PanelMember | None:
    if user is None or not user.is_authenticated:
        return None
    cache = getattr(panel, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return next((m for m in panel.memberships.all() if m.user_id == user.pk), None)
    return PanelMember.objects.filter(panel=panel, user=user).first()


def owing_a_sheet(owners: QuerySet, *, user: User, panel: str = "panel") -> QuerySet:
    """Of ``owners`` (rounds holding a panel, or panels themselves with ``panel="pk"``), those
    where ``user`` is an active member (not recused, still on the panel) who has not submitted
    a sheet yet."""
    active = PanelMember.objects.filter(
        panel=OuterRef(panel), user=user, recused=False, left_at__isnull=True
    )
    submitted = Sheet.objects.filter(panel=OuterRef(panel), member=user, submitted_at__isnull=False)
    return owners.filter(Exists(active)).exclude(Exists(submitted))


def is_active_member(*, panel: Panel, user: User) -> bool:
    membership = membership_of(panel=panel, user=user)
    return membership is not None and membership.is_active


def scored_by(*, panel: Panel, member: User) -> QuerySet[Entrant]:
    """The entrants ``member`` scores: everyone in the scoring but themselves (回避) and those
    they are recused from."""
    recused = PanelMember.recused_from.through.objects.filter(
        panelmember__panel=panel, panelmember__user=member
    ).values("entrant_id")
    return (
        panel.entrants.filter(active=True)
        .exclude(Q(user=member) | Q(pk__in=recused))
        .order_by("pk")
    )


def is_entrant(*, panel: Panel, user: User) -> bool:
    """The member is themselves scored on this panel (so not by themselves)."""
    return panel.entrants.filter(active=True, user=user).exists()


def own_sheet(*, panel: Panel, member: User) -> tuple[Sheet | None, dict]:
    """A member's sheet and its marks as {(entrant id, item id): value}."""
    sheet = Sheet.objects.filter(panel=panel, member=member).first()
    if sheet is None:
        return None, {}
    values = {
        (entrant_id, item_id): value
        for entrant_id, item_id, value in sheet.marks.values_list("entrant_id", "item_id", "value")
    }
    return sheet, values


def sheets_by_member(*, panel: Panel) -> dict[int, Sheet]:
    return {s.member_id: s for s in Sheet.objects.filter(panel=panel)}


# -- the aggregate -------------------------------------------------------------------------------
def weighted_total(
    *, items: Iterable[Item], values_by_item: Mapping[int, list[Decimal]]
) -> Decimal | None:
    """For each item the average over sheets of value / max_score × weight, summed and rounded
    to two places. None when nobody scored the entrant."""
    items = list(items)
    if not any(values_by_item.get(i.pk) for i in items):
        return None
    total = Decimal(0)
    for item in items:
        values = values_by_item.get(item.pk) or []
        if values and item.max_score:
            average = sum(values, Decimal(0)) / len(values)
            total += average / item.max_score * item.weight
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def competition_ranks(totals: Mapping[int, Decimal | None]) -> dict[int, int]:
    """Standard competition ranking, highest first: equal totals share a rank and the next
    rank skips (1, 2, 2, 4). Entrants without a total get no rank."""
    ordered = sorted((t for t in totals.values() if t is not None), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, total in enumerate(ordered, start=1):
        first_position.setdefault(total, position)
    return {k: first_position[t] for k, t in totals.items() if t is not None}


@dataclass
class Aggregate:
    """The submitted sheets of a panel that count, and what follows from them."""

    items: list[Item]
    # the submitted sheets that count (members not recused from the whole panel)
    sheets: list[Sheet] = field(default_factory=list)
    # sheet id -> entrant id -> item id -> value
    marks: dict[int, dict[int, dict[int, Decimal]]] = field(default_factory=dict)
    # entrant id -> item id -> average over the sheets
    averages: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    # entrant id -> weighted total (0..100)
    totals: dict[int, Decimal] = field(default_factory=dict)
    # entrant id -> competition rank, among the entrants in the scoring
    ranks: dict[int, int] = field(default_factory=dict)
    # entrant id -> how many sheets scored them
    sheet_counts: dict[int, int] = field(default_factory=dict)

    def values_by_sheet(self, entrant_id: int) -> list[dict[int, Decimal]]:
        """One {item id: value} per sheet that scored the entrant."""
        return [m[entrant_id] for m in self.marks.values() if entrant_id in m]


def aggregate(*, panel: Panel) -> Aggregate:
    """Six queries, whatever the number of entrants, members and sheets."""
    items = list(panel.items.all())
    memberships = list(PanelMember.objects.filter(panel=panel).prefetch_related("recused_from"))
    recused = {m.user_id for m in memberships if m.recused}
    recused_from = {(m.user_id, e.pk) for m in memberships for e in m.recused_from.all()}
    entrants = {pk: (user_id, active) for pk, user_id, active in panel.entrants.values_list(
        "pk", "user_id", "active"
    )}  # fmt: skip
    sheets = [
        s
        for s in Sheet.objects.filter(panel=panel, submitted_at__isnull=False)
        .select_related("member")
        .order_by("pk")
        if s.member_id not in recused
    ]
    member_of = {s.pk: s.member_id for s in sheets}
    result = Aggregate(items=items, sheets=sheets)
    collected: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = Mark.objects.filter(sheet__in=[s.pk for s in sheets]).values_list(
        "sheet_id", "entrant_id", "item_id", "value"
    )
    for sheet_id, entrant_id, item_id, value in rows:
        member = member_of[sheet_id]
        if entrants[entrant_id][0] == member or (member, entrant_id) in recused_from:
            continue  # 回避: nobody's marks count for themselves or whom they are recused from
        value = Decimal(str(value))
        collected[entrant_id][item_id].append(value)
        result.marks.setdefault(sheet_id, {}).setdefault(entrant_id, {})[item_id] = value
    for entrant_id, by_item in collected.items():
        result.averages[entrant_id] = {
            item_id: sum(values, Decimal(0)) / len(values) for item_id, values in by_item.items()
        }
        total = weighted_total(items=items, values_by_item=by_item)
        if total is not None:
            result.totals[entrant_id] = total
        result.sheet_counts[entrant_id] = sum(1 for m in result.marks.values() if entrant_id in m)
    result.ranks = competition_ranks(
        {pk: result.totals.get(pk) for pk, (_user, active) in entrants.items() if active}
    )
    return result
