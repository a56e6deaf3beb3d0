"""The committee's scores of a selection round, read from its panel (the scoring engine), and
the pages built on them: the round page, the score sheet, the proposal and the public notice.

What a viewer may see of the scores is decided by ``scoring.visibility`` alone."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils import timezone

from core.models import User
from scoring import selectors as scoring
from scoring import visibility
from scoring.models import Item, PanelMember, Sheet

from ..models import Candidate, Objection, SelectionRound
from .rounds import (
    announcement_running,
    applications_open,
    can_manage_round,
    can_see_objections,
    is_round_staff,
    objection_list,
    proposed_candidates,
    round_candidates,
)

ONE_PLACE = Decimal("0.1")


@dataclass
class ScoreTable:
    """Scores of one round from the submitted sheets that count, by candidate id."""

    criteria: list[Item]
    # candidate id -> criterion id -> average raw score over submitted sheets
    averages: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    # candidate id -> weighted score (0..100)
    weighted: dict[int, Decimal] = field(default_factory=dict)
    # sheet id -> candidate id -> criterion id -> value
    sheets: dict[int, dict[int, dict[int, Decimal]]] = field(default_factory=dict)
    submitted_sheets: list[Sheet] = field(default_factory=list)


def weighted_score(
    *, criteria: list[Item], values_by_criterion: dict[int, list[Decimal]]
) -> Decimal | None:
    return scoring.weighted_total(items=criteria, values_by_item=values_by_criterion)


def score_table(*, round: SelectionRound) -> ScoreTable:
    result = scoring.aggregate(panel=round.panel)
    candidate_of = dict(round.candidates.values_list("entrant_id", "pk"))
    table = ScoreTable(criteria=result.items, submitted_sheets=result.sheets)
    for entrant_id, by_item in result.averages.items():
        table.averages[candidate_of[entrant_id]] = {
            item_id: average.quantize(ONE_PLACE) for item_id, average in by_item.items()
        }
    table.weighted = {candidate_of[e]: total for e, total in result.totals.items()}
    table.sheets = {
        sheet_id: {candidate_of[e]: values for e, values in by_entrant.items()}
        for sheet_id, by_entrant in result.marks.items()
    }
    return table


def rank(scored: list[tuple[Candidate, Decimal | None]]) -> list[tuple[Candidate, int | None]]:
    """Competition ranking by weighted score, highest first: equal scores share a rank and are
    listed by name (1, 1, 3). Unscored candidates get no rank and come last."""
    ranks = scoring.competition_ranks({c.pk: s for c, s in scored})
    ordered = sorted(
        scored, key=lambda cs: (cs[1] is None, -(cs[1] or 0), cs[0].teacher.name, cs[0].pk)
    )
    return [(c, ranks.get(c.pk)) for c, _score in ordered]


def default_proposal(*, ranked: list[Candidate], quota: int) -> list[Candidate]:
    """The top-ranked eligible candidates up to the quota."""
    return [c for c in ranked if c.is_eligible and not c.withdrawn and c.rank is not None][:quota]


def proposal_selection(
    *, candidates: list[Candidate], quota: int, data: list[str] | None = None
) -> set[int]:
    """The ticked boxes of the proposal form: what was posted, else the current proposal,
    else the top-ranked eligible candidates up to the quota."""
    if data is not None:
        return {int(v) for v in data if str(v).isdigit()}
    active = [c for c in candidates if not c.withdrawn]
    proposed = {c.pk for c in active if c.proposed}
    if proposed:
        return proposed
    ranked = sorted(active, key=lambda c: (c.rank is None, c.rank or 0, c.teacher.name))
    return {c.pk for c in default_proposal(ranked=ranked, quota=quota)}


def own_sheet(*, round: SelectionRound, member: User) -> tuple[Sheet | None, dict]:
    """A member's sheet and its values as {(candidate id, criterion id): value}."""
    sheet, values = scoring.own_sheet(panel=round.panel, member=member)
    candidate_of = dict(round.candidates.values_list("entrant_id", "pk"))
    return sheet, {(candidate_of[e], item): v for (e, item), v in values.items()}


def candidate_rows(
    *, round: SelectionRound, seen: visibility.Sight, user: User | None = None
) -> list[Candidate]:
    """The candidates in rank order where the ranks may be seen, else by name: while the
    scores are secret, an order made from them would tell them. With ``user``, those the user
    may see (a school sees its own nominees to a district round until the 公示)."""
    order = visibility.rank_order(
        seen, by_rank=[F("rank").asc(nulls_last=True)], neutral=["teacher__name", "pk"]
    )
    qs = round.candidates if user is None else round_candidates(user=user, round=round)
    return list(
        qs.select_related("teacher__group", "teacher__school", "added_by").order_by(
            "withdrawn", *order
        )
    )


def round_detail(*, round: SelectionRound, user: User) -> dict:
    """Everything the round page shows, in a constant number of queries."""
    memberships = list(
        round.panel.memberships.select_related("user").order_by(
            "user__display_name", "user__username"
        )
    )
    mine = next((m for m in memberships if m.user_id == user.pk), None)
    sheets = scoring.sheets_by_member(panel=round.panel)
    own = sheets.get(user.pk)
    seen = visibility.sight(user=user, panel=round.panel, membership=mine, sheet=own)
    show_scores = seen.totals
    manage = can_manage_round(user, round)
    candidates = candidate_rows(round=round, seen=seen, user=user)
    table = score_table(round=round) if show_scores else None
    if table is not None:
        for c in candidates:
            c.criterion_averages = [
                table.averages.get(c.pk, {}).get(cr.pk) for cr in table.criteria
            ]
        sheet_rows = _sheet_rows(table, candidates)
    else:
        sheet_rows = []
    show_objections = can_see_objections(user, round)
    return {
        "round": round,
        "criteria": list(round.criteria.all()),
        "committee": [(m.user, sheets.get(m.user_id)) for m in memberships],
        "candidates": candidates,
        "active_count": sum(1 for c in candidates if not c.withdrawn),
        "proposed_count": sum(1 for c in candidates if c.proposed and not c.withdrawn),
        "submitted_count": (
            sum(1 for s in sheets.values() if s.submitted_at) if seen.progress else None
        ),
        "is_member": mine is not None and mine.is_active,
        "own_sheet": own,
        "can_manage": manage and not round.is_read_only,
        "sight": seen,
        "show_scores": show_scores,
        "score_table": table,
        "sheet_rows": sheet_rows,
        "objections": objection_list(round=round) if show_objections else [],
        "show_objections": show_objections,
        "pending_objections": (
            round.objections.filter(outcome=Objection.Outcome.PENDING).count() if manage else 0
        ),
        "designations": list(round.designations.select_related("teacher", "tier"))
        if round.status == SelectionRound.Status.CONFIRMED
        else [],
        "today": timezone.localdate(),
        "steps": [
            (s, s.label)
            for s in (
                SelectionRound.Status.OPEN,
                SelectionRound.Status.SCORING,
                SelectionRound.Status.ANNOUNCED,
                SelectionRound.Status.CONFIRMED,
            )
        ],
        "applications_open": applications_open(round),
        "announcement_running": announcement_running(round),
        "announcement_over": (
            round.announce_until is not None and timezone.localdate() > round.announce_until
        ),
    }


def notice_detail(*, round: SelectionRound, user: User) -> dict:
    """The public notice: the proposed list with ranks, never the committee's scores."""
    running = announcement_running(round)
    return {
        "round": round,
        "proposed": proposed_candidates(round=round),
        "running": running,
        "can_object": running and is_round_staff(user, round),
        "can_manage": can_manage_round(user, round) and not round.is_read_only,
        "my_objections": objection_list(round=round, user=user),
        "objections": objection_list(round=round) if can_see_objections(user, round) else None,
        "today": timezone.localdate(),
    }


def _sheet_rows(table: ScoreTable, candidates: list[Candidate]):
    """Each submitted sheet as rows: (member, candidate, [values per criterion])."""
    by_id = {c.pk: c for c in candidates}
    rows = []
    for sheet in table.submitted_sheets:
        for candidate_id, values in table.sheets.get(sheet.pk, {}).items():
            candidate = by_id.get(candidate_id)
            if candidate is None or candidate.withdrawn:
                continue
            rows.append((sheet.member, candidate, [values.get(cr.pk) for cr in table.criteria]))
    rows.sort(key=lambda r: (str(r[0]), r[1].teacher.name))
    return rows


def scored_by(*, round: SelectionRound, member: User) -> QuerySet[Candidate]:
    """Candidates ``member`` scores: everyone still in the round but the member's own
    candidacy, which they leave to the other members (回避)."""
    entrants = scoring.scored_by(panel=round.panel, member=member)
    return round.candidates.filter(withdrawn=False, entrant__in=entrants)


@dataclass
class Recusal:
    member: User
    whole: bool  # from the whole round
    candidates: list[str]  # names, when from some candidates only
    reason: str


def recusals(*, round: SelectionRound, user: User | None = None) -> list[Recusal]:
    """Who stepped back from what (回避), members in name order; three queries. With
    ``user``, only the candidates the user may see are named (``round_candidates``)."""
    shown = round.candidates if user is None else round_candidates(user=user, round=round)
    names = dict(shown.values_list("entrant_id", "teacher__name"))
    rows = []
    memberships = (
        round.panel.memberships.select_related("user")
        .prefetch_related("recused_from")
        .order_by("user__display_name", "user__username")
    )
    for m in memberships:
        from_some = sorted(names[e.pk] for e in m.recused_from.all() if e.pk in names)
        if m.recused or from_some:
            rows.append(
                Recusal(m.user, m.recused, [] if m.recused else from_some, m.recused_reason)
            )
    return rows


def recused_from_names(*, round: SelectionRound, member: User) -> list[str]:
    """The candidates ``member`` stepped back from (not their own candidacy)."""
    return sorted(
        round.candidates.filter(
            entrant__in=PanelMember.recused_from.through.objects.filter(
                panelmember__panel=round.panel, panelmember__user=member
            ).values("entrant_id")
        ).values_list("teacher__name", flat=True)
    )


def recused(*, round: SelectionRound, member: User) -> bool:
    """The member is themselves a candidate in the round they score."""
    return scoring.is_entrant(panel=round.panel, user=member)


def scoring_candidates(*, round: SelectionRound, member: User) -> list[Candidate]:
    return list(
        scored_by(round=round, member=member)
        .select_related("teacher__group")
        .order_by("teacher__name", "pk")
    )
