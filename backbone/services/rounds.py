"""Every write of a selection round: opening it, candidates, committee scores and ranking, the
proposed list, the public announcement (公示) and its objections, confirmation, cancellation.

A round moves OPEN → SCORING → ANNOUNCED → CONFIRMED (or CANCELLED at any point before
confirmation). Every write locks the round row first, so that two clicks or two tabs cannot
move it twice, and refuses once the round is confirmed or cancelled.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import School, User
from core.scoring import score_cells_write
from teachers.models import Teacher

from ..eligibility import evaluate
from ..models import (
    Candidate,
    Criterion,
    Designation,
    Objection,
    ReserveEntry,
    Score,
    ScoreSheet,
    SelectionRound,
    Tier,
    school_year_start,
    term_end_date,
)
from ..selectors import rounds as selectors

Status = SelectionRound.Status

# Default criteria rows of the "open a round" form (weights add up to 100).
DEFAULT_CRITERIA = [
    (gettext_lazy("Professional ethics (师德表现)"), 20),
    (gettext_lazy("Teaching results (教育教学实绩)"), 40),
    (gettext_lazy("Research ability (教科研能力)"), 25),
    (gettext_lazy("Leading by example (示范引领)"), 15),
]
DEFAULT_MAX_SCORE = 100
DEFAULT_ANNOUNCEMENT_DAYS = 5


# -- helpers -------------------------------------------------------------------------------------
def _lock(round: SelectionRound) -> SelectionRound:
    """The round re-read under a row lock; refuses rounds that are closed for good."""
    locked = SelectionRound.objects.select_for_update().get(pk=round.pk)
    _ensure_writable(locked)
    return locked


def _ensure_writable(round: SelectionRound) -> None:
    if round.status == Status.CONFIRMED:
        raise ValidationError(_("This round is confirmed and can no longer be changed."))
    if round.status == Status.CANCELLED:
        raise ValidationError(_("This round was cancelled and can no longer be changed."))


def _require_manager(by: User, round: SelectionRound) -> None:
    if not selectors.can_manage_round(by, round):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _names(candidates: Iterable[Candidate]) -> str:
    return "、".join(c.teacher.name for c in candidates)


def _evaluate(candidate: Candidate, round: SelectionRound) -> None:
    """Store the eligibility check on the candidate. The summary is written in the school's
    language, whoever triggered the check."""
    with translation.override(round.school.language):
        held = _held_at_or_above(candidate.teacher, round.tier)
        if held is not None:
            candidate.is_eligible = False
            candidate.eligibility_summary = _already_holds_message(candidate.teacher, held)[:300]
            return
        result = evaluate(teacher=candidate.teacher, tier=round.tier)
        candidate.is_eligible = result.met
        candidate.eligibility_summary = result.summary[:300]


def _held_at_or_above(teacher: Teacher, tier: Tier) -> Designation | None:
    return (
        Designation.objects.current()
        .tiers()
        .filter(teacher=teacher, tier__level__gte=tier.level)
        .select_related("tier")
        .first()
    )


def _already_holds_message(teacher: Teacher, held: Designation) -> str:
    return _(
        "%(name)s already holds an active designation as %(tier)s, which is at this tier or higher."
    ) % {"name": teacher.name, "tier": held.tier.label}


# -- opening -------------------------------------------------------------------------------------
def criteria_validate(criteria: list[Mapping]) -> None:
    """Criteria rows {name, weight, max_score}: at least one, distinct names, weights adding
    up to 100. Shared by the form so that the rule lives in one place."""
    if not criteria:
        raise ValidationError(_("Add at least one criterion."))
    names = [str(c["name"]).strip() for c in criteria]
    if any(not n for n in names):
        raise ValidationError(_("Every criterion needs a name."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Each criterion name may appear only once."))
    if any(int(c["weight"]) <= 0 for c in criteria):
        raise ValidationError(_("Every weight must be greater than 0."))
    if any(int(c.get("max_score") or DEFAULT_MAX_SCORE) <= 0 for c in criteria):
        raise ValidationError(_("Every maximum score must be greater than 0."))
    total = sum(int(c["weight"]) for c in criteria)
    if total != 100:
        raise ValidationError(
            _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
        )


@transaction.atomic
def round_open(
    *,
    school: School,
    tier: Tier,
    title: str,
    year: int,
    quota: int,
    apply_from: datetime.date,
    apply_until: datetime.date,
    criteria: list[Mapping],
    committee: Iterable[User],
    by: User,
    term_years: int | None = None,
) -> SelectionRound:
    if not selectors.can_manage_school(by, school.pk):
        raise PermissionDenied(_("Only the principal or training office can open a round."))
    errors: dict[str, list[str]] = {}
    if tier.district_id != school.district_id or tier.is_honorary or not tier.designated_by_school:
        errors["tier"] = [_("A school runs selection rounds only for tiers it designates itself.")]
    if quota < 1:
        errors["quota"] = [_("The quota must be at least 1.")]
    if apply_until < apply_from:
        errors["apply_until"] = [_("Applications must close on or after the day they open.")]
    try:
        criteria_validate(criteria)
    except ValidationError as exc:
        errors["criteria"] = exc.messages
    committee = list(committee)
    if not committee:
        errors["committee"] = [_("Choose at least one committee member.")]
    else:
        outsiders = [u for u in committee if not selectors.is_committee_eligible(u, school)]
        if outsiders:
            errors["committee"] = [
                _("%(names)s hold no committee, principal or training office role at %(school)s.")
                % {"names": "、".join(str(u) for u in outsiders), "school": school.name}
            ]
    if errors:
        raise ValidationError(errors)
    round = SelectionRound(
        school=school,
        tier=tier,
        title=title.strip(),
        year=year,
        term_years=term_years or tier.default_term_years,
        quota=quota,
        apply_from=apply_from,
        apply_until=apply_until,
        opened_by=by,
    )
    round.full_clean()
    round.save()
    round.committee.set(committee)
    Criterion.objects.bulk_create(
        Criterion(
            round=round,
            name=str(c["name"]).strip(),
            weight=int(c["weight"]),
            max_score=int(c.get("max_score") or DEFAULT_MAX_SCORE),
            position=i,
        )
        for i, c in enumerate(criteria)
    )
    return round


# -- candidates ----------------------------------------------------------------------------------
def _candidate_add(
    *, round: SelectionRound, teacher: Teacher, source: str, statement: str, by: User
) -> Candidate:
    if teacher.school_id != round.school_id or not teacher.is_active:
        raise ValidationError(
            _("%(name)s is not on the staff of %(school)s.")
            % {"name": teacher.name, "school": round.school.name}
        )
    held = _held_at_or_above(teacher, round.tier)
    if held is not None:
        raise ValidationError(_already_holds_message(teacher, held))
    candidate = Candidate.objects.filter(round=round, teacher=teacher).first()
    if candidate is not None and not candidate.withdrawn:
        raise ValidationError(
            _("%(name)s is already a candidate in this round.") % {"name": teacher.name}
        )
    if candidate is None:
        candidate = Candidate(round=round, teacher=teacher)
    # A withdrawn candidate who comes back starts afresh.
    candidate.source = source
    candidate.statement = statement.strip()
    candidate.added_by = by
    candidate.withdrawn = False
    candidate.proposed = False
    _evaluate(candidate, round)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_apply(
    *, round: SelectionRound, teacher: Teacher, statement: str, by: User
) -> Candidate:
    """A teacher applies with a statement while applications are open."""
    if teacher.user_id != by.pk:
        raise PermissionDenied(_("Teachers apply for themselves."))
    round = _lock(round)
    if not selectors.applications_open(round):
        raise ValidationError(
            _("Applications for this round are not open (%(start)s to %(end)s).")
            % {"start": round.apply_from, "end": round.apply_until}
        )
    if not statement.strip():
        raise ValidationError({"statement": _("Write a short application statement.")})
    return _candidate_add(
        round=round, teacher=teacher, source=Candidate.Source.APPLIED, statement=statement, by=by
    )


@transaction.atomic
def candidate_nominate(
    *, round: SelectionRound, teacher: Teacher, by: User, statement: str = ""
) -> Candidate:
    """The principal nominates a teacher of the school; one in the reserve pool for the tier
    is recorded as coming from the reserve pool."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    in_reserve = ReserveEntry.objects.current().filter(teacher=teacher, tier=round.tier).exists()
    source = Candidate.Source.RESERVE if in_reserve else Candidate.Source.NOMINATED
    return _candidate_add(round=round, teacher=teacher, source=source, statement=statement, by=by)


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, by: User) -> Candidate:
    """The candidate (for themselves) or a manager takes a candidate out of the round."""
    own = candidate.teacher.user_id is not None and candidate.teacher.user_id == by.pk
    if not own:
        _require_manager(by, candidate.round)
    round = _lock(candidate.round)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.withdrawn:
        return candidate
    candidate.withdrawn = True
    candidate.proposed = False
    candidate.save(update_fields=["withdrawn", "proposed"])
    if round.status == Status.SCORING:
        _rank(round)
    return candidate


@transaction.atomic
def round_check_eligibility(*, round: SelectionRound, by: User) -> list[Candidate]:
    """Re-run the eligibility check for every candidate; one who is no longer eligible drops
    out of the proposed list."""
    _require_manager(by, round)
    round = _lock(round)
    candidates = list(round.candidates.filter(withdrawn=False).select_related("teacher__school"))
    for candidate in candidates:
        _evaluate(candidate, round)
        if not candidate.is_eligible:
            candidate.proposed = False
    Candidate.objects.bulk_update(candidates, ["is_eligible", "eligibility_summary", "proposed"])
    return candidates


@transaction.atomic
def round_close_applications(*, round: SelectionRound, by: User) -> SelectionRound:
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Applications for this round are already closed."))
    if not round.candidates.filter(withdrawn=False).exists():
        raise ValidationError(_("There are no candidates to score yet."))
    round.status = Status.SCORING
    round.save(update_fields=["status"])
    return round


# -- scoring -------------------------------------------------------------------------------------
def _sheet_for_writing(round: SelectionRound, member: User) -> ScoreSheet:
    if round.status != Status.SCORING:
        raise ValidationError(_("Scores can be entered only while the committee is scoring."))
    if not selectors.is_committee_member(member, round):
        raise PermissionDenied(_("Only members of this round's committee can score."))
    sheet, _created = ScoreSheet.objects.get_or_create(round=round, member=member)
    if sheet.submitted_at is not None:
        raise ValidationError(_("Your score sheet has been submitted and is final."))
    return sheet


@transaction.atomic
def score_sheet_save(
    *,
    round: SelectionRound,
    member: User,
    values: Mapping[tuple[int, int], Decimal | int | str | None],
) -> ScoreSheet:
    """Save a draft: values by (candidate id, criterion id); None clears a cell."""
    round = _lock(round)
    sheet = _sheet_for_writing(round, member)
    candidates = {
        c.pk: c for c in selectors.scored_by(round=round, member=member).select_related("teacher")
    }
    criteria = {c.pk: c for c in round.criteria.all()}
    score_cells_write(
        values=values,
        rows=candidates,
        columns=criteria,
        existing={(s.candidate_id, s.criterion_id): s for s in sheet.scores.all()},
        model=Score,
        build=lambda candidate, criterion, value: Score(
            sheet=sheet, candidate=candidate, criterion=criterion, value=value
        ),
        invalid=lambda candidate, criterion: (
            _("%(name)s, %(criterion)s: give a score from 0 to %(max)d (one decimal place).")
            % {
                "name": candidate.teacher.name,
                "criterion": criterion.name,
                "max": criterion.max_score,
            }
        ),
        unknown=_("A score refers to a candidate or criterion not in this round."),
    )
    return sheet


@transaction.atomic
def score_sheet_submit(*, round: SelectionRound, member: User) -> ScoreSheet:
    """Submit a complete sheet; it is final, and the round is ranked again."""
    round = _lock(round)
    sheet = _sheet_for_writing(round, member)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    candidate_ids = set(
        selectors.scored_by(round=round, member=member).values_list("pk", flat=True)
    )
    criterion_ids = set(round.criteria.values_list("pk", flat=True))
    filled = set(
        sheet.scores.filter(candidate_id__in=candidate_ids).values_list(
            "candidate_id", "criterion_id"
        )
    )
    missing = len(candidate_ids) * len(criterion_ids) - len(filled)
    if missing:
        raise ValidationError(
            ngettext(
                "Score every candidate on every criterion before submitting: %(n)d score is "
                "missing.",
                "Score every candidate on every criterion before submitting: %(n)d scores are "
                "missing.",
                missing,
            )
            % {"n": missing}
        )
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
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


# -- proposal and announcement ------------------------------------------------------------------
def _check_proposal(round: SelectionRound, chosen: list[Candidate]) -> None:
    if not chosen:
        raise ValidationError(_("Propose at least one candidate."))
    withdrawn = [c for c in chosen if c.withdrawn]
    if withdrawn:
        raise ValidationError(
            _("Withdrawn, so they cannot be proposed: %(names)s.") % {"names": _names(withdrawn)}
        )
    ineligible = [c for c in chosen if not c.is_eligible]
    if ineligible:
        raise ValidationError(
            _("Not eligible, so they cannot be proposed: %(names)s.")
            % {"names": _names(ineligible)}
        )
    if len(chosen) > round.quota:
        raise ValidationError(
            _("%(count)d candidates proposed, but the quota is %(quota)d.")
            % {"count": len(chosen), "quota": round.quota}
        )


@transaction.atomic
def round_propose(
    *, round: SelectionRound, by: User, candidates: Iterable[Candidate] | None = None
) -> list[Candidate]:
    """Mark the proposed list. Without ``candidates``: the top-ranked eligible ones up to the
    quota."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.SCORING:
        raise ValidationError(
            _("The list is proposed after applications close and before the announcement.")
        )
    if not round.score_sheets.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("No committee member has submitted a score sheet yet."))
    if selectors.is_committee_member(by, round) and not selectors.has_submitted(by, round):
        # Proposing shows the ranking: a member sees it only after scoring themselves.
        raise ValidationError(_("Submit your own score sheet before proposing the list."))
    ranked = _rank(round)
    if candidates is None:
        chosen = selectors.default_proposal(ranked=ranked, quota=round.quota)
    else:
        ids = {c.pk for c in candidates}
        chosen = [c for c in round.candidates.select_related("teacher") if c.pk in ids]
        if len(chosen) != len(ids):
            raise ValidationError(_("Some of the chosen candidates are not in this round."))
    _check_proposal(round, chosen)
    ids = [c.pk for c in chosen]
    round.candidates.filter(pk__in=ids).update(proposed=True)
    round.candidates.exclude(pk__in=ids).update(proposed=False)
    return chosen


@transaction.atomic
def round_announce(
    *,
    round: SelectionRound,
    by: User,
    announce_from: datetime.date,
    announce_until: datetime.date,
) -> SelectionRound:
    """Start the public announcement (公示) of the proposed list; scoring ends."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Only a round whose committee is scoring can be announced."))
    errors = {}
    if announce_from < timezone.localdate():
        errors["announce_from"] = [_("The announcement cannot start in the past.")]
    if announce_until < announce_from:
        errors["announce_until"] = [
            _("The announcement must last at least one day: it cannot end before it starts.")
        ]
    if errors:
        raise ValidationError(errors)
    _check_proposal(
        round,
        list(round.candidates.filter(proposed=True).select_related("teacher")),
    )
    round.announce_from, round.announce_until = announce_from, announce_until
    round.status = Status.ANNOUNCED
    round.full_clean()
    round.save(update_fields=["announce_from", "announce_until", "status"])
    return round


# -- objections ----------------------------------------------------------------------------------
@transaction.atomic
def objection_lodge(
    *, round: SelectionRound, author: User, text: str, candidate: Candidate | None = None
) -> Objection:
    """Any staff member of the school (teachers included) objects in writing during the
    announcement, about the list or about one proposed candidate."""
    if not selectors.is_school_staff(author, round.school_id):
        raise PermissionDenied(_("Only staff of the school can lodge an objection."))
    round = _lock(round)
    if round.status != Status.ANNOUNCED:
        raise ValidationError(_("This round is not under public announcement."))
    if not selectors.announcement_running(round):
        raise ValidationError(
            _("Objections can be lodged only during the announcement, %(start)s to %(end)s.")
            % {"start": round.announce_from, "end": round.announce_until}
        )
    if candidate is not None:
        candidate = round.candidates.filter(pk=candidate.pk, proposed=True, withdrawn=False).first()
        if candidate is None:
            raise ValidationError(
                {"candidate": _("An objection can concern only a candidate on the announced list.")}
            )
    if not text.strip():
        raise ValidationError({"text": _("Write down your objection.")})
    objection = Objection(round=round, author=author, candidate=candidate, text=text.strip())
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_handle(*, objection: Objection, by: User, outcome: str, response: str) -> Objection:
    """Record how an objection was handled; an upheld objection against a candidate takes
    them off the proposed list."""
    _require_manager(by, objection.round)
    round = _lock(objection.round)
    if round.status != Status.ANNOUNCED:
        raise ValidationError(_("Objections are handled while the round is announced."))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.outcome != Objection.Outcome.PENDING:
        raise ValidationError(_("This objection has already been handled."))
    errors = {}
    if outcome not in (Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED):
        errors["outcome"] = [_("Choose whether the objection is upheld or dismissed.")]
    if not response.strip():
        errors["response"] = [_("Record how the objection was handled.")]
    if errors:
        raise ValidationError(errors)
    objection.outcome = outcome
    objection.response = response.strip()
    objection.handled_by = by
    objection.handled_at = timezone.now()
    objection.save(update_fields=["outcome", "response", "handled_by", "handled_at"])
    if outcome == Objection.Outcome.UPHELD and objection.candidate_id:
        Candidate.objects.filter(pk=objection.candidate_id).update(proposed=False)
    return objection


# -- confirmation --------------------------------------------------------------------------------
@transaction.atomic
def round_confirm(*, round: SelectionRound, by: User) -> list[Designation]:
    """After the announcement, designate every proposed eligible candidate, in one
    transaction. Confirming again (a second click, a second tab) returns the same
    designations."""
    _require_manager(by, round)
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status == Status.CONFIRMED:
        return list(round.designations.select_related("teacher", "tier").order_by("pk"))
    _ensure_writable(round)
    if round.status != Status.ANNOUNCED:
        raise ValidationError(_("Only a round whose list was publicly announced can be confirmed."))
    today = timezone.localdate()
    if today <= round.announce_until:
        raise ValidationError(
            _("The public announcement runs until %(date)s; confirm the round after that.")
            % {"date": round.announce_until}
        )
    pending = round.objections.filter(outcome=Objection.Outcome.PENDING).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(n)d objection is still pending; handle it before confirming.",
                "%(n)d objections are still pending; handle them before confirming.",
                pending,
            )
            % {"n": pending}
        )
    tier, school = round.tier, round.school
    chosen = list(
        round.candidates.filter(proposed=True, withdrawn=False, is_eligible=True)
        .select_related("teacher")
        .order_by(F("rank").asc(nulls_last=True), "teacher__name", "pk")
    )
    # The database allows one active tier designation per teacher: close the one they hold.
    holding = {
        d.teacher_id: d
        for d in Designation.objects.filter(
            teacher__in=[c.teacher_id for c in chosen],
            status=Designation.Status.ACTIVE,
            is_honorary=False,
        ).select_related("tier")
    }
    current_year = school_year_start(today)
    blocked = [
        c
        for c in chosen
        if (d := holding.get(c.teacher_id))
        and d.last_year >= current_year
        and d.tier.level >= tier.level
    ]
    if blocked:
        raise ValidationError(
            _(
                "Already designated at this tier or higher; withdraw them before confirming: "
                "%(names)s."
            )
            % {"names": _names(blocked)}
        )
    with translation.override(school.language):
        reason = _("Promoted through the selection round “%(title)s”.") % {"title": round.title}
    created = []
    for candidate in chosen:
        old = holding.get(candidate.teacher_id)
        if old is not None:
            if old.last_year < current_year:
                old.status, old.closed_on = Designation.Status.EXPIRED, term_end_date(old.last_year)
            else:
                old.status, old.closed_on = Designation.Status.SUPERSEDED, today
                old.closed_reason, old.closed_by = reason, by
            old.save(update_fields=["status", "closed_on", "closed_reason", "closed_by"])
        designation = Designation(
            teacher=candidate.teacher,
            tier=tier,
            first_year=round.year,
            last_year=round.year + round.term_years - 1,
            designated_by=school.name,
            source=Designation.Source.ROUND,
            round=round,
            status=Designation.Status.ACTIVE,
            designated_on=today,
            created_by=by,
        )
        designation.full_clean()
        designation.save()
        if old is not None and old.status == Designation.Status.SUPERSEDED:
            old.promoted_to = designation
            old.save(update_fields=["promoted_to"])
        created.append(designation)
    # Designated teachers leave the reserve pool for this tier and the ones below it.
    ReserveEntry.objects.current().filter(
        teacher__in=[c.teacher_id for c in chosen], tier__kind=Tier.Kind.TIER,
        tier__level__lte=tier.level,
    ).update(removed_on=today)  # fmt: skip
    round.status = Status.CONFIRMED
    round.confirmed_at, round.confirmed_by = timezone.now(), by
    round.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return created


@transaction.atomic
def round_cancel(*, round: SelectionRound, by: User) -> SelectionRound:
    _require_manager(by, round)
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status == Status.CANCELLED:
        return round
    if round.status == Status.CONFIRMED:
        raise ValidationError(_("This round is confirmed and can no longer be changed."))
    round.status = Status.CANCELLED
    round.save(update_fields=["status"])
    return round
