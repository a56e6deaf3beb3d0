"""What happens within an active pairing: observations logged through it, guidance sessions
and their confirmation."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from records.models import Observation
from records.services.workflow import record_save, record_submit

from .. import selectors
from ..models import GuidanceSession, Pairing


# -- activity ------------------------------------------------------------------------------------
def _check_activity_date(pairing: Pairing, day: datetime.date, today: datetime.date) -> None:
    if pairing.status not in selectors.LOGGING_STATUSES:
        raise ValidationError(
            _("Observations and sessions are logged in an active or completed pairing.")
        )
    if day > today:
        raise ValidationError({"date": _("The date cannot be in the future.")})
    end = pairing.ended_on or pairing.end_date
    if not pairing.start_date <= day <= end:
        raise ValidationError(
            {
                "date": _("Choose a date within the pairing (%(start)s to %(end)s).")
                % {"start": pairing.start_date.isoformat(), "end": end.isoformat()}
            }
        )


@transaction.atomic
def pairing_observe(
    *,
    pairing: Pairing,
    by: User,
    date: datetime.date,
    subject: str,
    class_name: str = "",
    notes: str = "",
    rating: int | None = None,
    submit: bool = False,
    today: datetime.date | None = None,
) -> Observation:
    """The mentor observed the apprentice's class, or the apprentice the mentor's: one class
    observation record (听课记录) of the observer, tagged with the pairing, so it counts for
    the pairing and appears in the observer's records without being entered twice."""
    if not selectors.is_party(by, pairing):
        raise PermissionDenied(_("Only the mentor and the apprentice log observations."))
    _check_activity_date(pairing, date, today or timezone.localdate())
    observer = pairing.mentor if selectors.is_mentor(by, pairing) else pairing.apprentice
    observed = selectors.other_party(by, pairing)
    observation = Observation(
        teacher=observer,
        observed_teacher=observed,
        pairing=pairing,
        date=date,
        subject=(subject or "").strip(),
        class_name=(class_name or "").strip(),
        notes=(notes or "").strip(),
        rating=rating,
    )
    observation.title = f"{observed.name} · {observation.subject}"  # save() sets it again
    record_save(record=observation, by=by)
    if submit:
        record_submit(record=observation, by=by)
    return observation


@transaction.atomic
def session_log(
    *,
    pairing: Pairing,
    by: User,
    date: datetime.date,
    kind: str,
    notes: str,
    follow_up: str = "",
    private: bool = False,
    today: datetime.date | None = None,
) -> GuidanceSession:
    """Either party logs a guidance session; the other party confirms it."""
    if not selectors.is_party(by, pairing):
        raise PermissionDenied(_("Only the mentor and the apprentice log guidance sessions."))
    _check_activity_date(pairing, date, today or timezone.localdate())
    session = GuidanceSession(
        pairing=pairing,
        date=date,
        kind=kind,
        notes=(notes or "").strip(),
        follow_up=(follow_up or "").strip(),
        private=private,
        logged_by=by,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_confirm(*, session: GuidanceSession, by: User) -> GuidanceSession:
    """The other party confirms that the session took place as logged."""
    pairing = session.pairing
    if not selectors.is_party(by, pairing) or session.logged_by_id == by.pk:
        raise PermissionDenied(_("The other party of the pairing confirms a session."))
    now = timezone.now()
    updated = GuidanceSession.objects.filter(pk=session.pk, confirmed_at__isnull=True).update(
        confirmed_by=by, confirmed_at=now
    )
    if updated:
        session.confirmed_by, session.confirmed_at = by, now
    else:
        session.refresh_from_db(fields=["confirmed_by", "confirmed_at"])  # a second click
    return session
