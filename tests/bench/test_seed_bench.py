"""`manage.py seed_bench`: the large benchmark dataset, built with bulk inserts (here tiny)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backbone.models import Designation
from core.models import User
from mentoring.models import Pairing
from records.models import KIND_ACCESSORS, Record
from teachers.models import Teacher
from teachers.stages import GrowthStage


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_bench", schools=2, teachers=16, years=3, stdout=out, **options)
    return out.getvalue()


def test_it_builds_every_kind_of_row_and_prints_the_logins(db):
    output = seed()
    for username in ("principal", "office", "committee", "teacher", "district"):
        assert username in output
        assert User.objects.get(username=username).check_password("gugan2026")
    assert "gugan2026" in output
    teachers = Teacher.objects.select_related("school__district")
    assert teachers.count() == 16
    assert {t.growth_stage for t in teachers} == set(GrowthStage.values)
    # Each kind's child row exists beside its parent row, with its own fields.
    assert set(Record.objects.values_list("kind", flat=True)) == set(KIND_ACCESSORS)
    for record in Record.objects.all()[:50]:
        assert record.detail.pk == record.pk and record.detail.title == record.title
    statuses = set(Designation.objects.values_list("status", flat=True))
    assert "active" in statuses and statuses - {"active"}  # with a history
    assert Pairing.objects.filter(status="active").exists()
    assert Teacher.objects.get(user__username="teacher").records.exists()


def test_it_refuses_to_run_twice_and_builds_again_with_reset(db):
    seed()
    records = Record.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    seed(reset=True)
    assert Teacher.objects.count() == 16
    assert Record.objects.count() == records  # the same data again: a fixed random seed


def test_it_refuses_a_database_that_holds_other_data(school):
    with pytest.raises(CommandError, match="empty database"):
        seed()
    with pytest.raises(CommandError, match="empty database"):
        seed(reset=True)
    assert Teacher.objects.count() == 0
