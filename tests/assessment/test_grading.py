from decimal import Decimal

import pytest
from django.utils import translation

from assessment import grading
from assessment.models import Grade

COMPONENTS = [
    grading.Component(1, "理论与技能", 15, 100),
    grading.Component(2, "教育教学实践", 35, 100),
    grading.Component(3, "教科研与论文", 25, 50),
    grading.Component(4, "出勤", 10, 10),
    grading.Component(5, "学校评定的工作实绩", 15, 100),
]
THRESHOLDS = grading.Thresholds(Decimal(90), Decimal(80), Decimal(60))
MET_HOURS = grading.Facts(hours_total=Decimal(72), hours_school_based=Decimal(24))


def sheet(percent):
    """A sheet giving every component the same share of its maximum."""
    return {c.id: Decimal(c.max_score) * Decimal(percent) / 100 for c in COMPONENTS}


def grade(facts=MET_HOURS, sheets=None, cap=Grade.QUALIFIED):
    with translation.override("en"):
        return grading.grade_entry(
            components=COMPONENTS,
            sheets=sheets if sheets is not None else [sheet(95)],
            thresholds=THRESHOLDS,
            facts=facts,
            missed_core_duty_cap=cap,
        )


def test_weighted_score_averages_each_component_over_the_sheets_then_weights_it():
    a = {1: Decimal(80), 2: Decimal(90), 3: Decimal(40), 4: Decimal(10), 5: Decimal(70)}
    b = {1: Decimal(100), 2: Decimal(70), 3: Decimal(50), 4: Decimal(8), 5: Decimal(90)}
    # averages: 90/100*15 + 80/100*35 + 45/50*25 + 9/10*10 + 80/100*15
    expected = Decimal("13.5") + 28 + Decimal("22.5") + 9 + 12
    assert grading.weighted_score(components=COMPONENTS, sheets=[a, b]) == expected


def test_weighted_score_is_none_without_sheets():
    assert grading.weighted_score(components=COMPONENTS, sheets=[]) is None


def test_weighted_score_is_rounded_to_two_places():
    comps = [grading.Component(1, "a", 100, 3)]
    assert grading.weighted_score(components=comps, sheets=[{1: Decimal(1)}]) == Decimal("33.33")


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (Decimal(90), Grade.EXCELLENT),
        (Decimal("89.99"), Grade.GOOD),
        (Decimal(80), Grade.GOOD),
        (Decimal(60), Grade.QUALIFIED),
        (Decimal("59.9"), Grade.UNQUALIFIED),
    ],
)
def test_grade_by_thresholds(score, expected):
    assert grading.grade_for_score(score, THRESHOLDS) == expected


def test_no_rule_applies_and_the_explanation_says_so():
    result = grade()
    assert result.score == Decimal(95)
    assert result.grade == result.threshold_grade == Grade.EXCELLENT
    assert "Weighted score 95" in result.explanation
    assert "excellent from 90" in result.explanation
    assert "No rule changes the grade" in result.explanation


@pytest.mark.parametrize(
    ("total", "school_based"), [(Decimal(71), Decimal(30)), (Decimal(80), Decimal(23.5))]
)
def test_hours_under_72_or_school_based_under_24_cannot_be_excellent(total, school_based):
    result = grade(grading.Facts(hours_total=total, hours_school_based=school_based))
    assert result.threshold_grade == Grade.EXCELLENT
    assert result.grade == Grade.GOOD
    assert "cannot be excellent" in result.explanation
    assert "Final grade: Good" in result.explanation


def test_short_hours_do_not_touch_a_good_grade():
    result = grade(
        grading.Facts(hours_total=Decimal(10), hours_school_based=Decimal(0)), [sheet(85)]
    )
    assert result.grade == Grade.GOOD
    assert "cannot be excellent" not in result.explanation


def test_hours_are_not_checked_when_not_given():
    """Semester checks: the hours rule is per school year."""
    assert grade(grading.Facts()).grade == Grade.EXCELLENT


def test_absence_without_valid_reason_is_unqualified_whatever_the_score():
    facts = grading.Facts(
        hours_total=Decimal(72), hours_school_based=Decimal(24), absent_without_reason=True
    )
    result = grade(facts)
    assert result.grade == Grade.UNQUALIFIED
    assert "Absent from training without a valid reason" in result.explanation


def test_a_missed_core_duty_caps_the_grade_at_the_templates_cap():
    facts = grading.Facts(
        hours_total=Decimal(80), hours_school_based=Decimal(30), missed_core_duties=["公开课"]
    )
    result = grade(facts)
    assert result.grade == Grade.QUALIFIED
    assert "Core duty missed (公开课)" in result.explanation
    assert grade(facts, cap=Grade.GOOD).grade == Grade.GOOD
    assert grade(facts, cap=None).grade == Grade.EXCELLENT


def test_every_rule_applied_is_listed_in_order():
    facts = grading.Facts(
        hours_total=Decimal(50),
        hours_school_based=Decimal(10),
        missed_core_duties=["读书心得"],
        absent_without_reason=True,
    )
    steps = grade(facts).steps
    assert len(steps) == 5
    assert "cannot be excellent" in steps[1]
    assert "Core duty missed" in steps[2]
    assert "Absent" in steps[3]
    assert "Final grade: Unqualified" in steps[4]
