"""The end of a selection round: the proposed list, the public announcement (公示) and its
objections, confirmation (the designations) and cancellation."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from scoring.services.panels import panel_reveal

from ..models import (
    Candidate,
    Designation,
    Objection,
    ReserveEntry,
    SelectionRound,
    Tier,
    school_year_start,
    term_end_date,
)
from ..selectors import rounds as selectors
from .designations import designations_made
from .round_common import Status, _ensure_writable, _lock, _names, _require_manager
from .round_scoring import _rank


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
    if not round.panel.sheets.filter(submitted_at__isnull=False).exists():
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
    notice_contact: str = "",
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
    round.notice_contact = notice_contact.strip()
    round.status = Status.ANNOUNCED
    round.full_clean()
    round.save(update_fields=["announce_from", "announce_until", "notice_contact", "status"])
    panel_reveal(panel=round.panel)  # scoring is over: the scores are no longer secret
    return round


# -- objections ----------------------------------------------------------------------------------
@transaction.atomic
def objection_lodge(
    *, round: SelectionRound, author: User, text: str, candidate: Candidate | None = None
) -> Objection:
    """Any staff member of the school (teachers included) objects in writing during the
    announcement, about the list or about one proposed candidate."""
    if not selectors.is_round_staff(author, round):
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
def _tiers_of(round: SelectionRound, chosen: list[Candidate]) -> dict[int, Tier]:
    """Each candidate's tier: the round's, or in a city round their own district's tier of
    the round's code; refused when a teacher's district has none."""
    if not round.is_city:
        return {c.pk: round.tier for c in chosen}
    by_district = {
        t.district_id: t
        for t in Tier.objects.filter(
            district__in={c.teacher.school.district_id for c in chosen},
            code=round.tier.code,
            kind=Tier.Kind.TIER,
        )
    }
    missing = [c for c in chosen if c.teacher.school.district_id not in by_district]
    if missing:
        raise ValidationError(
            _(
                "The district of %(names)s has no tier “%(tier)s”; add it to the district's "
                "tiers before confirming."
            )
            % {"names": _names(missing), "tier": round.tier.label}
        )
    return {c.pk: by_district[c.teacher.school.district_id] for c in chosen}


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
    tier = round.tier
    chosen = list(
        round.candidates.filter(proposed=True, withdrawn=False, is_eligible=True)
        .select_related("teacher__school__district")
        .order_by(F("rank").asc(nulls_last=True), "teacher__name", "pk")
    )
    tiers = _tiers_of(round, chosen)
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
    with translation.override(round.language):
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
            tier=tiers[candidate.pk],
            first_year=round.year,
            last_year=round.year + round.term_years - 1,
            designated_by=round.organiser_label,
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
    designations_made(designations=created)
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
