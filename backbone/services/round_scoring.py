"""The committee's scores in a selection round: a member's sheet (saved as a draft, then
submitted), and the ranking stored on the candidates. The sheets are the scoring engine's."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from scoring.models import Sheet
from scoring.services.marks import keyed, marks_save, sheet_submit

from ..models import Candidate, SelectionRound
from ..selectors import rounds as selectors
from .round_common import Status, _lock


@transaction.atomic
def score_sheet_save(
    *,
    round: SelectionRound,
    member: User,
    values: Mapping[tuple[int, int], Decimal | int | str | None],
) -> Sheet:
    """Save a draft: values by (candidate id, criterion id); None clears a cell."""
    round = _lock(round)
    candidates = {c.entrant_id: c for c in round.candidates.select_related("teacher")}
    return marks_save(
        panel=round.panel,
        member=member,
        values=keyed(values, rows={c.pk: e for e, c in candidates.items()}),
        name=lambda entrant: candidates[entrant.pk].teacher.name,
        unknown=_("A score refers to a candidate or criterion not in this round."),
        scoring_open=round.status == Status.SCORING,
    )


@transaction.atomic
def score_sheet_submit(*, round: SelectionRound, member: User) -> Sheet:
    """Submit a complete sheet; it is final, and the round is ranked again."""
    round = _lock(round)
    sheet = sheet_submit(
        panel=round.panel,
        member=member,
        incomplete=lambda n: (
            ngettext(
                "Score every candidate on every criterion before submitting: %(n)d score is "
                "missing.",
                "Score every candidate on every criterion before submitting: %(n)d scores are "
                "missing.",
                n,
            )
            % {"n": n}
        ),
        scoring_open=round.status == Status.SCORING,
    )
    _rank(round)
    return sheet


def _rank(round: SelectionRound) -> list[Candidate]:
    table = selectors.score_table(round=round)
    candidates = list(round.candidates.select_related("teacher"))
    active = [c for c in candidates if not c.withdrawn]
    ranked = selectors.rank([(c, table.weighted.get(c.pk)) for c in active])
    for candidate, position in ranked:
        candidate.score = table.weighted.get(candidate.pk)
        candidate.rank = position
    for candidate in candidates:
        if candidate.withdrawn:
            candidate.score = candidate.rank = None
    Candidate.objects.bulk_update(candidates, ["score", "rank"])
    return [c for c, _position in ranked]


@transaction.atomic
def round_rank(*, round: SelectionRound) -> list[Candidate]:
    """Weighted scores from the submitted sheets and the ranking, stored on the candidates.
    Ranks are frozen once the list is announced."""
    round = _lock(round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Candidates are ranked only while the committee is scoring."))
    return _rank(round)
