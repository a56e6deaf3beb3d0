import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assessment.models import (
    AnnualGrade,
    AssessmentRound,
    AssessmentTemplate,
    DutyReport,
    DutyTemplate,
    Grade,
)
from assessment.services import rounds as services
from assessment.services import templates as template_services
from backbone.eligibility import evaluate
from backbone.models import Designation, EligibilityRuleSet
from core.models import Role
from mentoring.models import Pairing
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    OpenClassFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
    user_with_role,
)

YEAR = 2025  # the previous school year: today is in 2026–2027 or later
Status = AssessmentRound.Status


@pytest.fixture(autouse=True)
def english(school):
    """Grade explanations are written in the school's language; these tests read English."""
    school.language = "en"
    school.save()
    with translation.override("en"):
        yield


@pytest.fixture
def backbone(school):
    """Two backbone teachers with a current school-tier designation."""
    teachers = [TeacherFactory(school=school, staff_no=f"B{i}", name=f"骨干{i}") for i in (1, 2)]
    for teacher in teachers:
        DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 5)
    return teachers


def open_round(school, by, committee, *, kind="annual", semester=None, **extra):
    return services.round_open(
        school=school,
        kind=kind,
        year=YEAR,
        semester=semester,
        title="2025学年骨干教师年度考核",
        committee=committee,
        by=by,
        **extra,
    )


def score(round, member, percent, *, submit=True):
    """Every entry, every component at ``percent`` of its maximum."""
    values = {
        (entry.pk, c.pk): Decimal(c.max_score) * Decimal(percent) / 100
        for entry in round.entries.all()
        for c in round.template.components.all()
    }
    services.score_sheet_save(round=round, member=member, values=values)
    if submit:
        services.score_sheet_submit(round=round, member=member)


def met_hours(teacher):
    TrainingFactory(teacher=teacher, year=YEAR, hours=72, school_based=True, status="verified")


# -- templates -----------------------------------------------------------------------------------
def test_default_templates_have_the_domain_components_and_thresholds(school):
    annual, semester = template_services.assessment_templates_ensure_defaults(
        district=school.district, year=YEAR
    )
    assert [(c.name, c.weight) for c in annual.components.all()] == [
        ("理论与技能", 15),
        ("教育教学实践", 35),
        ("教科研与论文", 25),
        ("出勤", 10),
        ("学校评定的工作实绩", 15),
    ]
    assert (annual.excellent_from, annual.good_from, annual.qualified_from) == (90, 80, 60)
    assert annual.missed_core_duty_cap == Grade.QUALIFIED
    assert semester.kind == AssessmentTemplate.Kind.SEMESTER
    again = template_services.assessment_templates_ensure_defaults(
        district=school.district, year=YEAR
    )
    assert [t.pk for t in again] == [annual.pk, semester.pk]


def test_editing_a_template_used_by_a_round_creates_a_new_version(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    used = round.template
    rows = [{"name": "全部", "weight": 100, "max_score": 100}]
    new = template_services.assessment_template_update(
        school=school, kind="annual", year=YEAR + 1, excellent_from=Decimal(85),
        good_from=Decimal(75), qualified_from=Decimal(60), missed_core_duty_cap=None,
        components=rows, by=principal,
    )  # fmt: skip
    assert new.pk != used.pk and new.school == school and new.valid_from == YEAR + 1
    used.refresh_from_db()
    assert used.components.count() == 5  # the past is not rewritten
    assert template_services.template_for(school=school, kind="annual", year=YEAR) == used
    assert template_services.template_for(school=school, kind="annual", year=YEAR + 1) == new
    with pytest.raises(ValidationError, match="add up to 90"):
        template_services.assessment_template_update(
            school=school, kind="annual", year=YEAR + 1, excellent_from=Decimal(85),
            good_from=Decimal(75), qualified_from=Decimal(60), missed_core_duty_cap=None,
            components=[{"name": "a", "weight": 90}], by=principal,
        )  # fmt: skip


# -- opening -------------------------------------------------------------------------------------
def test_opening_a_round_lists_backbone_teachers_with_prefilled_facts(
    school, principal, committee_member, backbone
):
    other = TeacherFactory(school=school, staff_no="X1")  # no designation
    first = backbone[0]
    met_hours(first)
    TrainingFactory(teacher=first, year=YEAR, hours=4, school_based=False, status="submitted")
    OpenClassFactory(teacher=first, year=YEAR, status="verified")
    OpenClassFactory(teacher=first, year=YEAR, status="submitted")  # not counted
    Pairing.objects.create(
        school=school, mentor=first, apprentice=other, origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE, start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2027, 7, 1), goals="g", mentor_duties="m", apprentice_duties="a",
    )  # fmt: skip
    DutyReport.objects.create(teacher=first, year=YEAR, text="本学年我上了公开课。")

    round = open_round(school, principal, [committee_member])

    entries = {e.teacher_id: e for e in round.entries.all()}
    assert set(entries) == {t.pk for t in backbone}
    facts = entries[first.pk].facts
    assert facts["hours"] == {
        "total": "72", "school_based": "72", "met": True, "school_based_exempt": False,
    }  # fmt: skip
    assert facts["training_absences"] == []
    assert facts["records"] == {"open_class": 1, "training": 1}
    assert facts["mentoring"] == 1
    assert facts["duty_report"] == {"text": "本学年我上了公开课。", "submitted": False}
    assert entries[backbone[1].pk].facts["hours"]["met"] is False


def test_a_round_may_take_all_active_teachers(school, principal, committee_member, backbone):
    TeacherFactory(school=school)
    round = open_round(school, principal, [committee_member], all_teachers=True)
    assert round.entries.count() == 3


def test_opening_refuses_committee_members_of_another_school_and_non_managers(
    school, principal, committee_member, outsider, backbone
):
    with pytest.raises(ValidationError) as exc:
        open_round(school, principal, [outsider])
    assert "committee" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        open_round(school, committee_member, [committee_member])


# -- scoring and finalising ----------------------------------------------------------------------
def test_a_sheet_is_submitted_only_when_complete_and_is_final(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    entry = round.entries.first()
    component = round.template.components.first()
    services.score_sheet_save(
        round=round, member=committee_member, values={(entry.pk, component.pk): 80}
    )
    with pytest.raises(ValidationError, match="9 scores are missing"):
        services.score_sheet_submit(round=round, member=committee_member)
    score(round, committee_member, 80)
    with pytest.raises(ValidationError, match="submitted and is final"):
        score(round, committee_member, 90)
    with pytest.raises(PermissionDenied):
        score(round, principal, 90)  # not on the committee


def test_finalising_grades_every_entry_from_the_submitted_sheets(
    school, principal, committee_member, training_office, backbone
):
    for teacher in backbone:
        met_hours(teacher)
    round = open_round(school, principal, [committee_member, training_office])
    score(round, committee_member, 96)
    score(round, training_office, 90)
    with pytest.raises(PermissionDenied):
        services.round_finalise(round=round, by=training_office)  # the principal finalises

    entries = services.round_finalise(round=round, by=principal)

    round.refresh_from_db()
    assert round.status == Status.FINALISED and round.finalised_by == principal
    for entry in entries:
        entry.refresh_from_db()
        assert entry.score == Decimal(93)
        assert entry.grade == Grade.EXCELLENT
        assert "Weighted score 93" in entry.explanation


def test_finalising_without_a_submitted_sheet_is_refused(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 90, submit=False)
    with pytest.raises(ValidationError, match="No committee member"):
        services.round_finalise(round=round, by=principal)


def test_finalising_twice_changes_nothing(school, principal, committee_member, backbone):
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 85)
    services.round_finalise(round=round, by=principal)
    first = list(AnnualGrade.objects.values_list("teacher_id", "grade", "round_id", "recorded_at"))
    entries = services.round_finalise(round=round, by=principal)
    assert len(entries) == 2
    assert (
        list(AnnualGrade.objects.values_list("teacher_id", "grade", "round_id", "recorded_at"))
        == first
    )
    assert AnnualGrade.objects.count() == 2


def test_short_hours_cap_at_good_with_the_reason(school, principal, committee_member, backbone):
    met_hours(backbone[0])
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 95)
    services.round_finalise(round=round, by=principal)
    graded = {e.teacher_id: e for e in round.entries.all()}
    assert graded[backbone[0].pk].grade == Grade.EXCELLENT
    short = graded[backbone[1].pk]
    assert short.grade == Grade.GOOD
    assert "Training hours 0" in short.explanation and "cannot be excellent" in short.explanation


def test_a_missed_core_duty_caps_the_grade(school, principal, committee_member, backbone):
    DutyTemplate.objects.create(
        district=school.district, tier=tier(school.district), kind="open_class", required=1,
        period="year", is_core=True, valid_from=YEAR,
    )  # fmt: skip
    OpenClassFactory(teacher=backbone[0], year=YEAR, status="verified")
    for teacher in backbone:
        met_hours(teacher)
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 95)
    services.round_finalise(round=round, by=principal)
    graded = {e.teacher_id: e for e in round.entries.all()}
    assert graded[backbone[0].pk].grade == Grade.EXCELLENT
    missed = graded[backbone[1].pk]
    assert missed.grade == Grade.QUALIFIED
    assert "Core duty missed" in missed.explanation


def test_a_semester_check_writes_no_annual_grade(school, principal, committee_member, backbone):
    round = open_round(school, principal, [committee_member], kind="semester", semester=1)
    assert round.template.kind == "semester"
    score(round, committee_member, 95)
    services.round_finalise(round=round, by=principal)
    assert not AnnualGrade.objects.exists()
    assert round.entries.filter(grade=Grade.EXCELLENT).count() == 2  # no hours rule


# -- consequences --------------------------------------------------------------------------------
def test_annual_grades_replace_hand_entered_ones_and_feed_eligibility(
    school, principal, committee_member, backbone
):
    teacher = backbone[0]
    district_tier = tier(school.district, "district")
    EligibilityRuleSet.objects.update_or_create(
        tier=district_tier, school=None,
        defaults={"min_years_teaching": None, "max_years_teaching": None, "min_education": None,
                  "min_title": None, "min_recent_grade": Grade.GOOD,
                  "no_unqualified_in_term": False, "requires_tier_below": False},
    )  # fmt: skip
    AnnualGradeFactory(teacher=teacher, year=YEAR - 1, grade=Grade.GOOD)
    AnnualGradeFactory(teacher=teacher, year=YEAR, grade=Grade.EXCELLENT, note="by hand")
    assert evaluate(teacher=teacher, tier=district_tier).met

    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 70)  # qualified
    services.round_finalise(round=round, by=principal)

    grade = AnnualGrade.objects.get(teacher=teacher, year=YEAR)
    assert (grade.grade, grade.round, grade.note) == (Grade.QUALIFIED, round, "")
    assert AnnualGrade.objects.filter(teacher=teacher).count() == 2
    result = evaluate(teacher=teacher, tier=district_tier)
    assert not result.met
    assert "annual grade below" in result.summary


def test_unqualified_flags_the_designation_and_the_principal_confirms_the_revocation(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    absent = round.entries.get(teacher=backbone[0])
    services.entry_set_absence(entry=absent, absent=True, reason="无故缺席", by=principal)
    score(round, committee_member, 95)
    services.round_finalise(round=round, by=principal)

    absent.refresh_from_db()
    assert absent.grade == Grade.UNQUALIFIED
    assert "Absent from training without a valid reason" in absent.explanation
    flagged = Designation.objects.get(teacher=backbone[0])
    assert flagged.flagged_at is not None
    assert "Unqualified in the annual assessment 2025" in flagged.flag_reason
    assert Designation.objects.get(teacher=backbone[1]).flagged_at is None

    with pytest.raises(PermissionDenied):
        services.designation_flag_confirm(
            designation=flagged, by=user_with_role(Role.TRAINING_OFFICE, school=school)
        )
    revoked = services.designation_flag_confirm(designation=flagged, by=principal)
    assert revoked.status == Designation.Status.REVOKED
    assert revoked.closed_reason == flagged.flag_reason


def test_the_principal_may_keep_a_flagged_designation(
    school, principal, committee_member, backbone
):
    designation = Designation.objects.get(teacher=backbone[0])
    designation.flagged_at, designation.flag_reason = timezone.now(), "不合格"
    designation.save()
    kept = services.designation_flag_clear(designation=designation, by=principal)
    assert kept.flagged_at is None and kept.status == Designation.Status.ACTIVE


# -- posting and locking -------------------------------------------------------------------------
def test_posting_then_locking_makes_the_round_read_only(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 85)
    with pytest.raises(ValidationError, match="after the round is finalised"):
        services.round_post(
            round=round, by=principal, notice_from=timezone.localdate(),
            notice_until=timezone.localdate(),
        )  # fmt: skip
    services.round_finalise(round=round, by=principal)
    today = timezone.localdate()
    services.round_post(
        round=round, by=principal, notice_from=today, notice_until=today + datetime.timedelta(5)
    )
    round.refresh_from_db()
    assert round.status == Status.POSTED
    services.round_lock(round=round, by=principal)
    services.round_lock(round=round, by=principal)  # harmless
    round.refresh_from_db()
    assert round.status == Status.LOCKED
    entry = round.entries.first()
    with pytest.raises(ValidationError, match="locked"):
        services.round_post(round=round, by=principal, notice_from=today, notice_until=today)
    with pytest.raises(ValidationError, match="locked"):
        services.round_finalise(round=round, by=principal)
    with pytest.raises(ValidationError, match="locked"):
        services.entry_set_absence(entry=entry, absent=True, reason="无故缺席", by=principal)
    with pytest.raises(ValidationError, match="locked"):
        score(round, committee_member, 50)


def test_posted_results_lock_themselves_after_the_notice(
    school, principal, committee_member, backbone
):
    round = open_round(school, principal, [committee_member])
    score(round, committee_member, 85)
    services.round_finalise(round=round, by=principal)
    past = timezone.localdate() - datetime.timedelta(days=10)
    AssessmentRound.objects.filter(pk=round.pk).update(
        finalised_at=timezone.now() - datetime.timedelta(days=11)
    )
    services.round_post(
        round=round, by=principal, notice_from=past, notice_until=past + datetime.timedelta(3)
    )
    with pytest.raises(ValidationError, match="locked"):
        services.round_post(round=round, by=principal, notice_from=past, notice_until=past)
    assert services.rounds_lock_expired() == 1
    round.refresh_from_db()
    assert round.status == Status.LOCKED


# -- the duty report -----------------------------------------------------------------------------
def test_the_duty_report_is_editable_until_submitted(teacher_user):
    teacher = teacher_user.teacher
    services.duty_report_save(teacher=teacher, year=YEAR, text="草稿", by=teacher_user)
    report = services.duty_report_save(
        teacher=teacher, year=YEAR, text="定稿", by=teacher_user, submit=True
    )
    assert report.text == "定稿" and report.submitted_at is not None
    with pytest.raises(ValidationError, match="final"):
        services.duty_report_save(teacher=teacher, year=YEAR, text="改", by=teacher_user)
    other = user_with_role(Role.TEACHER, school=teacher.school)
    with pytest.raises(PermissionDenied):
        services.duty_report_save(teacher=teacher, year=YEAR + 1, text="x", by=other)
