"""The training register feeds the annual assessment's "absent without a valid reason" rule:
absences (not approved leave) in the assessed school year set the flag by themselves; the
manual flag stays as an override with a reason (who, when, why), shown on the round page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import Grade
from assessment.services import rounds as services
from tests.factories import DesignationFactory, TeacherFactory, TrainingFactory
from training.ledger import attendance_record
from training.models import Enrolment, Programme, Session

pytestmark = pytest.mark.django_db
YEAR = 2025  # a past school year: its sessions are held


@pytest.fixture(autouse=True)
def english(school, client):
    school.language = "en"
    school.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages, as the test reads them
    with translation.override("en"):
        yield


def _session(school, day: datetime.date, theme="大单元教学") -> Session:
    programme, _ = Programme.objects.get_or_create(
        school=school, district=school.district, title="校本研修", kind="school_based",
        start_date=datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1),
        end_date=datetime.date(day.year + 1 if day.month >= 9 else day.year, 8, 31),
        hours_per_session=Decimal(3),
    )  # fmt: skip
    return Session.objects.create(
        programme=programme, date=day, starts_at=datetime.time(14), ends_at=datetime.time(16),
        theme=theme, content="内容", speaker_name="专家", hours=Decimal(3),
        published_at=timezone.now(),
    )  # fmt: skip


def _mark(session, teacher, status, by, reason=""):
    Enrolment.objects.get_or_create(programme=session.programme, teacher=teacher, origin="named")
    attendance_record(
        session=session, teacher=teacher, status=status, method="register", by=by, reason=reason
    )


def _backbone(school, n=2):
    teachers = [TeacherFactory(school=school, staff_no=f"B{i}", name=f"骨干{i}") for i in range(n)]
    for t in teachers:
        DesignationFactory(teacher=t, first_year=YEAR, last_year=YEAR + 5)
        TrainingFactory(teacher=t, status="verified", hours=72, school_based=True, year=YEAR)
    return teachers


def _open(school, principal, committee):
    return services.round_open(
        school=school, kind="annual", year=YEAR, semester=None, title="2025学年年度考核",
        committee=committee, by=principal,
    )  # fmt: skip


def _finalise(round, member, principal):
    values = {
        (e.pk, c.pk): Decimal(c.max_score) * Decimal("0.95")
        for e in round.entries.all()
        for c in round.template.components.all()
    }
    services.score_sheet_save(round=round, member=member, values=values)
    services.score_sheet_submit(round=round, member=member)
    services.round_finalise(round=round, by=principal)
    return {e.teacher_id: e for e in round.entries.all()}


def test_an_absence_in_the_register_makes_the_grade_unqualified(
    school, principal, committee_member, training_office
):
    absent, present = _backbone(school)
    session = _session(school, datetime.date(2025, 10, 14))
    _mark(session, absent, "absent", training_office)
    _mark(session, present, "present", training_office)
    round = _open(school, principal, [committee_member])
    entry = round.entries.get(teacher=absent)
    assert entry.absent_without_reason
    assert entry.register_absences == [
        {"session": session.pk, "date": "2025-10-14", "theme": "大单元教学"}
    ]
    assert not round.entries.get(teacher=present).absent_without_reason
    graded = _finalise(round, committee_member, principal)
    assert graded[absent.pk].grade == Grade.UNQUALIFIED
    assert "Absent from training without a valid reason" in graded[absent.pk].explanation
    assert graded[present.pk].grade == Grade.EXCELLENT


def test_approved_leave_late_and_other_years_do_not_count(
    school, principal, committee_member, training_office
):
    on_leave, late, last_year = _backbone(school, n=3)
    session = _session(school, datetime.date(2025, 11, 4))
    _mark(session, on_leave, "leave", training_office, reason="病假")
    _mark(session, late, "late", training_office)
    # The school year before (2024–2025) and the one after are not assessed.
    _mark(_session(school, datetime.date(2025, 6, 10)), last_year, "absent", training_office)
    _mark(_session(school, datetime.date(2026, 9, 8)), last_year, "absent", training_office)
    round = _open(school, principal, [committee_member])
    assert not any(e.absent_without_reason for e in round.entries.all())
    assert all(e.register_absences == [] for e in round.entries.all())


def test_a_corrected_register_corrects_the_flag(
    school, principal, committee_member, training_office
):
    teacher, _other = _backbone(school)
    session = _session(school, datetime.date(2025, 10, 14))
    _mark(session, teacher, "absent", training_office)
    round = _open(school, principal, [committee_member])
    assert round.entries.get(teacher=teacher).absent_without_reason
    _mark(session, teacher, "leave", training_office, reason="外出参加区教研活动")
    services.round_refresh_facts(round=round, by=principal)
    assert not round.entries.get(teacher=teacher).absent_without_reason
    # And the other way: an absence entered after the round opened counts at finalising.
    _mark(session, teacher, "absent", training_office)
    graded = _finalise(round, committee_member, principal)
    assert graded[teacher.pk].absent_without_reason
    assert graded[teacher.pk].grade == Grade.UNQUALIFIED


def test_an_override_wins_over_the_register_with_its_reason(
    school, principal, committee_member, training_office
):
    excused, flagged = _backbone(school)
    session = _session(school, datetime.date(2025, 10, 14))
    _mark(session, excused, "absent", training_office)
    round = _open(school, principal, [committee_member])
    entries = {e.teacher_id: e for e in round.entries.all()}
    with pytest.raises(ValidationError):  # an override needs its reason
        services.entry_set_absence(entry=entries[excused.pk], absent=False, by=principal)
    services.entry_set_absence(
        entry=entries[excused.pk], absent=False, reason="当天参加市级公开课执教", by=principal
    )
    services.entry_set_absence(
        entry=entries[flagged.pk], absent=True, reason="区级培训无故缺席", by=principal
    )
    services.round_refresh_facts(round=round, by=principal)  # the register is read again
    graded = _finalise(round, committee_member, principal)
    assert graded[excused.pk].grade == Grade.EXCELLENT
    assert not graded[excused.pk].absent_without_reason
    assert graded[excused.pk].register_absences  # the register still says so, overridden
    assert graded[excused.pk].absence_override_by == principal
    assert graded[excused.pk].absence_override_at is not None
    assert graded[flagged.pk].grade == Grade.UNQUALIFIED


def test_clearing_the_override_lets_the_register_decide_again(
    school, principal, committee_member, training_office
):
    teacher, _other = _backbone(school)
    _mark(_session(school, datetime.date(2025, 12, 2)), teacher, "absent", training_office)
    round = _open(school, principal, [committee_member])
    entry = round.entries.get(teacher=teacher)
    services.entry_set_absence(entry=entry, absent=False, reason="已补课", by=principal)
    assert not round.entries.get(teacher=teacher).absent_without_reason
    entry = services.entry_set_absence(entry=entry, absent=None, by=principal)
    assert entry.absent_without_reason and entry.absence_override is None
    assert entry.absence_override_reason == "" and entry.absence_override_by is None


def test_the_round_page_shows_the_register_and_the_override(
    client, school, principal, committee_member, training_office, count_queries
):
    teachers = _backbone(school, n=3)
    session = _session(school, datetime.date(2025, 10, 14), theme="作业设计专题")
    _mark(session, teachers[0], "absent", training_office)
    round = _open(school, principal, [committee_member])
    url = reverse("assessment:round", args=[round.pk])
    client.force_login(principal)
    response = client.post(
        reverse("assessment:entry_absence", args=[round.entries.get(teacher=teachers[1]).pk]),
        {"absent": "1", "reason": "区级培训三次未到"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "作业设计专题" in page and "2025-10-14" in page
    assert "区级培训三次未到" in page and "Set by hand: absent" in page
    # The committee member reads it but has no form to change it.
    client.force_login(committee_member)
    page = client.get(url).content.decode()
    assert "区级培训三次未到" in page and 'name="reason"' not in page
    client.force_login(principal)
    few = count_queries(client, url)
    for i in range(8):  # a round of 11 teachers, most of them absent, some overridden
        teacher = TeacherFactory(school=school, staff_no=f"M{i}")
        DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 5)
        _mark(session, teacher, "absent", training_office)
    bigger = _open(school, principal, [committee_member])
    assert bigger.entries.count() == 11
    for entry in bigger.entries.all()[:4]:
        services.entry_set_absence(entry=entry, absent=False, reason="补课", by=principal)
    assert count_queries(client, reverse("assessment:round", args=[bigger.pk])) == few
