import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from assessment.models import AnnualGrade, Grade
from backbone.eligibility import evaluate, rules_for
from backbone.models import EligibilityRuleSet
from backbone.services.eligibility import (
    annual_grades_record,
    eligibility_rules_reset,
    eligibility_rules_save,
    evaluate_many,
)
from core.models import school_year_start
from teachers.models import Education, Title
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    SchoolFactory,
    TeacherFactory,
    tier,
)

TODAY = timezone.localdate()
CURRENT = school_year_start(TODAY)


def started(years_ago: int) -> datetime.date:
    """A career start giving exactly ``years_ago`` completed years of teaching today."""
    return datetime.date(TODAY.year - years_ago, 1, 1)


def label(year: int) -> str:
    return f"{year}–{year + 1}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def set_rules(school_tier, school=None, **values):
    """Replace a tier's rules (the district's, or a school's own) with exactly ``values``."""
    EligibilityRuleSet.objects.filter(tier=school_tier, school=school).delete()
    return EligibilityRuleSet.objects.create(tier=school_tier, school=school, **values)


def only_check(result):
    assert len(result.checks) == 1
    return result.checks[0]


def test_years_of_teaching_rule_counts_completed_years(school):
    set_rules(tier(school.district), min_years_teaching=5)
    junior = TeacherFactory(school=school, career_start=started(3))
    senior = TeacherFactory(school=school, career_start=started(5))
    check = only_check(evaluate(teacher=junior, tier=tier(school.district)))
    assert check.rule == "at least 5 years of teaching"
    assert not check.met and check.detail == "3 years of teaching, 5 required"
    assert evaluate(teacher=senior, tier=tier(school.district)).met


def test_rookie_track_allows_at_most_some_years(school):
    set_rules(tier(school.district), min_years_teaching=1, max_years_teaching=4)
    result = evaluate(
        teacher=TeacherFactory(school=school, career_start=started(6)), tier=tier(school.district)
    )
    assert result.summary == "1 of 2 rules met — 6 years of teaching, at most 4 allowed"


def test_education_rule_names_both_levels(school):
    set_rules(tier(school.district), min_education=Education.COLLEGE)
    teacher = TeacherFactory(school=school, education=Education.SECONDARY)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert check.rule == "education College (大专) or above"
    assert check.detail == "education Secondary vocational (中专) is below College (大专)"
    teacher.education = Education.COLLEGE
    assert evaluate(teacher=teacher, tier=tier(school.district)).met


def test_title_rule_names_both_titles(school):
    set_rules(tier(school.district), min_title=Title.FIRST)
    teacher = TeacherFactory(school=school, title=Title.SECOND)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert not check.met
    assert check.detail == (
        "title Second-grade teacher (二级教师) is below First-grade teacher (一级教师)"
    )


def test_summary_reads_rules_met_of_total_with_the_reasons(school):
    set_rules(
        tier(school.district),
        min_years_teaching=5,
        min_education=Education.COLLEGE,
        min_title=Title.FIRST,
        no_unqualified_in_term=True,
    )
    teacher = TeacherFactory(school=school, career_start=started(10), title=Title.SECOND)
    result = evaluate(teacher=teacher, tier=tier(school.district))
    assert not result.met
    assert result.summary == (
        "3 of 4 rules met — title Second-grade teacher (二级教师) is below "
        "First-grade teacher (一级教师)"
    )
    teacher.title = Title.FIRST
    assert evaluate(teacher=teacher, tier=tier(school.district)).summary == "4 of 4 rules met"


def test_no_rules_means_eligible(school):
    EligibilityRuleSet.objects.filter(tier=tier(school.district)).delete()
    result = evaluate(teacher=TeacherFactory(school=school), tier=tier(school.district))
    assert result.met and result.summary == "No rules set: eligible"


def test_last_two_annual_grades_must_reach_the_minimum(school):
    set_rules(tier(school.district), min_recent_grade=Grade.GOOD)
    teacher = TeacherFactory(school=school)
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 2, grade=Grade.EXCELLENT)
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 1, grade=Grade.GOOD)
    # The current year's grade is not one of "the last two school years".
    AnnualGradeFactory(teacher=teacher, year=CURRENT, grade=Grade.UNQUALIFIED)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert check.met
    assert check.rule == "annual grade Good (良好) or better in each of the last two school years"

    AnnualGrade.objects.filter(teacher=teacher, year=CURRENT - 1).update(grade=Grade.QUALIFIED)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert not check.met
    assert check.detail == (
        f"annual grade below Good (良好): {label(CURRENT - 1)} Qualified (合格)"
    )


def test_a_missing_annual_grade_fails_the_grade_rule(school):
    set_rules(tier(school.district), min_recent_grade=Grade.QUALIFIED)
    teacher = TeacherFactory(school=school)
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 1, grade=Grade.UNQUALIFIED)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert not check.met
    assert check.detail == (
        f"annual grade below Qualified (合格): {label(CURRENT - 1)} Unqualified (不合格); "
        f"no annual grade for {label(CURRENT - 2)}"
    )


def test_unqualified_during_the_current_term_fails(school):
    set_rules(tier(school.district), no_unqualified_in_term=True)
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, first_year=CURRENT - 1, last_year=CURRENT)
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 2, grade=Grade.UNQUALIFIED)
    # Before the term began: forgiven.
    assert evaluate(teacher=teacher, tier=tier(school.district)).met
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 1, grade=Grade.UNQUALIFIED)
    check = only_check(evaluate(teacher=teacher, tier=tier(school.district)))
    assert not check.met
    assert check.detail == f"unqualified in {label(CURRENT - 1)}"


def test_without_a_designation_the_term_is_the_last_three_years(school):
    set_rules(tier(school.district), no_unqualified_in_term=True)
    teacher = TeacherFactory(school=school)
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 3, grade=Grade.UNQUALIFIED)
    assert evaluate(teacher=teacher, tier=tier(school.district)).met
    AnnualGradeFactory(teacher=teacher, year=CURRENT - 2, grade=Grade.UNQUALIFIED)
    result = evaluate(teacher=teacher, tier=tier(school.district))
    assert result.summary == f"0 of 1 rules met — unqualified in {label(CURRENT - 2)}"


def test_holding_the_tier_below_is_required_when_asked(school):
    municipal = tier(school.district, "municipal")
    set_rules(municipal, requires_tier_below=True)
    holder = TeacherFactory(school=school)
    DesignationFactory(
        teacher=holder,
        tier=tier(school.district, "district"),
        first_year=CURRENT,
        last_year=CURRENT + 2,
    )
    school_level = TeacherFactory(school=school)
    DesignationFactory(teacher=school_level, first_year=CURRENT, last_year=CURRENT + 1)
    expired = TeacherFactory(school=school)
    DesignationFactory(
        teacher=expired,
        tier=tier(school.district, "district"),
        first_year=CURRENT - 4,
        last_year=CURRENT - 2,
    )
    assert evaluate(teacher=holder, tier=municipal).met
    check = only_check(evaluate(teacher=school_level, tier=municipal))
    assert check.rule == "currently holds District-level backbone"
    assert check.detail == "does not currently hold District-level backbone"
    assert not evaluate(teacher=expired, tier=municipal).met


def test_a_schools_own_rules_override_the_district_default_for_the_school_tier(school):
    school_tier = tier(school.district)
    sibling = SchoolFactory(district=school.district)
    set_rules(school_tier, min_years_teaching=5)
    set_rules(school_tier, school=school, min_years_teaching=10)
    here = TeacherFactory(school=school, career_start=started(8))
    there = TeacherFactory(school=sibling, career_start=started(8))
    assert rules_for(tier=school_tier, school=school).school == school
    assert evaluate(teacher=here, tier=school_tier).summary == (
        "0 of 1 rules met — 8 years of teaching, 10 required"
    )
    assert evaluate(teacher=there, tier=school_tier).met


def test_a_school_row_never_overrides_a_district_designated_tier(school):
    district_tier = tier(school.district, "district")
    set_rules(district_tier, min_years_teaching=5)
    set_rules(district_tier, school=school, min_years_teaching=30)
    assert rules_for(tier=district_tier, school=school).school is None
    assert evaluate(
        teacher=TeacherFactory(school=school, career_start=started(8)), tier=district_tier
    ).met


@pytest.fixture
def varied_roster(school):
    """Teachers across two schools (one with its own school-tier rules), with grades and
    designations of every kind."""
    district = school.district
    sibling = SchoolFactory(district=district)
    set_rules(tier(district), school=school, min_years_teaching=3, min_recent_grade=Grade.QUALIFIED)
    teachers = []
    for i, s in enumerate([school, sibling] * 6):
        t = TeacherFactory(
            school=s,
            career_start=started(2 + 2 * i),
            education=[Education.SECONDARY, Education.COLLEGE, Education.BACHELOR][i % 3],
            title=[Title.SECOND, Title.FIRST, Title.SENIOR][i % 3],
        )
        teachers.append(t)
        for back, grade in zip((1, 2, 3), [(i + k) % 4 + 1 for k in range(3)], strict=True):
            if (i + back) % 5:  # leave some grades missing
                AnnualGradeFactory(teacher=t, year=CURRENT - back, grade=grade)
        code = ["school", "district", "municipal", None][i % 4]
        if code:
            DesignationFactory(
                teacher=t,
                tier=tier(district, code),
                first_year=CURRENT - (i % 3),
                last_year=CURRENT + 1,
            )
        if i % 5 == 0:
            DesignationFactory(
                teacher=t,
                tier=tier(district),
                first_year=CURRENT - 5,
                last_year=CURRENT - 3,
                status="expired",
            )
    return teachers


@pytest.mark.parametrize("code", ["school", "district", "municipal", "provincial"])
def test_evaluate_many_gives_the_same_results_as_evaluate(school, varied_roster, code):
    tier_ = tier(school.district, code)
    many = evaluate_many(teachers=varied_roster, tier=tier_)
    assert set(many) == {t.pk for t in varied_roster}
    for teacher in varied_roster:
        single = evaluate(teacher=teacher, tier=tier_)
        assert many[teacher.pk] == single
        assert many[teacher.pk].summary == single.summary
    assert not all(e.met for e in many.values())
    if code == "school":
        assert any(e.met for e in many.values())


def test_evaluate_many_takes_a_fixed_number_of_queries(school):
    municipal = tier(school.district, "municipal")  # grades, holdings and the tier below

    def queries(n):
        teachers = TeacherFactory.create_batch(n, school=school)
        for t in teachers:
            AnnualGradeFactory(teacher=t, year=CURRENT - 1)
            DesignationFactory(
                teacher=t,
                tier=tier(school.district, "district"),
                first_year=CURRENT,
                last_year=CURRENT + 2,
            )
        with CaptureQueriesContext(connection) as ctx:
            evaluate_many(teachers=teachers, tier=municipal)
        return len(ctx.captured_queries)

    assert queries(5) == queries(40) <= 4


def test_saving_rules_records_who_changed_them(school, principal, district_office):
    school_tier = tier(school.district)
    own = eligibility_rules_save(
        tier=school_tier, school=school, values={"min_years_teaching": 3}, by=principal
    )
    assert own.school == school and own.updated_by == principal
    assert own.min_years_teaching == 3
    again = eligibility_rules_save(
        tier=school_tier, school=school, values={"min_years_teaching": 4}, by=principal
    )
    assert again.pk == own.pk and again.min_years_teaching == 4
    default = eligibility_rules_save(
        tier=tier(school.district, "municipal"),
        school=None,
        values={"min_years_teaching": 12},
        by=district_office,
    )
    assert default.school is None and default.updated_by == district_office
    assert (
        EligibilityRuleSet.objects.filter(tier__district=school.district, school=None).count() == 4
    )


def test_rules_refuse_inconsistent_values(school, principal):
    with pytest.raises(ValidationError):
        eligibility_rules_save(
            tier=tier(school.district),
            school=school,
            values={"min_years_teaching": 5, "max_years_teaching": 2},
            by=principal,
        )
    with pytest.raises(ValidationError):  # a school cannot set rules for a bureau's tier
        eligibility_rules_save(
            tier=tier(school.district, "district"), school=school, values={}, by=principal
        )
    with pytest.raises(ValidationError):  # nothing below the lowest tier
        eligibility_rules_save(
            tier=tier(school.district),
            school=None,
            values={"requires_tier_below": True},
            by=principal,
        )


def test_resetting_a_schools_rules_returns_to_the_district_default(school, principal):
    school_tier = tier(school.district)
    eligibility_rules_save(
        tier=school_tier, school=school, values={"min_years_teaching": 1}, by=principal
    )
    assert eligibility_rules_reset(tier=school_tier, school=school, by=principal)
    assert not eligibility_rules_reset(tier=school_tier, school=school, by=principal)
    assert rules_for(tier=school_tier, school=school).school is None


def test_recording_annual_grades_writes_only_changes(school, other_school, principal):
    a, b, c = TeacherFactory.create_batch(3, school=school)
    AnnualGradeFactory(teacher=c, year=CURRENT - 1, grade=Grade.GOOD)
    changed = annual_grades_record(
        school=school,
        year=CURRENT - 1,
        grades={a.pk: Grade.EXCELLENT, b.pk: None, c.pk: Grade.GOOD},
        by=principal,
    )
    assert changed == 1
    record = AnnualGrade.objects.get(teacher=a, year=CURRENT - 1)
    assert record.grade == Grade.EXCELLENT and record.recorded_by == principal
    assert (
        annual_grades_record(school=school, year=CURRENT - 1, grades={c.pk: None}, by=principal)
        == 1
    )
    assert not AnnualGrade.objects.filter(teacher=c).exists()
    stranger = TeacherFactory(school=other_school)
    with pytest.raises(ValidationError):
        annual_grades_record(
            school=school, year=CURRENT - 1, grades={stranger.pk: Grade.GOOD}, by=principal
        )
