"""Attendance credits the session's hours to the teacher's ledger: once, and corrected with
the register."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from records.hours import hours_for
from records.models import Status, Training
from training.ledger import attendance_record, register_mark
from training.models import Attendance

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def credited(teacher):
    return Training.objects.filter(teacher=teacher).exclude(source="")


def test_marking_present_credits_verified_school_based_hours(session, trainee, training_office):
    register_mark(session=session, teacher=trainee, status="present", by=training_office)
    record = credited(trainee).get()
    assert record.status == Status.VERIFIED
    assert record.hours == Decimal("3") and record.school_based
    assert record.source == f"training-session:{session.pk}"
    hours = hours_for(teacher=trainee, year=YEAR)
    assert (hours.total, hours.school_based, hours.credited) == (3, 3, 3)
    assert hours.self_reported == 0


def test_marking_twice_or_signing_in_after_credits_once(session, trainee, training_office):
    for status in ("present", "present", "late"):
        register_mark(session=session, teacher=trainee, status=status, by=training_office)
    attendance_record(
        session=session, teacher=trainee, status="present", method="qr", by=None,
        keep_better=True,
    )  # fmt: skip
    assert credited(trainee).count() == 1
    assert Attendance.objects.get(session=session, teacher=trainee).status == "late"
    assert hours_for(teacher=trainee, year=YEAR).total == 3


def test_correcting_to_absent_withdraws_the_hours_and_back_restores_them(
    session, trainee, training_office
):
    register_mark(session=session, teacher=trainee, status="present", by=training_office)
    register_mark(session=session, teacher=trainee, status="absent", by=training_office)
    assert hours_for(teacher=trainee, year=YEAR).total == 0
    assert credited(trainee).get().status == Status.ARCHIVED
    register_mark(session=session, teacher=trainee, status="present", by=training_office)
    assert hours_for(teacher=trainee, year=YEAR).total == 3
    assert credited(trainee).count() == 1


def test_leave_needs_a_reason_and_credits_nothing(session, trainee, training_office):
    with pytest.raises(ValidationError):
        register_mark(session=session, teacher=trainee, status="leave", by=training_office)
    register_mark(
        session=session, teacher=trainee, status="leave", reason="病假", by=training_office
    )
    assert hours_for(teacher=trainee, year=YEAR).total == 0


def test_self_reported_hours_stay_apart_from_credited_ones(session, trainee, training_office):
    from tests.factories import TrainingFactory

    TrainingFactory(teacher=trainee, year=YEAR, hours=Decimal("6"), status=Status.VERIFIED)
    register_mark(session=session, teacher=trainee, status="present", by=training_office)
    hours = hours_for(teacher=trainee, year=YEAR)
    assert (hours.total, hours.credited, hours.self_reported) == (9, 3, 6)


def test_only_the_organiser_marks_the_register(session, trainee, committee_member, outsider):
    for user in (committee_member, outsider):
        with pytest.raises(PermissionDenied):
            register_mark(session=session, teacher=trainee, status="present", by=user)
    assert not credited(trainee).exists()


def test_a_teacher_not_enrolled_cannot_be_marked(session, teacher_user, training_office):
    with pytest.raises(ValidationError):
        register_mark(
            session=session, teacher=teacher_user.teacher, status="present", by=training_office
        )
