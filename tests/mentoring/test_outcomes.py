"""Mentoring outcomes: an apprentice's later designation, competition prize or paper award is
credited to the mentor, with the dates that prove the link; nothing from before the pairing."""

import datetime

import pytest
from django.urls import reverse

from core.models import Role
from mentoring.models import Pairing
from mentoring.outcomes import mentor_outcomes, outcomes_for_mentors
from records.models import Paper
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    TeacherFactory,
    tier,
    user_with_role,
)

START = datetime.date(2024, 9, 1)
D = datetime.date


@pytest.fixture
def mentor(school):
    user = user_with_role(Role.TEACHER, school=school, username="mentor")
    return TeacherFactory(school=school, user=user, name="王建国")


@pytest.fixture
def apprentice(school):
    return TeacherFactory(school=school, name="李小梅")


def make_pairing(mentor, apprentice, *, status=Pairing.Status.COMPLETED, start=START, **extra):
    return Pairing.objects.create(
        school=mentor.school, mentor=mentor, apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL, status=status, start_date=start,
        end_date=D(start.year + 1, 8, 31), goals="g", mentor_duties="m",
        apprentice_duties="a", **extra,
    )  # fmt: skip


def designate(teacher, *, on, first_year, code="school", **extra):
    return DesignationFactory(
        teacher=teacher, tier=tier(teacher.school.district, code), designated_on=on,
        first_year=first_year, last_year=first_year + 1, **extra,
    )  # fmt: skip


def award_paper(teacher, *, on, status="verified", progress=Paper.Progress.AWARDED):
    return Paper.objects.create(
        teacher=teacher, date=on, year=on.year, result_kind="paper",
        paper_title="小学数学课堂提问的研究", progress=progress, status=status,
        award_level=2, prize=Paper.Prize.FIRST,
    )  # fmt: skip


def test_a_later_designation_is_credited_with_the_dates_that_prove_it(mentor, apprentice):
    pairing = make_pairing(mentor, apprentice)
    designation = designate(apprentice, on=D(2025, 8, 20), first_year=2025, code="district")

    [outcome] = mentor_outcomes(mentor=mentor)

    assert outcome.kind == "designation"
    assert outcome.apprentice == apprentice
    assert outcome.designation_id == designation.pk
    assert (outcome.pairing_id, outcome.pairing_start, outcome.pairing_end) == (
        pairing.pk,
        START,
        D(2025, 8, 31),
    )
    assert outcome.achieved_on == D(2025, 8, 20)
    assert outcome.days_after_start > 0


def test_a_designation_before_the_pairing_is_not_credited(mentor, apprentice):
    make_pairing(mentor, apprentice)
    designate(apprentice, on=D(2024, 6, 30), first_year=2023)

    assert mentor_outcomes(mentor=mentor) == []


def test_a_designation_recorded_late_counts_from_its_first_school_year(mentor, apprentice):
    """An import today of a designation that began in 2022 is not a new achievement."""
    make_pairing(mentor, apprentice)
    designate(apprentice, on=D(2025, 3, 1), first_year=2022, source="import")

    assert mentor_outcomes(mentor=mentor) == []


def test_a_revoked_designation_and_pairings_that_never_ran_are_not_credited(
    school, mentor, apprentice
):
    make_pairing(mentor, apprentice)
    designate(apprentice, on=D(2025, 8, 20), first_year=2025, status="revoked")
    other = TeacherFactory(school=school)
    make_pairing(mentor, other, status=Pairing.Status.DECLINED)
    designate(other, on=D(2025, 8, 20), first_year=2025)

    assert mentor_outcomes(mentor=mentor) == []


def test_verified_competition_prizes_and_paper_awards_are_credited(mentor, apprentice):
    make_pairing(mentor, apprentice, status=Pairing.Status.ACTIVE)
    won = OpenClassFactory(teacher=apprentice, class_kind="competition", prize="一等奖",
                           status="verified", date=D(2025, 4, 10))  # fmt: skip
    OpenClassFactory(teacher=apprentice, class_kind="competition", prize="二等奖",
                     status="submitted", date=D(2025, 4, 11))  # not verified  # fmt: skip
    OpenClassFactory(teacher=apprentice, class_kind="competition", prize="",
                     status="verified", date=D(2025, 4, 12))  # no prize  # fmt: skip
    OpenClassFactory(teacher=apprentice, class_kind="competition", prize="一等奖",
                     status="verified", date=D(2024, 5, 1))  # before  # fmt: skip
    paper = award_paper(apprentice, on=D(2025, 6, 1))
    award_paper(apprentice, on=D(2025, 6, 2), progress=Paper.Progress.PUBLISHED)

    outcomes = mentor_outcomes(mentor=mentor)

    assert [(o.kind, o.record_id) for o in outcomes] == [
        ("paper", paper.pk),
        ("competition", won.pk),
    ]
    assert outcomes[1].detail == "一等奖"
    assert outcomes[1].achieved_on == D(2025, 4, 10)


def test_a_renewed_pairing_credits_an_outcome_once(mentor, apprentice):
    first = make_pairing(mentor, apprentice)
    make_pairing(mentor, apprentice, start=D(2025, 9, 1), renewed_from=first)
    designate(apprentice, on=D(2026, 8, 20), first_year=2026)

    [outcome] = mentor_outcomes(mentor=mentor)

    assert outcome.pairing_id == first.pk


def test_outcomes_for_many_mentors_take_a_constant_number_of_queries(
    school, django_assert_num_queries
):
    mentors = []
    for n in range(6):
        mentor, apprentice = TeacherFactory(school=school), TeacherFactory(school=school)
        make_pairing(mentor, apprentice)
        designate(apprentice, on=D(2025, 8, 20), first_year=2025)
        award_paper(apprentice, on=D(2025, 6, n + 1))
        mentors.append(mentor)

    with django_assert_num_queries(4):
        result = outcomes_for_mentors(mentors=mentors)

    assert all(len(result[m.pk]) == 2 for m in mentors)


def test_the_mentors_pages_show_mentoring_outcomes(mentor, apprentice, login, principal):
    pairing = make_pairing(mentor, apprentice)
    designate(apprentice, on=D(2025, 8, 20), first_year=2025, code="district")

    listing = login(mentor.user).get(reverse("mentoring:list")).content.decode()
    detail = login(principal).get(reverse("mentoring:detail", args=[pairing.pk])).content.decode()

    for page in (listing, detail):
        assert 'id="outcomes"' in page
        assert 'data-outcome="designation"' in page
        assert "2025-08-20" in page and "2024-09-01" in page
    table = login(principal).get(reverse("mentoring:mentors")).context["mentors"]
    assert next(m for m in table if m.pk == mentor.pk).outcome_count == 1
