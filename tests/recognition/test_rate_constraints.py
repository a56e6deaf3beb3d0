"""One rate per month and place, enforced by the database on SQLite and PostgreSQL alike:
the district's default (no school) and the rookie award (no tier) included."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from recognition.models import Rate
from tests.factories import tier

pytestmark = pytest.mark.django_db

SEPT = datetime.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("on_school", "kind", "code"),
    [(False, "rookie", None), (False, "allowance", "school"), (True, "rookie", None),
     (True, "allowance", "school")],
)  # fmt: skip
def test_a_second_rate_for_the_same_month_and_place_is_refused(school, on_school, kind, code):
    fields = {
        "district": school.district,
        "school": school if on_school else None,
        "kind": kind,
        "tier": tier(school.district, code) if code else None,
        "valid_from": SEPT,
    }
    Rate.objects.create(amount=Decimal(20), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rate.objects.create(amount=Decimal(30), **fields)


def test_the_schools_rate_and_the_districts_default_live_side_by_side(school):
    for place in (None, school):
        Rate.objects.create(
            district=school.district, school=place, kind="rookie", amount=1, valid_from=SEPT
        )
    assert Rate.objects.count() == 2


def test_no_rate_constraint_needs_nulls_not_distinct():
    """SQLite builds no such constraint (models.W047): the partial indexes say it portably."""
    assert [c.name for c in Rate._meta.constraints if getattr(c, "nulls_distinct", None)] == []
    assert [
        c.name for c in Rate._meta.constraints if getattr(c, "nulls_distinct", 0) is False
    ] == []
