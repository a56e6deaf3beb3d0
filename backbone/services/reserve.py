"""The reserve pool (后备队伍): teachers marked as candidates for a tier. Removing an entry
keeps it, with the date it left the pool."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from teachers.models import Teacher

from ..models import Designation, ReserveEntry, Tier


@transaction.atomic
def reserve_add(*, teacher: Teacher, tier: Tier, reason: str, by) -> ReserveEntry:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this teacher is a candidate.")})
    if tier.district_id != teacher.school.district_id:
        raise ValidationError({"tier": _("This tier belongs to another district.")})
    if not teacher.is_active:
        raise ValidationError(_("%(name)s is no longer on staff.") % {"name": teacher.name})
    if ReserveEntry.objects.current().filter(teacher=teacher, tier=tier).exists():
        raise ValidationError(
            _("%(name)s is already in the reserve pool for %(tier)s.")
            % {"name": teacher.name, "tier": tier.label}
        )
    same_or_higher = Q(tier=tier) if tier.is_honorary else Q(tier__level__gte=tier.level)
    held = Designation.objects.current().filter(
        same_or_higher, teacher=teacher, tier__kind=tier.kind
    )
    if held.exists():
        raise ValidationError(
            _("%(name)s already holds %(tier)s or higher.")
            % {"name": teacher.name, "tier": tier.label}
        )
    entry = ReserveEntry(teacher=teacher, tier=tier, reason=reason, marked_by=by)
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already in the reserve pool for %(tier)s.")
            % {"name": teacher.name, "tier": tier.label}
        ) from exc
    return entry


@transaction.atomic
def reserve_remove(*, entry: ReserveEntry, today: datetime.date | None = None) -> ReserveEntry:
    """Take the entry out of the pool; removing it again changes nothing. (The model keeps
    the date only, not who removed it.)"""
    today = today or timezone.localdate()
    ReserveEntry.objects.filter(pk=entry.pk, removed_on__isnull=True).update(removed_on=today)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def reserve_recommend(*, entries: Iterable[ReserveEntry], reason: str, by) -> list[ReserveEntry]:
    """推荐上报: the school's principal or training office recommends teachers of its reserve
    pool for a tier the district designates. All or none: one refused stops the others.
    Recommending again keeps the first date and updates the reason."""
    return [_recommend(entry=entry, reason=reason, by=by) for entry in entries]


def _recommend(*, entry: ReserveEntry, reason: str, by) -> ReserveEntry:
    entry = (
        ReserveEntry.objects.select_for_update().select_related("tier", "teacher").get(pk=entry.pk)
    )
    if not by.scope.can_manage_school(entry.teacher.school_id):
        raise PermissionDenied(_("Only the principal or training office can do this."))
    if entry.removed_on is not None:
        raise ValidationError(
            _("%(name)s is no longer in the reserve pool.") % {"name": entry.teacher.name}
        )
    if entry.tier.designated_by_school:
        raise ValidationError(_("The school designates this tier itself."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the school recommends this teacher.")})
    if entry.recommended_at is None:
        entry.recommended_at = timezone.now()
        entry.recommended_by = by
    entry.recommendation = reason
    entry.full_clean(validate_constraints=False)
    entry.save(update_fields=["recommended_at", "recommended_by", "recommendation"])
    return entry
