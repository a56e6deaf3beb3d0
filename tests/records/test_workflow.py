"""The verification workflow services: draft, submit, verify, return, resubmit, archive, bulk
verify, and the audit trail that keeps who did what and when."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import Role
from records.models import AuditEntry, OpenClass, Record, Status, Training
from records.selectors.workflow import audit_trail
from records.services.workflow import (
    record_archive,
    record_return,
    record_save,
    record_submit,
    record_verify,
    records_verify_bulk,
)
from tests.factories import TeacherFactory, TrainingFactory, user_with_role


def actions(record) -> list[tuple[str, str]]:
    return [
        (e.action, e.actor.username)
        for e in AuditEntry.objects.filter(record_id=record.pk).select_related("actor")
    ]


def status_of(record) -> str:
    return Record.objects.values_list("status", flat=True).get(pk=record.pk)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English, whatever the catalogues say."""
    with translation.override("en"):
        yield


@pytest.fixture
def teacher(teacher_user):
    return teacher_user.teacher


@pytest.fixture
def draft(teacher, teacher_user):
    training = Training(
        teacher=teacher, date=datetime.date(2025, 10, 15), course="校本培训：大单元教学", hours=6
    )
    return record_save(record=training, by=teacher_user)


@pytest.fixture
def submitted(draft, teacher_user):
    return record_submit(record=draft, by=teacher_user)


def test_submit_verify_return_resubmit_cycle_keeps_who_did_what(
    draft, teacher_user, training_office, principal
):
    record_submit(record=draft, by=teacher_user)
    assert status_of(draft) == Status.SUBMITTED

    record_return(record=draft, by=training_office, reason="请补充培训证书。")
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED
    assert draft.return_reason == "请补充培训证书。"

    draft.hours = Decimal("8")
    draft.school_based = True
    record_save(record=draft, by=teacher_user)
    record_submit(record=draft, by=teacher_user)
    record_verify(record=draft, by=principal)

    draft.refresh_from_db()
    assert draft.status == Status.VERIFIED
    assert draft.verified_by == principal and draft.verified_at is not None
    assert draft.return_reason == ""
    assert actions(draft) == [
        ("created", "teacher"),
        ("submitted", "teacher"),
        ("returned", "office"),
        ("updated", "teacher"),
        ("submitted", "teacher"),
        ("verified", "principal"),
    ]
    returned = AuditEntry.objects.get(record_id=draft.pk, action=AuditEntry.Action.RETURNED)
    assert returned.note == "请补充培训证书。"
    updated = AuditEntry.objects.get(record_id=draft.pk, action=AuditEntry.Action.UPDATED)
    assert updated.changes == {"hours": ["6.0", "8.0"], "school_based": [False, True]}


def test_saving_an_unchanged_record_adds_no_audit_entry(draft, teacher_user):
    draft.hours = 6  # the same value as the stored 6.0
    record_save(record=draft, by=teacher_user)
    assert actions(draft) == [("created", "teacher")]


def test_audit_trail_lists_field_changes_with_labels_and_readable_values(draft, teacher_user):
    draft.organiser_level = 2
    draft.school_based = True
    record_save(record=draft, by=teacher_user)
    entry = [e for e in audit_trail(record=draft) if e.action == AuditEntry.Action.UPDATED][0]
    rows = {str(label): (old, new) for label, old, new in entry.change_rows}
    assert rows["organiser level"] == ("School level (校级)", "District/county level (区县级)")
    assert rows["school-based (校本培训)"] == ("No", "Yes")


def test_a_new_record_of_any_kind_saves_before_its_title_is_derived(teacher, teacher_user):
    open_class = OpenClass(
        teacher=teacher,
        date=datetime.date(2025, 11, 5),
        class_kind=OpenClass.ClassKind.RESEARCH,
        starts_at=datetime.datetime(2025, 11, 5, 9, tzinfo=datetime.UTC),
        place="录播教室",
        subject="语文",
        grade_class="四年级（2）班",
        topic="《落花生》",
    )
    record_save(record=open_class, by=teacher_user)
    assert open_class.title == "《落花生》"
    assert open_class.year == 2025


@pytest.mark.parametrize("final", [Status.VERIFIED, Status.SUBMITTED])
def test_submitted_and_verified_records_are_read_only_for_the_teacher(
    submitted, teacher_user, training_office, final
):
    if final == Status.VERIFIED:
        record_verify(record=submitted, by=training_office)
    submitted.hours = Decimal("12")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        record_save(record=submitted, by=teacher_user)
    assert Training.objects.get(pk=submitted.pk).hours == Decimal("6")


def test_submitting_twice_is_harmless(draft, teacher_user):
    record_submit(record=draft, by=teacher_user)
    record_submit(record=draft, by=teacher_user)
    record_submit(record=Record.objects.get(pk=draft.pk), by=teacher_user)
    assert actions(draft) == [("created", "teacher"), ("submitted", "teacher")]


def test_verifying_twice_is_harmless_even_from_a_stale_copy(submitted, training_office, principal):
    stale = Record.objects.get(pk=submitted.pk)
    record_verify(record=submitted, by=training_office)
    record_verify(record=submitted, by=training_office)
    record_verify(record=stale, by=principal)  # a second tab, opened before the first verify
    assert [a for a, _ in actions(submitted)].count("verified") == 1
    submitted.refresh_from_db()
    assert submitted.verified_by == training_office


def test_a_stale_copy_cannot_submit_a_verified_record_again(submitted, teacher_user, principal):
    stale = Record.objects.get(pk=submitted.pk)
    stale.status = Status.DRAFT
    record_verify(record=submitted, by=principal)
    with pytest.raises(ValidationError):
        record_submit(record=stale, by=teacher_user)
    assert status_of(submitted) == Status.VERIFIED


def test_returning_requires_a_reason(submitted, training_office):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            record_return(record=submitted, by=training_office, reason=reason)
        assert "reason" in exc.value.message_dict
    assert status_of(submitted) == Status.SUBMITTED


def test_returning_twice_keeps_the_first_reason(submitted, training_office):
    record_return(record=submitted, by=training_office, reason="缺少签到表")
    record_return(record=Record.objects.get(pk=submitted.pk), by=training_office, reason="再说一遍")
    assert Record.objects.get(pk=submitted.pk).return_reason == "缺少签到表"
    assert [a for a, _ in actions(submitted)].count("returned") == 1


def test_a_verified_record_can_be_returned_and_no_longer_counts(submitted, principal):
    record_verify(record=submitted, by=principal)
    record_return(record=submitted, by=principal, reason="学时有误")
    assert not Record.objects.counting().filter(pk=submitted.pk).exists()
    submitted.refresh_from_db()
    assert submitted.verified_by is None and submitted.verified_at is None


def test_drafts_cannot_be_verified(draft, training_office):
    with pytest.raises(ValidationError):
        record_verify(record=draft, by=training_office)
    assert status_of(draft) == Status.DRAFT


def test_only_the_author_submits(draft, principal):
    with pytest.raises(PermissionDenied):
        record_submit(record=draft, by=principal)


@pytest.mark.parametrize("who", ["committee_member", "district_office", "outsider", "colleague"])
def test_only_the_schools_principal_and_training_office_verify_and_return(
    request, submitted, school, who
):
    if who == "colleague":
        user = user_with_role(Role.TEACHER, school=school, username="colleague")
        TeacherFactory(school=school, user=user)
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        record_verify(record=submitted, by=user)
    with pytest.raises(PermissionDenied):
        record_return(record=submitted, by=user, reason="不合格")
    assert status_of(submitted) == Status.SUBMITTED


def test_bulk_verify_touches_only_the_users_schools_submitted_records(
    school, other_school, training_office, teacher
):
    mine = [TrainingFactory(teacher=teacher, status=Status.SUBMITTED) for _ in range(2)]
    own_draft = TrainingFactory(teacher=teacher)
    own_returned = TrainingFactory(teacher=teacher, status=Status.RETURNED)
    theirs = TrainingFactory(teacher__school=other_school, status=Status.SUBMITTED)
    everything = [*mine, own_draft, own_returned, theirs]

    assert records_verify_bulk(records=everything, by=training_office) == 2
    assert [status_of(r) for r in everything] == [
        Status.VERIFIED,
        Status.VERIFIED,
        Status.DRAFT,
        Status.RETURNED,
        Status.SUBMITTED,
    ]
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VERIFIED)
    assert sorted(entries.values_list("record_id", flat=True)) == sorted(r.pk for r in mine)
    # Again: nothing left to verify, nothing logged twice.
    assert records_verify_bulk(records=everything, by=training_office) == 0
    assert entries.count() == 2


def test_the_author_archives_a_draft_and_a_second_archive_is_harmless(draft, teacher_user):
    record_archive(record=draft, by=teacher_user)
    record_archive(record=Record.objects.get(pk=draft.pk), by=teacher_user)
    draft.refresh_from_db()
    assert draft.status == Status.ARCHIVED and draft.archived_at is not None
    assert [a for a, _ in actions(draft)].count("archived") == 1


def test_the_author_cannot_archive_a_submitted_record(submitted, teacher_user):
    with pytest.raises(ValidationError):
        record_archive(record=submitted, by=teacher_user)
    assert status_of(submitted) == Status.SUBMITTED


def test_the_training_office_archives_a_verified_record_and_it_stops_counting(
    submitted, training_office, committee_member
):
    record_verify(record=submitted, by=training_office)
    with pytest.raises(PermissionDenied):
        record_archive(record=submitted, by=committee_member)
    record_archive(record=submitted, by=training_office)
    assert status_of(submitted) == Status.ARCHIVED
    assert not Record.objects.counting().filter(pk=submitted.pk).exists()
    assert Record.objects.filter(pk=submitted.pk).exists()


def test_every_kind_reaches_its_own_row_from_the_base_record():
    from records.models import KIND_ACCESSORS, Kind, Record

    assert set(KIND_ACCESSORS) == set(Kind.values)
    for accessor in KIND_ACCESSORS.values():
        related = getattr(Record, accessor).related
        assert related.one_to_one and related.related_model._meta.parents


def test_nobody_saves_a_record_in_someone_elses_name(teacher_user, principal):
    from django.core.exceptions import PermissionDenied

    from records.models import Training
    from records.services.workflow import record_save

    record = Training(
        teacher=teacher_user.teacher, date=datetime.date(2025, 10, 1), course="校本研修", hours=3
    )
    with pytest.raises(PermissionDenied):
        record_save(record=record, by=principal)
    assert not Training.objects.exists()
    record_save(record=record, by=teacher_user)
    assert Training.objects.get().audit_entries.get().actor == teacher_user
