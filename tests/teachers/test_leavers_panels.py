"""A leaver leaves every scoring panel of the school they left: they score no more, their
draft never counts, no round waits for their sheet; panels of another school they still sit on
stay."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backbone.models import SelectionRound
from core.models import Role, RoleAssignment
from scoring.models import PanelMember
from scoring.selectors import aggregate, owing_a_sheet
from teachers.services import teacher_save
from tests.assessment import test_round_views as assessment
from tests.backbone import test_rounds_services as rounds
from tests.factories import SchoolFactory, TeacherFactory, user_with_role

scoring_round = rounds.scoring_round
member2 = rounds.member2
staff = rounds.staff


def leave(teacher):
    teacher.is_active, teacher.left_on = False, datetime.date(2025, 7, 15)
    teacher_save(teacher=teacher)


@pytest.fixture
def other_round(school, committee_member):
    """A round at another school of the district, with the member on its committee too."""
    other = SchoolFactory(district=school.district)
    RoleAssignment.objects.create(user=committee_member, role=Role.COMMITTEE, school=other)
    principal = user_with_role(Role.PRINCIPAL, school=other, username="principal-b")
    nominee = TeacherFactory(school=other, name="乙校候选")
    round = rounds.open_round(school=other, by=principal, committee=[committee_member])
    rounds.services.candidate_nominate(round=round, teacher=nominee, by=principal)
    rounds.services.round_close_applications(round=round, by=principal)
    return rounds.reload(round)


def test_a_leaver_leaves_the_schools_panels_and_scores_no_more(
    school, committee_member, member2, scoring_round, other_round
):
    candidates = rounds.candidates_of(scoring_round)
    scores = {candidates["王芳"]: [9, 90], candidates["刘洋"]: [8, 80], candidates["陈静"]: [7, 70]}
    rounds.score(scoring_round, committee_member, scores, submit=False)  # a draft
    rounds.score(scoring_round, member2, scores)
    owed = SelectionRound.objects.filter(pk__in=[scoring_round.pk, other_round.pk])
    assert set(owing_a_sheet(owed, user=committee_member)) == {scoring_round, other_round}

    leave(TeacherFactory(school=school, user=committee_member, name="赵老师"))

    gone = PanelMember.objects.get(panel=scoring_round.panel, user=committee_member)
    assert gone.left_at is not None
    # No sheet is owed any more, and none can be saved or submitted.
    assert list(owing_a_sheet(owed, user=committee_member)) == [other_round]
    with pytest.raises((PermissionDenied, ValidationError)):
        rounds.score(scoring_round, committee_member, scores)
    with pytest.raises((PermissionDenied, ValidationError)):
        rounds.services.score_sheet_submit(round=scoring_round, member=committee_member)
    # Only the other member's sheet counts.
    assert [s.member for s in aggregate(panel=scoring_round.panel).sheets] == [member2]
    # The panel of the school they still serve is untouched.
    stays = PanelMember.objects.get(panel=other_round.panel, user=committee_member)
    assert stays.left_at is None and stays.is_active
    rounds.score(other_round, committee_member, {other_round.candidates.get(): [8, 80]})


def test_a_sheet_submitted_before_leaving_still_counts(
    school, committee_member, member2, scoring_round
):
    candidates = rounds.candidates_of(scoring_round)
    scores = {candidates["王芳"]: [9, 90], candidates["刘洋"]: [8, 80], candidates["陈静"]: [7, 70]}
    rounds.score(scoring_round, committee_member, scores)
    leave(TeacherFactory(school=school, user=committee_member, name="赵老师"))
    assert PanelMember.objects.get(panel=scoring_round.panel, user=committee_member).left_at
    assert [s.member for s in aggregate(panel=scoring_round.panel).sheets] == [committee_member]


def test_leaving_twice_keeps_the_first_leaving_time(school, committee_member, scoring_round):
    teacher = TeacherFactory(school=school, user=committee_member, name="赵老师")
    leave(teacher)
    membership = PanelMember.objects.get(panel=scoring_round.panel, user=committee_member)
    first = membership.left_at
    teacher.name = "赵老师（已调离）"
    teacher_save(teacher=teacher)
    membership.refresh_from_db()
    assert membership.left_at == first


def test_a_leaver_leaves_the_assessment_committee_too(school, principal, committee_member):
    round = assessment.make_round(school, principal, [committee_member], n=1)
    leave(TeacherFactory(school=school, user=committee_member, name="赵老师"))
    assert PanelMember.objects.get(panel=round.panel, user=committee_member).left_at
    with pytest.raises((PermissionDenied, ValidationError)):
        assessment.score(round, committee_member, 90)
    assert aggregate(panel=round.panel).sheets == []
