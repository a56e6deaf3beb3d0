"""Judging (评委评分) through the one scoring engine: each judge fills one sheet over the
entries on the contest's items; nobody scores their own entry, a judge recused from an entry
(a pupil of theirs, a colleague of their group) does not score it, and a judge recused from
the whole contest scores nothing. What anyone sees of the scores is ``scoring.visibility``'s."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from scoring import selectors as scoring
from scoring import visibility
from scoring.models import Item, Sheet
from scoring.services.marks import keyed, marks_save, sheet_submit
from scoring.services.panels import member_recuse

from .models import Contest, Entry


def items_of(contest: Contest) -> list[Item]:
    return list(contest.panel.items.all())


def is_scoring(contest: Contest) -> bool:
    return contest.stage == Contest.Stage.SCORING and contest.panel.is_secret


def scored_entries(*, contest: Contest, member: User) -> list[Entry]:
    entrants = scoring.scored_by(panel=contest.panel, member=member)
    return list(
        contest.entries.filter(entrant__in=entrants)
        .select_related("teacher__school")
        .order_by("category", "pk")
    )


def own_sheet(*, contest: Contest, member: User) -> tuple[Sheet | None, dict]:
    sheet, values = scoring.own_sheet(panel=contest.panel, member=member)
    rows = dict(contest.entries.values_list("entrant_id", "pk"))
    return sheet, {(rows[e], i): v for (e, i), v in values.items() if e in rows}


def sight(*, user: User, contest: Contest) -> visibility.Sight:
    return visibility.sight(user=user, panel=contest.panel)


@dataclass
class Result:
    entry: Entry
    averages: list  # per item, in the items' order
    total: Decimal | None
    rank: int | None


def results(*, contest: Contest, seen: visibility.Sight) -> list[Result]:
    """The entries with what ``seen`` allows of their scores: ranked when the ranks may be
    seen, else in a neutral order (category, staff number) with no score at all."""
    entries = list(
        contest.entries.select_related("teacher__school").order_by(
            "category", "teacher__staff_no", "pk"
        )
    )
    if not seen.anything:
        return [Result(entry=e, averages=[], total=None, rank=None) for e in entries]
    aggregate = scoring.aggregate(panel=contest.panel)
    rows = []
    for entry in entries:
        averages = aggregate.averages.get(entry.entrant_id, {})
        rows.append(
            Result(
                entry=entry,
                averages=[averages.get(i.pk) for i in aggregate.items] if seen.totals else [],
                total=aggregate.totals.get(entry.entrant_id) if seen.totals else None,
                rank=aggregate.ranks.get(entry.entrant_id),
            )
        )
    ranked = sorted((r for r in rows if r.rank), key=lambda r: r.rank)
    return visibility.rank_order(seen, by_rank=ranked, neutral=[r for r in rows if not r.rank])


# -- writes --------------------------------------------------------------------------------------
@transaction.atomic
def sheet_save(*, round: Contest, member: User, values) -> Sheet:
    """A draft: values by (entry id, item id)."""
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=round.pk)
    entries = {e.entrant_id: e for e in contest.entries.select_related("teacher")}
    return marks_save(
        panel=contest.panel,
        member=member,
        values=keyed(values, rows={e.pk: entrant for entrant, e in entries.items()}),
        name=lambda entrant: entries[entrant.pk].title,
        unknown=_("A score refers to an entry or item not in this competition."),
        scoring_open=is_scoring(contest),
    )


@transaction.atomic
def sheet_send(*, round: Contest, member: User) -> Sheet:
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=round.pk)
    return sheet_submit(
        panel=contest.panel,
        member=member,
        incomplete=lambda n: (
            ngettext(
                "Score every entry on every item before submitting: %(n)d score is missing.",
                "Score every entry on every item before submitting: %(n)d scores are missing.",
                n,
            )
            % {"n": n}
        ),
        scoring_open=is_scoring(contest),
    )


@transaction.atomic
def judge_recuse(*, contest: Contest, judge: User, entry: Entry, reason: str, by: User):
    """回避: the judge steps back from one entry (the judge themselves, or the organiser for
    them), before their sheet is submitted; their marks for it never count."""
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    organiser = Contest.objects.editable_by(by).filter(pk=contest.pk).exists()
    if by.pk != judge.pk and not organiser:
        raise PermissionDenied
    if contest.stage not in (Contest.Stage.OPEN, Contest.Stage.SCORING):
        raise ValidationError(_("The scoring is over: recusals can no longer change."))
    if entry.contest_id != contest.pk:
        raise ValidationError(_("A score refers to an entry or item not in this competition."))
    if Sheet.objects.filter(panel=contest.panel, member=judge, submitted_at__isnull=False).exists():
        raise ValidationError(_("This judge's score sheet is submitted and final."))
    return member_recuse(panel=contest.panel, user=judge, reason=reason, entrants=[entry.entrant])
