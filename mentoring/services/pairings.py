"""A pairing from proposal to completion or renewal: request, offer, assign, approve, decline,
end early, complete, renew, appraise."""

import datetime
from typing import Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from records.models import OpenClass
from teachers.models import Teacher

from .. import selectors
from ..models import Pairing
from .terms import (
    DEFAULT_APPRENTICE_OBSERVATIONS,
    DEFAULT_MENTOR_OBSERVATIONS,
    PairingTerms,
    default_terms,
    school_year_end,
)

PairingStatus = Pairing.Status


# -- proposals -----------------------------------------------------------------------------------
def _check_people(mentor: Teacher, apprentice: Teacher) -> None:
    if mentor.pk == apprentice.pk:
        raise ValidationError(_("A mentor cannot be their own apprentice."))
    if mentor.school_id != apprentice.school_id:
        raise ValidationError(
            _("The mentor and the apprentice must be teachers of the same school.")
        )
    for teacher in (mentor, apprentice):
        if not teacher.is_active:
            raise ValidationError(_("%(name)s is no longer on the staff.") % {"name": teacher.name})
    open_pairing = Pairing.objects.filter(
        mentor=mentor,
        apprentice=apprentice,
        status__in=[PairingStatus.PROPOSED, PairingStatus.ACTIVE],
    )
    if open_pairing.exists():
        raise ValidationError(
            _("%(mentor)s and %(apprentice)s already have a proposed or active pairing.")
            % {"mentor": mentor.name, "apprentice": apprentice.name}
        )


def _pairing_create(
    *,
    mentor: Teacher,
    apprentice: Teacher,
    origin: str,
    by: User,
    terms: PairingTerms,
    renewed_from: Pairing | None = None,
) -> Pairing:
    _check_people(mentor, apprentice)
    given = {k: v for k, v in terms.items() if v not in (None, "")}
    values = default_terms(
        mentor_per_week=given.get("mentor_observations_per_week", DEFAULT_MENTOR_OBSERVATIONS),
        apprentice_per_week=given.get(
            "apprentice_observations_per_week", DEFAULT_APPRENTICE_OBSERVATIONS
        ),
    )
    values.update(given)
    if values["end_date"] <= values["start_date"]:
        raise ValidationError({"end_date": _("The pairing must end after it starts.")})
    pairing = Pairing(
        school_id=mentor.school_id,
        mentor=mentor,
        apprentice=apprentice,
        origin=origin,
        status=PairingStatus.PROPOSED,
        requested_by=by,
        renewed_from=renewed_from,
        **values,
    )
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def pairing_request(
    *, apprentice: Teacher, mentor: Teacher, by: User, **terms: Unpack[PairingTerms]
) -> Pairing:
    """An apprentice (a teacher with a login) asks a colleague to be their mentor."""
    if apprentice.user_id is None or apprentice.user_id != by.pk:
        raise PermissionDenied(_("Only the apprentice can ask for a mentor."))
    return _pairing_create(
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.APPRENTICE_REQUEST,
        by=by,
        terms=terms,
    )


@transaction.atomic
def pairing_offer(
    *, mentor: Teacher, apprentice: Teacher, by: User, **terms: Unpack[PairingTerms]
) -> Pairing:
    """A mentor offers to guide a colleague."""
    if mentor.user_id is None or mentor.user_id != by.pk:
        raise PermissionDenied(_("Only the mentor can offer to guide a colleague."))
    return _pairing_create(
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.MENTOR_OFFER,
        by=by,
        terms=terms,
    )


@transaction.atomic
def pairing_assign(
    *, mentor: Teacher, apprentice: Teacher, by: User, **terms: Unpack[PairingTerms]
) -> Pairing:
    """The principal or training office pairs two teachers of the school."""
    if not by.scope.can_manage_school(mentor.school_id):
        raise PermissionDenied(_("Only the principal or training office can assign a mentor."))
    return _pairing_create(
        mentor=mentor, apprentice=apprentice, origin=Pairing.Origin.SCHOOL, by=by, terms=terms
    )


# -- approval and the end ------------------------------------------------------------------------
def _require_manager(by: User, pairing: Pairing) -> None:
    if not by.scope.can_manage_school(pairing.school_id):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _lock(pairing: Pairing) -> Pairing:
    return (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("mentor", "apprentice")
        .get(pk=pairing.pk)
    )


def _save(pairing: Pairing) -> None:
    # requested_by becomes empty when that user is deleted; that must not block a transition.
    pairing.full_clean(exclude=["requested_by"])
    pairing.save()


def _refresh(pairing: Pairing, locked: Pairing) -> Pairing:
    """Copy the locked row's state onto the caller's instance, so the view sees it too."""
    for field in Pairing._meta.concrete_fields:
        setattr(pairing, field.attname, getattr(locked, field.attname))
    # Related objects cached on the caller's instance may be stale (approved_by, ...).
    pairing._state.fields_cache = dict(locked._state.fields_cache)
    return pairing


def overload_message(*, mentor: Teacher, load: selectors.MentorLoad) -> str:
    return ngettext(
        "%(name)s already guides %(current)d apprentice; the school's maximum is %(maximum)d.",
        "%(name)s already guides %(current)d apprentices; the school's maximum is %(maximum)d.",
        load.current,
    ) % {"name": mentor.name, "current": load.current, "maximum": load.maximum}


@transaction.atomic
def pairing_approve(
    *,
    pairing: Pairing,
    by: User,
    approve_anyway: bool = False,
    today: datetime.date | None = None,
) -> Pairing:
    """Approve a proposal: the pairing becomes active and is signed today. When the mentor
    already guides the maximum number of apprentices, only with ``approve_anyway``."""
    _require_manager(by, pairing)
    today = today or timezone.localdate()
    # Lock the mentor first: two approvals for the same mentor must see each other's result.
    Teacher.objects.select_for_update().filter(pk=pairing.mentor_id).first()
    locked = _lock(pairing)
    if locked.status == PairingStatus.ACTIVE:
        return _refresh(pairing, locked)  # a second click
    if locked.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can be approved."))
    load = selectors.mentor_load(mentor=locked.mentor, today=today)
    if load.at_maximum and not approve_anyway:
        raise ValidationError(
            overload_message(mentor=locked.mentor, load=load)
            + " "
            + _("Tick “approve anyway” to approve all the same."),
            code="mentor_overloaded",
        )
    locked.status = PairingStatus.ACTIVE
    locked.signed_on = today
    locked.approved_by = by
    locked.approved_at = timezone.now()
    _save(locked)
    return _refresh(pairing, locked)


@transaction.atomic
def pairing_decline(*, pairing: Pairing, by: User, reason: str = "") -> Pairing:
    _require_manager(by, pairing)
    locked = _lock(pairing)
    if locked.status == PairingStatus.DECLINED:
        return _refresh(pairing, locked)
    if locked.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can be declined."))
    locked.status = PairingStatus.DECLINED
    locked.end_reason = reason.strip()
    _save(locked)
    return _refresh(pairing, locked)


@transaction.atomic
def pairing_end_early(
    *, pairing: Pairing, by: User, reason: str, today: datetime.date | None = None
) -> Pairing:
    """End an active pairing before its end date (a transfer, leave, a mismatch ...)."""
    _require_manager(by, pairing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends early.")})
    today = today or timezone.localdate()
    locked = _lock(pairing)
    if locked.status == PairingStatus.ENDED_EARLY:
        return _refresh(pairing, locked)
    if locked.status != PairingStatus.ACTIVE:
        raise ValidationError(_("Only an active pairing can be ended early."))
    locked.status = PairingStatus.ENDED_EARLY
    locked.ended_on = max(min(today, locked.end_date), locked.start_date)
    locked.end_reason = reason
    _save(locked)
    return _refresh(pairing, locked)


def _complete(locked: Pairing, today: datetime.date) -> None:
    locked.status = PairingStatus.COMPLETED
    locked.ended_on = max(min(today, locked.end_date), locked.start_date)
    _save(locked)


@transaction.atomic
def pairing_complete(*, pairing: Pairing, by: User, today: datetime.date | None = None) -> Pairing:
    """Close an active pairing as completed (at its end date, or today if that is earlier)."""
    _require_manager(by, pairing)
    locked = _lock(pairing)
    if locked.status == PairingStatus.COMPLETED:
        return _refresh(pairing, locked)
    if locked.status != PairingStatus.ACTIVE:
        raise ValidationError(_("Only an active pairing can be completed."))
    _complete(locked, today or timezone.localdate())
    return _refresh(pairing, locked)


@transaction.atomic
def pairing_renew(*, pairing: Pairing, by: User, today: datetime.date | None = None) -> Pairing:
    """Propose the same pairing for the next school year, linked through ``renewed_from``.

    The database allows one open (proposed or active) pairing per mentor and apprentice, so
    renewing an active pairing completes it first. The renewal starts the day after the old
    period (or today, when that has passed), runs to the end of that school year and needs
    approval like any proposal."""
    today = today or timezone.localdate()
    locked = _lock(pairing)
    if not selectors.can_renew(by, locked):
        raise PermissionDenied(_("You cannot renew this pairing."))
    existing = Pairing.objects.filter(renewed_from=locked).first()
    if existing is not None:
        return existing  # a second click
    if locked.status == PairingStatus.ACTIVE:
        _complete(locked, today)
        _refresh(pairing, locked)
    start = max(locked.end_date + datetime.timedelta(days=1), today)
    end = school_year_end(start)
    if end <= start:  # the old period ended on the school year's eve: renew for the next one
        end = school_year_end(start + datetime.timedelta(days=1))
    if selectors.is_apprentice(by, locked):
        origin = Pairing.Origin.APPRENTICE_REQUEST
    elif selectors.is_mentor(by, locked):
        origin = Pairing.Origin.MENTOR_OFFER
    else:
        origin = Pairing.Origin.SCHOOL
    return _pairing_create(
        mentor=locked.mentor,
        apprentice=locked.apprentice,
        origin=origin,
        by=by,
        renewed_from=locked,
        terms=PairingTerms(
            start_date=start,
            end_date=end,
            goals=locked.goals,
            mentor_duties=locked.mentor_duties,
            apprentice_duties=locked.apprentice_duties,
            mentor_observations_per_week=locked.mentor_observations_per_week,
            apprentice_observations_per_week=locked.apprentice_observations_per_week,
        ),
    )


@transaction.atomic
def pairing_appraise(
    *, pairing: Pairing, by: User, final_appraisal: str, report_class: OpenClass | None = None
) -> Pairing:
    """The mentor's final appraisal and the apprentice's end-of-pairing report class."""
    locked = _lock(pairing)
    if not selectors.is_mentor(by, locked):
        raise PermissionDenied(_("Only the mentor writes the final appraisal."))
    if locked.status not in (*selectors.LOGGING_STATUSES, PairingStatus.ENDED_EARLY):
        raise ValidationError(_("Only an active or finished pairing can be appraised."))
    final_appraisal = (final_appraisal or "").strip()
    if not final_appraisal:
        raise ValidationError({"final_appraisal": _("Write the appraisal.")})
    if (
        report_class is not None
        and not selectors.report_class_choices(pairing=locked).filter(pk=report_class.pk).exists()
    ):
        raise ValidationError(
            {"report_class": _("Choose a report class (汇报课) the apprentice has handed in.")}
        )
    locked.final_appraisal = final_appraisal
    locked.report_class = report_class
    _save(locked)
    return _refresh(pairing, locked)
