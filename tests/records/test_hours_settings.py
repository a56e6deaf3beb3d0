"""The training-hours thresholds come from one setting pair, read by the meter, the
assessment's hours rule and the default duty of a district."""

from decimal import Decimal

import pytest
from django.test import override_settings

from assessment.grading import Facts, hours_rule
from assessment.models import DutyKind, Grade
from assessment.services.duties import default_duties
from records.hours import Hours


def test_the_meter_reads_the_settings():
    assert Hours(total=Decimal(72), school_based=Decimal(24)).met
    with override_settings(TRAINING_HOURS_PER_YEAR=90, TRAINING_SCHOOL_BASED_HOURS=30):
        hours = Hours(total=Decimal(72), school_based=Decimal(24))
        assert not hours.met and hours.shortfall == 18 and hours.school_based_short == 6


@pytest.mark.parametrize("level", [1, 3])
def test_the_default_duty_of_a_district_reads_the_same_settings(level):
    with override_settings(TRAINING_HOURS_PER_YEAR=90, TRAINING_SCHOOL_BASED_HOURS=30):
        duty = next(d for d in default_duties(level) if d[0] == DutyKind.TRAINING_HOURS)
    assert (duty[1], duty[4]) == (90, 30)


def test_the_assessment_hours_rule_reads_the_same_settings():
    facts = Facts(hours_total=Decimal(80), hours_school_based=Decimal(25))

    assert hours_rule(Grade.EXCELLENT, facts)[0] == Grade.EXCELLENT
    with override_settings(TRAINING_HOURS_PER_YEAR=90):
        grade, reason = hours_rule(Grade.EXCELLENT, facts)
    assert grade == Grade.GOOD and "90" in reason
