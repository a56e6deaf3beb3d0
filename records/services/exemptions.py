"""Exempting a teacher on long-cycle training from the school-based hours of one school year
(records.models.HoursExemption), and taking the exemption back. The school's training office
or principal decides; records.hours applies it everywhere hours are judged."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import school_year_label, school_year_start
from teachers.models import Teacher

from ..models import HoursExemption


def exemption_years(today=None) -> list[int]:
    """The school years an exemption may be granted for: this one and the next (a past
    year's hours are already judged)."""
    this = school_year_start(today or timezone.localdate())
    return [this, this + 1]


@transaction.atomic
def hours_exemption_grant(*, teacher: Teacher, year: int, reason: str, by) -> HoursExemption:
    """Exempt the teacher for ``year``; granting the same again changes nothing."""
    if not by.scope.can_manage_school(teacher.school_id):
        raise PermissionDenied
    if year not in exemption_years():
        raise ValidationError(
            {
                "year": _("An exemption is granted for this school year or the next (%(years)s).")
                % {"years": "、".join(school_year_label(y) for y in exemption_years())}
            }
        )
    existing = HoursExemption.objects.filter(teacher=teacher, year=year).first()
    if existing is not None:
        return existing  # a second click, or two tabs
    exemption = HoursExemption(
        teacher=teacher, year=year, reason=(reason or "").strip(), granted_by=by
    )
    exemption.full_clean(exclude=["granted_by"])
    try:
        with transaction.atomic():
            exemption.save()
    except IntegrityError:  # the other tab won: its row stands
        return HoursExemption.objects.get(teacher=teacher, year=year)
    return exemption


@transaction.atomic
def hours_exemption_withdraw(*, exemption: HoursExemption, by) -> None:
    if not HoursExemption.objects.editable_by(by).filter(pk=exemption.pk).exists():
        raise PermissionDenied
    HoursExemption.objects.filter(pk=exemption.pk).delete()
