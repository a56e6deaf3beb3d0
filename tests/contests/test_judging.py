"""Judges score on the contest's panel: nobody scores their own entry, a recused judge's marks
never count, and the scores stay secret (from the organiser too) until they are revealed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contests import judging
from contests.models import Contest
from contests.services import contests as services
from core.models import Role
from tests.factories import user_with_role

from .conftest import enter, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(contest, entrants, judge_teacher, training_office):
    """Three entries, among them the judging teacher's own; entries closed."""
    entries = [enter(contest, t, training_office) for t in entrants[:2]]
    entries.append(enter(contest, judge_teacher.teacher, judge_teacher))
    services.entries_close(contest=contest, by=training_office)
    return contest, entries


def _fresh(contest):
    return Contest.objects.select_related("panel").get(pk=contest.pk)


def _totals(contest, user):
    contest = _fresh(contest)
    seen = judging.sight(user=user, contest=contest)
    return {r.entry.pk: r.total for r in judging.results(contest=contest, seen=seen)}


def test_a_judge_never_scores_their_own_entry(scoring, judge_teacher):
    contest, entries = scoring
    scored = judging.scored_entries(contest=contest, member=judge_teacher)
    assert [e.pk for e in scored] == [entries[0].pk, entries[1].pk]
    with pytest.raises(ValidationError):
        own = {(entries[2].pk, contest.panel.items.first().pk): 99}
        judging.sheet_save(round=contest, member=judge_teacher, values=own)


def test_a_recused_judges_marks_for_that_entry_do_not_count(
    scoring, committee_member, judge_teacher, training_office
):
    contest, entries = scoring
    judging.judge_recuse(contest=contest, judge=committee_member, entry=entries[0],
                         reason="是其师傅", by=committee_member)  # fmt: skip
    assert entries[0] not in judging.scored_entries(contest=contest, member=committee_member)
    score_all(contest, committee_member, value=lambda e: 50)
    score_all(contest, judge_teacher, value=lambda e: 90)
    services.scores_reveal(contest=contest, by=training_office)
    totals = _totals(contest, training_office)
    assert totals[entries[0].pk] == Decimal("90.00")  # the teacher-judge's marks only
    assert totals[entries[1].pk] == Decimal("70.00")  # both judges' marks
    assert totals[entries[2].pk] == Decimal("50.00")  # not the teacher-judge's own


def test_recusal_is_refused_once_the_sheet_is_submitted_and_to_others(
    scoring, committee_member, teacher_user
):
    contest, entries = scoring
    with pytest.raises(PermissionDenied):
        judging.judge_recuse(contest=contest, judge=committee_member, entry=entries[0],
                             reason="x", by=teacher_user)  # fmt: skip
    score_all(contest, committee_member)
    with pytest.raises(ValidationError):
        judging.judge_recuse(contest=contest, judge=committee_member, entry=entries[0],
                             reason="迟到的回避", by=committee_member)  # fmt: skip


def test_scores_are_secret_from_the_organiser_and_unfinished_judges_until_revealed(
    scoring, committee_member, judge_teacher, training_office, principal, teacher_user
):
    contest, entries = scoring
    score_all(contest, committee_member)
    for user in (training_office, principal, judge_teacher, teacher_user):
        assert not judging.sight(user=user, contest=contest).anything
        assert set(_totals(contest, user).values()) == {None}
    assert judging.sight(user=committee_member, contest=contest).totals  # submitted: sees
    services.scores_reveal(contest=contest, by=training_office)
    assert judging.sight(user=training_office, contest=_fresh(contest)).ranks
    assert _totals(contest, training_office)[entries[0].pk] == Decimal("80.00")


def test_a_judge_recused_from_the_whole_contest_sees_nothing(scoring, training_office, school):
    from scoring.services.panels import member_recuse

    contest, _entries = scoring
    judge = user_with_role(Role.COMMITTEE, school=school, username="late")
    contest.panel.memberships.create(user=judge)
    member_recuse(panel=contest.panel, user=judge, reason="亲属参赛")
    with pytest.raises(PermissionDenied):
        judging.sheet_save(round=contest, member=judge, values={})
    assert judging.sight(user=judge, contest=contest) == judging.visibility.NOTHING


def test_the_scores_are_revealed_only_after_a_sheet_is_in(scoring, training_office):
    contest, _entries = scoring
    with pytest.raises(ValidationError):
        services.scores_reveal(contest=contest, by=training_office)
    assert _fresh(contest).panel.is_secret
