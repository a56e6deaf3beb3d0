"""Designation services: the one-active rule, revocation, promotion, expiry; the reserve pool."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from backbone.models import Designation, ReserveEntry, school_year_start, term_end_date
from backbone.selectors.designations import designation_history, roster_list
from backbone.services.designations import (
    designation_promote,
    designation_record,
    designation_revoke,
    designations_expire,
)
from backbone.services.reserve import reserve_add, reserve_remove
from backbone.tasks import expire_designations
from tests.factories import DesignationFactory, SchoolFactory, TeacherFactory, tier

THIS = school_year_start(timezone.localdate())


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in their English source text.
    with translation.override("en"):
        yield


@pytest.fixture
def teacher(school):
    return TeacherFactory(school=school, name="王芳", staff_no="A1")


def _record(teacher, code="district", **kwargs):
    kwargs.setdefault("designated_by", "鼓楼区教育局")
    return designation_record(teacher=teacher, tier=tier(teacher.school.district, code), **kwargs)


# -- one active tier designation ------------------------------------------------------------
def test_database_refuses_a_second_active_tier_designation(teacher):
    DesignationFactory(teacher=teacher, first_year=THIS, last_year=THIS + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DesignationFactory(
            teacher=teacher, tier=tier(teacher.school.district, "district"), first_year=THIS,
            last_year=THIS + 2,
        )  # fmt: skip


def test_honorary_titles_are_held_beside_the_tier(teacher, principal):
    _record(teacher, "district", by=principal)
    title = _record(teacher, "subject_leader", by=principal)
    assert title.is_honorary and title.status == Designation.Status.ACTIVE
    with pytest.raises(ValidationError, match="already holds the title"):
        _record(teacher, "subject_leader", by=principal)


def test_recording_a_second_tier_designation_says_revoke_or_promote(teacher, principal):
    _record(teacher, "district", by=principal)
    with pytest.raises(ValidationError) as exc:
        _record(teacher, "municipal", by=principal)
    message = exc.value.messages[0]
    assert "王芳" in message and "revoke it or promote" in message
    assert Designation.objects.filter(teacher=teacher).count() == 1


def test_recording_defaults_to_the_current_school_year_and_the_tiers_term(teacher, principal):
    designation = _record(teacher, "district", certificate_no=" GL-1 ", by=principal)
    assert designation.first_year == THIS
    assert designation.last_year == THIS + 2  # district tier: 3 years by default
    assert designation.certificate_no == "GL-1"
    assert designation.source == Designation.Source.EXTERNAL
    assert designation.created_by == principal


def test_recording_refuses_a_tier_of_another_district(teacher, other_school):
    with pytest.raises(ValidationError) as exc:
        designation_record(
            teacher=teacher, tier=tier(other_school.district, "district"), designated_by="x"
        )
    assert "tier" in exc.value.message_dict


def test_recording_a_term_that_has_ended_keeps_it_as_history(teacher):
    old = _record(teacher, "district", first_year=THIS - 4, last_year=THIS - 2)
    assert old.status == Designation.Status.EXPIRED
    assert old.closed_on == term_end_date(THIS - 2)
    current = _record(teacher, "district")  # the old one does not block a new one
    assert current.status == Designation.Status.ACTIVE


# -- revocation and promotion keep the history ----------------------------------------------
def test_revoking_closes_the_designation_and_keeps_it(teacher, principal):
    designation = _record(teacher, "district")
    designation_revoke(designation=designation, reason="调离教学岗位", by=principal)
    designation.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED
    assert designation.closed_on == timezone.localdate()
    assert designation.closed_by == principal
    assert designation.closed_reason == "调离教学岗位"
    # The teacher may be designated again; the revoked one stays on the record.
    _record(teacher, "district")
    assert [d.status for d in designation_history(teacher=teacher)].count("revoked") == 1
    assert designation_history(teacher=teacher).count() == 2


def test_revoking_needs_a_reason_and_twice_changes_nothing(teacher, principal, training_office):
    designation = _record(teacher, "district")
    with pytest.raises(ValidationError):
        designation_revoke(designation=designation, reason="  ", by=principal)
    designation_revoke(designation=designation, reason="first", by=principal)
    again = designation_revoke(designation=designation, reason="second", by=training_office)
    assert again.closed_reason == "first" and again.closed_by == principal


def test_promotion_supersedes_the_designation_and_links_the_new_one(teacher, principal):
    district = _record(teacher, "district", first_year=THIS - 1)
    municipal = designation_promote(
        designation=district,
        tier=tier(teacher.school.district, "municipal"),
        designated_by="福州市教育局",
        certificate_no="FZ-9",
        by=principal,
    )
    district.refresh_from_db()
    assert district.status == Designation.Status.SUPERSEDED
    assert district.promoted_to == municipal
    assert district.closed_by == principal and district.closed_on == timezone.localdate()
    assert municipal.source == Designation.Source.PROMOTION
    assert municipal.status == Designation.Status.ACTIVE
    assert (municipal.first_year, municipal.last_year) == (THIS, THIS + 2)
    assert municipal.promoted_from == district
    assert list(roster_list(user=principal)) == [municipal]
    assert designation_history(teacher=teacher).count() == 2


def test_promoting_twice_creates_the_new_designation_once(teacher, principal):
    district = _record(teacher, "district")
    municipal = tier(teacher.school.district, "municipal")
    first = designation_promote(designation=district, tier=municipal, designated_by="x", by=None)
    second = designation_promote(designation=district, tier=municipal, designated_by="x", by=None)
    assert first == second
    assert Designation.objects.filter(teacher=teacher).count() == 2


@pytest.mark.parametrize("code", ["school", "district", "subject_leader"])
def test_promotion_must_go_to_a_higher_tier(teacher, code):
    district = _record(teacher, "district")
    with pytest.raises(ValidationError):
        designation_promote(
            designation=district,
            tier=tier(teacher.school.district, code),
            designated_by="x",
            by=None,
        )
    district.refresh_from_db()
    assert district.status == Designation.Status.ACTIVE
    assert Designation.objects.filter(teacher=teacher).count() == 1


def test_a_revoked_designation_cannot_be_promoted(teacher, principal):
    district = _record(teacher, "district")
    designation_revoke(designation=district, reason="x", by=principal)
    with pytest.raises(ValidationError, match="no longer active"):
        designation_promote(
            designation=district,
            tier=tier(teacher.school.district, "municipal"),
            designated_by="x",
            by=principal,
        )


# -- automatic expiry -----------------------------------------------------------------------
def test_expiry_closes_designations_whose_term_has_ended(school):
    ended = DesignationFactory(teacher__school=school, first_year=THIS - 3, last_year=THIS - 1)
    ended_earlier = DesignationFactory(
        teacher__school=school, first_year=THIS - 5, last_year=THIS - 4
    )
    running = DesignationFactory(teacher__school=school, first_year=THIS - 1, last_year=THIS)
    revoked = DesignationFactory(
        teacher__school=school, first_year=THIS - 3, last_year=THIS - 1, status="revoked"
    )

    assert designations_expire() == 2
    for designation in (ended, ended_earlier, running, revoked):
        designation.refresh_from_db()
    assert ended.status == Designation.Status.EXPIRED
    assert ended.closed_on == term_end_date(THIS - 1)
    assert ended_earlier.closed_on == term_end_date(THIS - 4)
    assert running.status == Designation.Status.ACTIVE and running.closed_on is None
    assert revoked.status == Designation.Status.REVOKED
    assert designations_expire() == 0  # running it again changes nothing


def test_expiry_follows_the_given_day(school):
    designation = DesignationFactory(teacher__school=school, first_year=THIS, last_year=THIS)
    assert designations_expire(today=term_end_date(THIS)) == 0
    next_year = term_end_date(THIS) + datetime.timedelta(days=1)
    assert designations_expire(today=next_year) == 1
    designation.refresh_from_db()
    assert designation.status == Designation.Status.EXPIRED


def test_an_ended_term_reads_as_expired_before_the_job_runs(school, principal):
    stale = DesignationFactory(teacher__school=school, first_year=THIS - 3, last_year=THIS - 1)
    running = DesignationFactory(teacher__school=school, first_year=THIS, last_year=THIS + 1)
    assert stale.status == Designation.Status.ACTIVE  # the job has not run
    assert stale.effective_status == Designation.Status.EXPIRED
    assert running.effective_status == Designation.Status.ACTIVE
    assert list(Designation.objects.current()) == [running]
    assert list(roster_list(user=principal)) == [running]


def test_recording_after_an_unexpired_stale_designation_expires_it_first(school):
    stale = DesignationFactory(teacher__school=school, first_year=THIS - 3, last_year=THIS - 1)
    new = _record(stale.teacher, "municipal")
    stale.refresh_from_db()
    assert stale.status == Designation.Status.EXPIRED
    assert new.status == Designation.Status.ACTIVE


def test_the_scheduled_task_expires_designations(school):
    ended = DesignationFactory(teacher__school=school, first_year=THIS - 2, last_year=THIS - 1)
    assert expire_designations.apply().get() == 1
    ended.refresh_from_db()
    assert ended.status == Designation.Status.EXPIRED


# -- reserve pool ---------------------------------------------------------------------------
def test_reserve_entry_records_the_reason_and_who_marked_it(teacher, principal):
    entry = reserve_add(
        teacher=teacher, tier=tier(teacher.school.district, "school"), reason="教学突出",
        by=principal,
    )  # fmt: skip
    assert entry.marked_by == principal and entry.reason == "教学突出"
    with pytest.raises(ValidationError, match="already in the reserve pool"):
        reserve_add(teacher=teacher, tier=entry.tier, reason="again", by=principal)


def test_removing_a_reserve_entry_keeps_it_with_the_date(teacher, principal):
    entry = reserve_add(
        teacher=teacher, tier=tier(teacher.school.district, "school"), reason="x", by=principal
    )
    reserve_remove(entry=entry)
    reserve_remove(entry=entry)  # harmless the second time
    entry.refresh_from_db()
    assert entry.removed_on == timezone.localdate()
    assert ReserveEntry.objects.count() == 1
    assert not ReserveEntry.objects.current().exists()
    # Back in the pool later: a new entry beside the old one.
    reserve_add(teacher=teacher, tier=entry.tier, reason="again", by=principal)
    assert ReserveEntry.objects.count() == 2


def test_reserve_refuses_a_tier_the_teacher_already_holds(teacher, principal):
    _record(teacher, "district")
    with pytest.raises(ValidationError, match="already holds"):
        reserve_add(
            teacher=teacher, tier=tier(teacher.school.district, "school"), reason="x",
            by=principal,
        )  # fmt: skip
    reserve_add(
        teacher=teacher, tier=tier(teacher.school.district, "municipal"), reason="x", by=principal
    )


def test_reserve_refuses_a_teacher_of_another_district(principal):
    foreign = TeacherFactory(school=SchoolFactory())
    home_tier = tier(principal.role_assignments.get().school.district, "school")
    with pytest.raises(ValidationError):
        reserve_add(teacher=foreign, tier=home_tier, reason="x", by=principal)
