import datetime
from decimal import Decimal

import pytest

from assessment.services import rounds as assessment_rounds
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    OpenClassFactory,
    SchoolYearFactory,
    TeacherFactory,
    tier,
)

YEAR = 2025  # the school year the lists are about


@pytest.fixture
def records(school, other_school):
    """A school's year on record: who should and should not be proposed."""
    for s in (school, other_school):
        SchoolYearFactory(district=s.district, start_year=YEAR)
    star = TeacherFactory(school=school, staff_no="T01", name="优秀老师")
    AnnualGradeFactory(teacher=star, year=YEAR, grade=4)
    DesignationFactory(teacher=star, tier=tier(school.district, "district"), first_year=YEAR)
    achiever = TeacherFactory(school=school, staff_no="T02", name="成果老师")
    AnnualGradeFactory(teacher=achiever, year=YEAR, grade=3)
    OpenClassFactory(teacher=achiever, status="verified", level=2, year=YEAR)
    plain = TeacherFactory(school=school, staff_no="T03", name="良好老师")
    AnnualGradeFactory(teacher=plain, year=YEAR, grade=3)
    OpenClassFactory(teacher=plain, status="verified", level=1, year=YEAR)
    pending = TeacherFactory(school=school, staff_no="T04", name="待审老师")
    AnnualGradeFactory(teacher=pending, year=YEAR, grade=3)
    OpenClassFactory(teacher=pending, status="submitted", level=3, year=YEAR)
    fair = TeacherFactory(school=school, staff_no="T05", name="合格老师")
    AnnualGradeFactory(teacher=fair, year=YEAR, grade=2)
    stranger = TeacherFactory(school=other_school, staff_no="X01", name="外校老师")
    AnnualGradeFactory(teacher=stranger, year=YEAR, grade=4)
    return {"star": star, "achiever": achiever, "plain": plain, "stranger": stranger}


def scored_round(school, principal, committee, *, name="秘密老师", percent=95):
    """An annual round with one backbone teacher, scored and finalised but not posted."""
    teacher = TeacherFactory(school=school, staff_no="S01", name=name)
    DesignationFactory(teacher=teacher, first_year=YEAR, last_year=YEAR + 2)
    # Short of training hours the grade stops at good; an outcome at district level makes
    # a good grade an honours candidate.
    OpenClassFactory(teacher=teacher, status="verified", level=2, year=YEAR)
    round = assessment_rounds.round_open(
        school=school, kind="annual", year=YEAR, title="年度考核",
        committee=[committee], by=principal,
    )  # fmt: skip
    values = {
        (e.pk, c.pk): Decimal(c.max_score) * percent / 100
        for e in round.entries.all()
        for c in round.template.components.all()
    }
    assessment_rounds.score_sheet_save(round=round, member=committee, values=values)
    assessment_rounds.score_sheet_submit(round=round, member=committee)
    assessment_rounds.round_finalise(round=round, by=principal)
    return round, teacher


def post(round, principal):
    from django.utils import timezone

    today = timezone.localdate()
    assessment_rounds.round_post(
        round=round, by=principal, notice_from=today,
        notice_until=today + datetime.timedelta(days=5),
    )  # fmt: skip
