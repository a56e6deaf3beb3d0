"""Targets: a school's or a district's plan, e.g. "by the end of 2027–2028: 3 municipal,
6 district, 12 school-level" — one Target row per tier and school year."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import District, School, User

from ..models import Target, Tier


def _owner(school: School | None, district: District | None) -> dict:
    if (school is None) == (district is None):
        raise ValueError("A target belongs to a school or to a district.")
    return {"school": school} if school is not None else {"district": district}


@transaction.atomic
def target_plan_save(
    *,
    school: School | None = None,
    district: District | None = None,
    by_year: int,
    counts: dict[Tier, int | None],
    note: str = "",
    by: User,
    previous_year: int | None = None,
) -> list[Target]:
    """Record the plan for ``by_year``: a count per tier (None removes that tier's target).
    Editing a plan may move it to another year (``previous_year``)."""
    owner = _owner(school, district)
    district_id = school.district_id if school is not None else district.pk
    if any(t.district_id != district_id for t in counts):
        raise ValidationError(_("These tiers belong to another district."))
    if not any(c is not None for c in counts.values()):
        raise ValidationError(_("Give a number of teachers for at least one tier."))
    if previous_year is not None and previous_year != by_year:
        Target.objects.filter(**owner, by_year=previous_year).delete()
    saved = []
    for tier, count in counts.items():
        existing = Target.objects.select_for_update().filter(**owner, tier=tier, by_year=by_year)
        if count is None:
            existing.delete()
            continue
        target = existing.first() or Target(**owner, tier=tier, by_year=by_year, created_by=by)
        target.count = count
        target.note = note
        target.full_clean()
        target.save()
        saved.append(target)
    return saved


@transaction.atomic
def target_plan_delete(
    *, school: School | None = None, district: District | None = None, by_year: int, by: User
) -> int:
    """Remove the plan for ``by_year``; harmless to repeat. Returns how many rows went."""
    deleted, _details = Target.objects.filter(**_owner(school, district), by_year=by_year).delete()
    return deleted
