"""Every write to designations: recording one, revoking, promoting and expiring.

History is never deleted: closing a designation sets its status, the date, who and why, and
it stays on the teacher's record."""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teachers.models import Teacher

from ..models import Designation, SelectionRound, Tier, school_year_start, term_end_date

# What the apps above the backbone do when designations are made (recognition proposes the
# mentors' rewards). Backbone imports none of them: each registers its function here from its
# AppConfig.ready(), and every service that creates designations calls designations_made()
# itself, in its own transaction, with all it made. Unlike a post_save receiver this also
# runs for bulk writes, once per batch.
DESIGNATION_HOOKS: list[Callable[..., object]] = []


def designation_hook(func: Callable[..., object]) -> Callable[..., object]:
    """Register ``func(*, designations)`` to run whenever designations are made."""
    if func not in DESIGNATION_HOOKS:
        DESIGNATION_HOOKS.append(func)
    return func


def designations_made(*, designations: Iterable[Designation]) -> None:
    """Tell the registered apps about designations just created. Each hook is idempotent:
    calling this twice for the same designations adds nothing."""
    designations = [d for d in designations if d.pk is not None]
    if not designations:
        return
    for hook in DESIGNATION_HOOKS:
        hook(designations=designations)


def default_last_year(*, tier: Tier, first_year: int) -> int:
    return first_year + max(tier.default_term_years, 1) - 1


@transaction.atomic
def designations_expire(
    *, today: datetime.date | None = None, teacher: Teacher | None = None
) -> int:
    """Close every active designation whose term has ended (status expired, closed on the
    last day of the term). Running it again changes nothing. Returns how many were closed."""
    today = today or timezone.localdate()
    overdue = Designation.objects.filter(
        status=Designation.Status.ACTIVE, last_year__lt=school_year_start(today)
    )
    if teacher is not None:
        overdue = overdue.filter(teacher=teacher)
    closed = 0
    # One conditional UPDATE per term end: few distinct years, and a concurrent run or a
    # revocation in between simply leaves fewer rows to change.
    for last_year in set(overdue.values_list("last_year", flat=True)):
        closed += overdue.filter(last_year=last_year).update(
            status=Designation.Status.EXPIRED, closed_on=term_end_date(last_year)
        )
    return closed


def _check_one_active(designation: Designation) -> None:
    """The friendly form of the database constraints on active designations."""
    others = Designation.objects.filter(
        teacher=designation.teacher, status=Designation.Status.ACTIVE
    ).exclude(pk=designation.pk)
    if designation.tier.is_honorary:
        if others.filter(tier=designation.tier).exists():
            raise ValidationError(
                _("%(name)s already holds the title “%(tier)s”. Revoke it first.")
                % {"name": designation.teacher.name, "tier": designation.tier.label},
                code="active_title",
            )
        return
    held = others.filter(is_honorary=False).select_related("tier").first()
    if held is not None:
        raise ValidationError(
            _(
                "%(name)s already holds an active designation (%(tier)s, %(term)s). A teacher "
                "holds one backbone tier at a time: revoke it or promote the teacher instead."
            )
            % {"name": designation.teacher.name, "tier": held.tier.label, "term": held.term_label},
            code="active_designation",
        )


def _save_new(designation: Designation) -> Designation:
    designation.is_honorary = designation.tier.is_honorary
    if designation.status == Designation.Status.ACTIVE:
        _check_one_active(designation)
    # The constraints were checked above with a clear message; the database still has the
    # last word when two requests race.
    designation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This teacher already holds an active designation of this kind."),
            code="active_designation",
        ) from exc
    return designation


@transaction.atomic
def designation_record(
    *,
    teacher: Teacher,
    tier: Tier,
    designated_by: str,
    certificate_no: str = "",
    first_year: int | None = None,
    last_year: int | None = None,
    source: str = Designation.Source.EXTERNAL,
    round: SelectionRound | None = None,
    by=None,
    today: datetime.date | None = None,
) -> Designation:
    """Record a designation. The term defaults to the current school year and the tier's
    default length. A term that has already ended is kept as history (status expired)."""
    today = today or timezone.localdate()
    if tier.district_id != teacher.school.district_id:
        raise ValidationError(
            {"tier": _("This tier belongs to another district.")}, code="foreign_tier"
        )
    if not teacher.is_active:
        raise ValidationError(
            _("%(name)s is no longer on staff.") % {"name": teacher.name}, code="teacher_left"
        )
    if first_year is None:
        first_year = school_year_start(today)
    if last_year is None:
        last_year = default_last_year(tier=tier, first_year=first_year)
    if last_year < first_year:
        raise ValidationError(
            {"last_year": _("The last school year cannot be before the first.")},
            code="term_order",
        )
    # A stale active row (term over, expiry job not run yet) must not block the new one.
    designations_expire(today=today, teacher=teacher)
    designation = Designation(
        teacher=teacher,
        tier=tier,
        first_year=first_year,
        last_year=last_year,
        designated_by=designated_by.strip(),
        certificate_no=certificate_no.strip(),
        source=source,
        round=round,
        created_by=by,
        designated_on=today,
    )
    if last_year < school_year_start(today):
        designation.status = Designation.Status.EXPIRED
        designation.closed_on = term_end_date(last_year)
    designation = _save_new(designation)
    designations_made(designations=[designation])
    return designation


def _lock_active(designation: Designation, today: datetime.date) -> Designation:
    locked = Designation.objects.select_for_update().get(pk=designation.pk)
    if locked.status == Designation.Status.ACTIVE and locked.last_year < school_year_start(today):
        designations_expire(today=today, teacher=locked.teacher)
        locked.refresh_from_db()
    return locked


def _not_active_error(designation: Designation) -> ValidationError:
    return ValidationError(
        _("This designation is no longer active (%(status)s).")
        % {"status": designation.get_status_display()},
        code="not_active",
    )


@transaction.atomic
def designation_revoke(
    *, designation: Designation, reason: str, by, today: datetime.date | None = None
) -> Designation:
    """Revoke an active designation with a reason. Revoking it again changes nothing."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    designation = _lock_active(designation, today)
    if designation.status == Designation.Status.REVOKED:
        return designation
    if designation.status != Designation.Status.ACTIVE:
        raise _not_active_error(designation)
    designation.status = Designation.Status.REVOKED
    designation.closed_on = today
    designation.closed_by = by
    designation.closed_reason = reason
    designation.full_clean(validate_constraints=False)
    designation.save()
    return designation


@transaction.atomic
def designation_promote(
    *,
    designation: Designation,
    tier: Tier,
    designated_by: str,
    certificate_no: str = "",
    first_year: int | None = None,
    last_year: int | None = None,
    by,
    reason: str = "",
    today: datetime.date | None = None,
) -> Designation:
    """Close the designation as superseded and create the higher one (source: promotion).
    Returns the new designation; a second click returns the one the first click made."""
    today = today or timezone.localdate()
    designation = _lock_active(designation, today)
    if designation.status == Designation.Status.SUPERSEDED and designation.promoted_to_id:
        return designation.promoted_to
    if designation.status != Designation.Status.ACTIVE:
        raise _not_active_error(designation)
    current = designation.tier
    if designation.is_honorary:
        raise ValidationError(_("Honorary titles are not promoted."), code="honorary")
    if tier.is_honorary or tier.district_id != current.district_id or tier.level <= current.level:
        raise ValidationError(
            {"tier": _("Choose a tier above %(tier)s.") % {"tier": current.label}},
            code="not_higher",
        )
    designation.status = Designation.Status.SUPERSEDED
    designation.closed_on = today
    designation.closed_by = by
    designation.closed_reason = reason.strip() or _("Promoted to %(tier)s.") % {"tier": tier.label}
    designation.save()
    new = designation_record(
        teacher=designation.teacher,
        tier=tier,
        designated_by=designated_by,
        certificate_no=certificate_no,
        first_year=first_year,
        last_year=last_year,
        source=Designation.Source.PROMOTION,
        by=by,
        today=today,
    )
    if new.status != Designation.Status.ACTIVE:
        raise ValidationError({"last_year": _("The new term has already ended.")}, code="term_over")
    designation.promoted_to = new
    designation.save(update_fields=["promoted_to"])
    return new
