import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone, translation

from backbone.eligibility import evaluate
from backbone.models import (
    Candidate,
    Designation,
    Objection,
    ReserveEntry,
    SelectionRound,
    Tier,
    school_year_start,
)
from backbone.selectors import rounds as selectors
from backbone.services import rounds as services
from core.models import Role
from teachers.models import Title
from tests.factories import DesignationFactory, TeacherFactory, tier, user_with_role

CRITERIA = [
    {"name": "师德表现", "weight": 20, "max_score": 10},
    {"name": "教育教学实绩", "weight": 80, "max_score": 100},
]


@pytest.fixture(autouse=True)
def english_messages():
    """The assertions below read the services' messages in English; zh-hans is the default."""
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def open_round(*, school, by, committee, quota=2, **overrides) -> SelectionRound:
    kwargs = {
        "school": school,
        "tier": tier(school.district, "school"),
        "title": "校级骨干教师评选",
        "year": school_year_start(today()),
        "quota": quota,
        "apply_from": today(),
        "apply_until": days(7),
        "criteria": CRITERIA,
        "committee": committee,
        "by": by,
    }
    kwargs.update(overrides)
    return services.round_open(**kwargs)


def sheet_values(round, scores):
    """{candidate: [value per criterion]} → {(candidate id, criterion id): value}."""
    criteria = list(round.criteria.all())
    return {
        (candidate.pk, criterion.pk): value
        for candidate, values in scores.items()
        for criterion, value in zip(criteria, values, strict=True)
    }


def score(round, member, scores, *, submit=True):
    services.score_sheet_save(round=round, member=member, values=sheet_values(round, scores))
    if submit:
        services.score_sheet_submit(round=round, member=member)


def end_announcement(round):
    """Move the announcement window into the past, as if its days had gone by."""
    SelectionRound.objects.filter(pk=round.pk).update(
        announce_from=days(-6), announce_until=days(-1)
    )
    round.refresh_from_db()


def reload(obj):
    obj.refresh_from_db()
    return obj


@pytest.fixture
def member2(school):
    return user_with_role(Role.COMMITTEE, school=school, username="committee2")


@pytest.fixture
def staff(school):
    """Three eligible teachers and one who has taught for only two years."""
    return {
        "wang": TeacherFactory(school=school, name="王芳", subject="语文"),
        "liu": TeacherFactory(school=school, name="刘洋", subject="数学"),
        "chen": TeacherFactory(school=school, name="陈静", subject="英语"),
        "rookie": TeacherFactory(
            school=school, name="新手", career_start=days(-2 * 365), title=Title.SECOND
        ),
    }


@pytest.fixture
def scoring_round(school, principal, committee_member, member2, staff):
    """A round whose applications are closed, with wang, liu and chen nominated."""
    round = open_round(school=school, by=principal, committee=[committee_member, member2])
    for key in ("wang", "liu", "chen"):
        services.candidate_nominate(round=round, teacher=staff[key], by=principal)
    services.round_close_applications(round=round, by=principal)
    return reload(round)


def candidates_of(round):
    return {c.teacher.name: c for c in round.candidates.select_related("teacher")}


@pytest.fixture
def announced_round(scoring_round, principal, committee_member, member2):
    """Scored by both members (王芳 > 刘洋 > 陈静), top two proposed and announced."""
    c = candidates_of(scoring_round)
    scores = {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]}
    score(scoring_round, committee_member, scores)
    score(scoring_round, member2, scores)
    services.round_propose(round=scoring_round, by=principal)
    services.round_announce(
        round=scoring_round, by=principal, announce_from=today(), announce_until=days(5)
    )
    return reload(scoring_round)


# -- opening ------------------------------------------------------------------------------------
def test_opening_a_round_records_criteria_committee_and_the_tiers_usual_term(
    school, principal, committee_member
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    assert round.status == SelectionRound.Status.OPEN
    assert round.term_years == tier(school.district, "school").default_term_years == 2
    assert [(c.name, c.weight) for c in round.criteria.all()] == [
        ("师德表现", 20),
        ("教育教学实绩", 80),
    ]
    assert list(round.committee.all()) == [committee_member]
    assert round.opened_by == principal


def test_weights_that_do_not_add_up_to_100_are_refused(school, principal, committee_member):
    criteria = [{"name": "A", "weight": 50}, {"name": "B", "weight": 30}]
    with pytest.raises(ValidationError) as exc:
        open_round(school=school, by=principal, committee=[committee_member], criteria=criteria)
    assert "criteria" in exc.value.message_dict
    assert "80" in exc.value.message_dict["criteria"][0]


def test_only_tiers_the_school_designates_itself_can_be_opened(school, principal, committee_member):
    with pytest.raises(ValidationError) as exc:
        open_round(
            school=school,
            by=principal,
            committee=[committee_member],
            tier=tier(school.district, "district"),
        )
    assert "tier" in exc.value.message_dict


def test_committee_members_must_hold_a_committee_or_manager_role_at_the_school(
    school, principal, training_office, teacher_user, outsider
):
    round = open_round(school=school, by=principal, committee=[principal, training_office])
    assert set(round.committee.all()) == {principal, training_office}
    for user in (teacher_user, outsider):
        with pytest.raises(ValidationError) as exc:
            open_round(school=school, by=principal, committee=[user])
        assert "committee" in exc.value.message_dict


def test_a_committee_member_cannot_open_a_round(school, committee_member):
    with pytest.raises(PermissionDenied):
        open_round(school=school, by=committee_member, committee=[committee_member])


# -- candidates ---------------------------------------------------------------------------------
def test_a_teacher_applies_during_the_window_and_eligibility_is_checked(
    school, principal, committee_member, teacher_user
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    candidate = services.candidate_apply(
        round=round, teacher=teacher_user.teacher, statement="我想申请", by=teacher_user
    )
    assert candidate.source == Candidate.Source.APPLIED
    assert candidate.is_eligible
    assert candidate.eligibility_summary  # e.g. "3 of 3 rules met"
    with pytest.raises(ValidationError, match="already a candidate"):
        services.candidate_apply(
            round=round, teacher=teacher_user.teacher, statement="again", by=teacher_user
        )


def test_applications_outside_the_window_or_after_closing_are_refused(
    school, principal, committee_member, teacher_user
):
    later = open_round(
        school=school,
        by=principal,
        committee=[committee_member],
        apply_from=days(3),
        apply_until=days(10),
    )
    with pytest.raises(ValidationError, match="not open"):
        services.candidate_apply(
            round=later, teacher=teacher_user.teacher, statement="x", by=teacher_user
        )


def expected_summary(candidate):
    """The reasons, written in the school's language whoever triggered the check."""
    with translation.override(candidate.round.school.language):
        return evaluate(teacher=candidate.teacher, tier=candidate.round.tier).summary


def test_ineligible_candidates_are_kept_with_their_reasons(
    school, principal, committee_member, settings
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    rookie = TeacherFactory(school=school, name="小白", career_start=days(-400))
    with translation.override("en"):
        candidate = services.candidate_nominate(round=round, teacher=rookie, by=principal)
    assert not candidate.is_eligible
    assert candidate.eligibility_summary == expected_summary(candidate)
    school.language = "en"
    school.save()
    candidate.round.school.language = "en"
    with translation.override("zh-hans"):
        services.round_check_eligibility(round=reload(round), by=principal)
    assert "1 years of teaching, 5 required" in reload(candidate).eligibility_summary


def test_rechecking_eligibility_updates_candidates_and_drops_ineligible_proposals(
    announced_round, principal
):
    # A check during the announcement: 王芳's title was corrected downwards.
    wang = candidates_of(announced_round)["王芳"]
    wang.teacher.title = Title.THIRD
    wang.teacher.save()
    services.round_check_eligibility(round=announced_round, by=principal)
    wang.refresh_from_db()
    assert not wang.is_eligible and not wang.proposed
    assert wang.eligibility_summary == expected_summary(wang)


def test_a_teacher_holding_this_tier_or_higher_is_refused(school, principal, committee_member):
    round = open_round(school=school, by=principal, committee=[committee_member])
    year = school_year_start(today())
    same = DesignationFactory(teacher__school=school, first_year=year, last_year=year + 1)
    higher = DesignationFactory(
        teacher__school=school,
        tier=tier(school.district, "district"),
        first_year=year,
        last_year=year + 2,
    )
    for designation in (same, higher):
        with pytest.raises(ValidationError, match="at this tier or higher"):
            services.candidate_nominate(round=round, teacher=designation.teacher, by=principal)
    # An expired designation does not count.
    old = DesignationFactory(teacher__school=school, first_year=year - 3, last_year=year - 2)
    services.candidate_nominate(round=round, teacher=old.teacher, by=principal)


def test_a_nomination_from_the_reserve_pool_is_recorded_as_such(
    school, principal, committee_member, staff
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    ReserveEntry.objects.create(
        teacher=staff["wang"], tier=round.tier, reason="青年骨干苗子", marked_by=principal
    )
    from_reserve = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    nominated = services.candidate_nominate(round=round, teacher=staff["liu"], by=principal)
    assert from_reserve.source == Candidate.Source.RESERVE
    assert nominated.source == Candidate.Source.NOMINATED


def test_a_teacher_of_another_school_cannot_be_nominated(
    school, other_school, principal, committee_member
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    with pytest.raises(ValidationError, match="not on the staff"):
        services.candidate_nominate(
            round=round, teacher=TeacherFactory(school=other_school), by=principal
        )


def test_closing_applications_needs_a_candidate(school, principal, committee_member):
    round = open_round(school=school, by=principal, committee=[committee_member])
    with pytest.raises(ValidationError, match="no candidates"):
        services.round_close_applications(round=round, by=principal)


# -- scoring ------------------------------------------------------------------------------------
def test_a_member_cannot_see_others_scores_until_they_have_submitted(
    scoring_round, committee_member, member2, principal
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    score(
        scoring_round,
        member2,
        {c["王芳"]: [5, 50], c["刘洋"]: [5, 50], c["陈静"]: [5, 50]},
        submit=False,
    )
    assert not selectors.can_see_scores(member2, scoring_round)
    assert not selectors.round_detail(round=scoring_round, user=member2)["show_scores"]
    assert selectors.can_see_scores(committee_member, scoring_round)
    # The principal does not score in this round and may follow the scores.
    assert selectors.can_see_scores(principal, scoring_round)
    services.score_sheet_submit(round=scoring_round, member=member2)
    assert selectors.can_see_scores(member2, scoring_round)


def test_a_submitted_sheet_is_final(scoring_round, committee_member):
    c = candidates_of(scoring_round)
    scores = {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]}
    score(scoring_round, committee_member, scores)
    with pytest.raises(ValidationError, match="final"):
        score(scoring_round, committee_member, scores, submit=False)
    with pytest.raises(ValidationError, match="final"):
        services.score_sheet_submit(round=scoring_round, member=committee_member)


def test_submitting_needs_every_score_and_scores_stay_within_range(scoring_round, committee_member):
    c = candidates_of(scoring_round)
    score(scoring_round, committee_member, {c["王芳"]: [9, 90]}, submit=False)
    with pytest.raises(ValidationError, match="4 scores are missing"):
        services.score_sheet_submit(round=scoring_round, member=committee_member)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        score(scoring_round, committee_member, {c["刘洋"]: [11, 80]}, submit=False)


def test_only_committee_members_score_and_only_while_scoring(
    scoring_round, principal, committee_member
):
    c = candidates_of(scoring_round)
    with pytest.raises(PermissionDenied):
        score(scoring_round, principal, {c["王芳"]: [9, 90]}, submit=False)
    services.round_cancel(round=scoring_round, by=principal)
    with pytest.raises(ValidationError, match="cancelled"):
        score(scoring_round, committee_member, {c["王芳"]: [9, 90]}, submit=False)


def test_weighted_score_averages_each_criterion_over_submitted_sheets(
    school, principal, committee_member, member2, training_office, staff
):
    round = open_round(
        school=school, by=principal, committee=[committee_member, member2, training_office]
    )
    for key in ("wang", "liu", "chen"):
        services.candidate_nominate(round=round, teacher=staff[key], by=principal)
    services.round_close_applications(round=round, by=principal)
    c = candidates_of(round)
    # 师德表现 weight 20 out of 10; 教育教学实绩 weight 80 out of 100.
    score(round, committee_member, {c["王芳"]: [10, 80], c["刘洋"]: [6, 90], c["陈静"]: [8, 85]})
    score(round, member2, {c["王芳"]: [8, 70], c["刘洋"]: [9, 95], c["陈静"]: [6, 80]})
    # A draft does not count, however extreme.
    score(
        round,
        training_office,
        {c["王芳"]: [0, 0], c["刘洋"]: [0, 0], c["陈静"]: [0, 0]},
        submit=False,
    )
    ranked = services.round_rank(round=round)
    by_name = {x.teacher.name: x for x in ranked}
    # 王芳: 9/10*20 + 75/100*80 = 18 + 60 = 78
    # 刘洋: 7.5/10*20 + 92.5/100*80 = 15 + 74 = 89
    # 陈静: 7/10*20 + 82.5/100*80 = 14 + 66 = 80
    assert by_name["王芳"].score == Decimal("78.00")
    assert by_name["刘洋"].score == Decimal("89.00")
    assert by_name["陈静"].score == Decimal("80.00")
    assert [(x.teacher.name, x.rank) for x in ranked] == [("刘洋", 1), ("陈静", 2), ("王芳", 3)]
    assert reload(by_name["刘洋"]).rank == 1  # stored on the candidate


def test_equal_scores_share_a_rank_and_are_listed_by_name(scoring_round, committee_member):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [8, 80], c["刘洋"]: [8, 80], c["陈静"]: [9, 90]},
    )
    ranked = services.round_rank(round=scoring_round)
    names = sorted(["王芳", "刘洋"])
    assert [(x.teacher.name, x.rank) for x in ranked] == [
        ("陈静", 1),
        (names[0], 2),
        (names[1], 2),
    ]


def test_ranking_rounds_to_two_places():
    criteria = [type("C", (), {"pk": 1, "weight": 100, "max_score": 3})()]
    result = selectors.weighted_score(criteria=criteria, values_by_criterion={1: [Decimal(1)]})
    assert result == Decimal("33.33")


def test_withdrawn_candidates_leave_the_ranking(scoring_round, principal, committee_member):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    services.candidate_withdraw(candidate=c["王芳"], by=principal)
    assert reload(c["王芳"]).rank is None
    assert reload(c["刘洋"]).rank == 1


# -- proposal -----------------------------------------------------------------------------------
def test_the_default_proposal_is_the_top_ranked_eligible_up_to_the_quota(
    scoring_round, principal, committee_member
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    proposed = services.round_propose(round=scoring_round, by=principal)
    assert [x.teacher.name for x in proposed] == ["王芳", "刘洋"]
    assert set(scoring_round.candidates.filter(proposed=True)) == {c["王芳"], c["刘洋"]}


def test_proposing_more_than_the_quota_is_refused(scoring_round, principal, committee_member):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    with pytest.raises(ValidationError, match="quota is 2"):
        services.round_propose(round=scoring_round, by=principal, candidates=list(c.values()))
    services.round_propose(round=scoring_round, by=principal, candidates=[c["陈静"]])
    assert list(scoring_round.candidates.filter(proposed=True)) == [c["陈静"]]


def test_an_ineligible_candidate_cannot_be_proposed(school, principal, committee_member, staff):
    round = open_round(school=school, by=principal, committee=[committee_member])
    wang = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    rookie = services.candidate_nominate(round=round, teacher=staff["rookie"], by=principal)
    services.round_close_applications(round=round, by=principal)
    score(round, committee_member, {wang: [5, 50], rookie: [10, 100]})
    with pytest.raises(ValidationError, match="Not eligible"):
        services.round_propose(round=round, by=principal, candidates=[rookie])
    # The default skips the top-ranked ineligible candidate.
    assert services.round_propose(round=round, by=principal) == [wang]


def test_the_announcement_must_last_at_least_a_day_and_not_start_in_the_past(
    scoring_round, principal, committee_member
):
    c = candidates_of(scoring_round)
    score(
        scoring_round,
        committee_member,
        {c["王芳"]: [9, 90], c["刘洋"]: [8, 80], c["陈静"]: [7, 70]},
    )
    with pytest.raises(ValidationError, match="Propose at least one"):
        services.round_announce(
            round=scoring_round, by=principal, announce_from=today(), announce_until=days(5)
        )
    services.round_propose(round=scoring_round, by=principal)
    with pytest.raises(ValidationError) as exc:
        services.round_announce(
            round=scoring_round, by=principal, announce_from=days(-1), announce_until=days(-2)
        )
    assert set(exc.value.message_dict) == {"announce_from", "announce_until"}
    round = services.round_announce(
        round=scoring_round, by=principal, announce_from=today(), announce_until=today()
    )
    assert round.status == SelectionRound.Status.ANNOUNCED


# -- objections ---------------------------------------------------------------------------------
def test_objections_are_lodged_only_during_the_announcement(
    announced_round, teacher_user, outsider
):
    wang = candidates_of(announced_round)["王芳"]
    objection = services.objection_lodge(
        round=announced_round, author=teacher_user, text="论文涉嫌抄袭", candidate=wang
    )
    assert objection.outcome == Objection.Outcome.PENDING
    with pytest.raises(PermissionDenied):
        services.objection_lodge(round=announced_round, author=outsider, text="x")
    end_announcement(announced_round)
    with pytest.raises(ValidationError, match="only during the announcement"):
        services.objection_lodge(round=announced_round, author=teacher_user, text="太晚了")
    SelectionRound.objects.filter(pk=announced_round.pk).update(
        announce_from=days(2), announce_until=days(6)
    )
    with pytest.raises(ValidationError, match="only during the announcement"):
        services.objection_lodge(round=reload(announced_round), author=teacher_user, text="太早")


def test_an_objection_can_concern_only_a_candidate_on_the_list(announced_round, teacher_user):
    chen = candidates_of(announced_round)["陈静"]  # ranked third, not proposed
    with pytest.raises(ValidationError) as exc:
        services.objection_lodge(
            round=announced_round, author=teacher_user, text="x", candidate=chen
        )
    assert "candidate" in exc.value.message_dict


def test_handling_is_recorded_and_an_upheld_objection_drops_the_candidate(
    announced_round, teacher_user, principal
):
    wang = candidates_of(announced_round)["王芳"]
    liu = candidates_of(announced_round)["刘洋"]
    against_wang = services.objection_lodge(
        round=announced_round, author=teacher_user, text="师德问题", candidate=wang
    )
    against_liu = services.objection_lodge(
        round=announced_round, author=teacher_user, text="成绩存疑", candidate=liu
    )
    services.objection_handle(
        objection=against_wang, by=principal, outcome="upheld", response="经核实，情况属实。"
    )
    services.objection_handle(
        objection=against_liu, by=principal, outcome="dismissed", response="经核实，成绩无误。"
    )
    against_wang.refresh_from_db()
    assert against_wang.outcome == Objection.Outcome.UPHELD
    assert against_wang.handled_by == principal and against_wang.handled_at
    assert against_wang.response == "经核实，情况属实。"
    assert not reload(wang).proposed
    assert reload(liu).proposed
    with pytest.raises(ValidationError, match="already been handled"):
        services.objection_handle(
            objection=against_wang, by=principal, outcome="dismissed", response="改判"
        )


def test_only_managers_handle_objections(announced_round, teacher_user, committee_member):
    objection = services.objection_lodge(round=announced_round, author=teacher_user, text="x")
    with pytest.raises(PermissionDenied):
        services.objection_handle(
            objection=objection, by=committee_member, outcome="dismissed", response="y"
        )


# -- confirmation -------------------------------------------------------------------------------
def test_a_round_from_opening_to_confirmation(
    school, principal, committee_member, member2, teacher_user, staff
):
    round = open_round(school=school, by=principal, committee=[committee_member, member2])
    li = services.candidate_apply(
        round=round, teacher=teacher_user.teacher, statement="申请校级骨干", by=teacher_user
    )
    wang = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    rookie = services.candidate_nominate(round=round, teacher=staff["rookie"], by=principal)
    assert li.is_eligible and wang.is_eligible and not rookie.is_eligible
    services.round_close_applications(round=round, by=principal)
    scores = {li: [9, 95], wang: [8, 85], rookie: [10, 100]}
    score(round, committee_member, scores)
    score(round, member2, scores)
    assert [c.teacher.name for c in services.round_propose(round=round, by=principal)] == [
        "李老师",
        "王芳",
    ]
    services.round_announce(
        round=round, by=principal, announce_from=today(), announce_until=days(5)
    )
    objection = services.objection_lodge(round=round, author=teacher_user, text="名单有误？")
    services.objection_handle(
        objection=objection, by=principal, outcome="dismissed", response="名单无误。"
    )
    end_announcement(round)
    designations = services.round_confirm(round=round, by=principal)

    round.refresh_from_db()
    assert round.status == SelectionRound.Status.CONFIRMED
    assert round.confirmed_by == principal and round.confirmed_at
    assert {d.teacher.name for d in designations} == {"李老师", "王芳"}
    year = school_year_start(today())
    for d in designations:
        assert d.source == Designation.Source.ROUND and d.round == round
        assert d.tier == round.tier and d.status == Designation.Status.ACTIVE
        assert (d.first_year, d.last_year) == (year, year + 1)
        assert d.designated_by == school.name and d.created_by == principal
    assert not Designation.objects.filter(teacher=staff["rookie"]).exists()


def test_confirming_before_the_announcement_ends_is_refused(announced_round, principal):
    with pytest.raises(ValidationError, match="runs until"):
        services.round_confirm(round=announced_round, by=principal)
    assert not Designation.objects.exists()


def test_confirming_with_a_pending_objection_is_refused(announced_round, principal, teacher_user):
    services.objection_lodge(round=announced_round, author=teacher_user, text="x")
    end_announcement(announced_round)
    with pytest.raises(ValidationError, match="1 objection is still pending"):
        services.round_confirm(round=announced_round, by=principal)


def test_confirming_a_round_twice_creates_designations_once(announced_round, principal):
    end_announcement(announced_round)
    first = services.round_confirm(round=announced_round, by=principal)
    second = services.round_confirm(round=announced_round, by=principal)
    assert len(first) == 2
    assert sorted(d.pk for d in first) == sorted(d.pk for d in second)
    assert Designation.objects.filter(round=announced_round).count() == 2


def waiting_for_the_sqlite_lock(call):
    """SQLite's in-memory test database is shared-cache: a second writer gets "database table
    is locked" at once instead of waiting, as it would on a file database (busy timeout) or on
    PostgreSQL (the row lock). Waiting here makes the threads serialise the same way."""
    deadline = time.monotonic() + 20
    while True:
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
def test_confirming_concurrently_creates_designations_once(announced_round, principal):
    end_announcement(announced_round)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def confirm():
        try:
            barrier.wait(timeout=10)
            round = SelectionRound.objects.get(pk=announced_round.pk)
            results.append(
                waiting_for_the_sqlite_lock(
                    lambda: services.round_confirm(round=round, by=principal)
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(results) == 2
    assert Designation.objects.filter(round=announced_round).count() == 2
    assert sorted(d.pk for d in results[0]) == sorted(d.pk for d in results[1])


def test_a_confirmed_round_is_read_only(announced_round, principal, teacher_user, committee_member):
    end_announcement(announced_round)
    services.round_confirm(round=announced_round, by=principal)
    c = candidates_of(announced_round)
    writes = [
        lambda: services.candidate_nominate(
            round=announced_round,
            teacher=TeacherFactory(school=announced_round.school),
            by=principal,
        ),
        lambda: services.candidate_apply(
            round=announced_round, teacher=teacher_user.teacher, statement="x", by=teacher_user
        ),
        lambda: services.candidate_withdraw(candidate=c["王芳"], by=principal),
        lambda: services.round_check_eligibility(round=announced_round, by=principal),
        lambda: services.round_close_applications(round=announced_round, by=principal),
        lambda: score(announced_round, committee_member, {c["王芳"]: [1, 1]}, submit=False),
        lambda: services.round_rank(round=announced_round),
        lambda: services.round_propose(round=announced_round, by=principal),
        lambda: services.round_announce(
            round=announced_round, by=principal, announce_from=today(), announce_until=days(3)
        ),
        lambda: services.objection_lodge(round=announced_round, author=teacher_user, text="x"),
        lambda: services.round_cancel(round=announced_round, by=principal),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="confirmed and can no longer be changed"):
            write()
    assert reload(announced_round).status == SelectionRound.Status.CONFIRMED


def test_confirming_supersedes_a_lower_tier_designation(school, principal, committee_member, staff):
    rookie_tier = Tier.objects.create(
        district=school.district,
        code="rookie",
        name="教学新秀",
        name_en="Teaching rookie",
        level=0,
        default_term_years=2,
        designated_by_school=True,
    )
    year = school_year_start(today())
    lower = DesignationFactory(
        teacher=staff["wang"], tier=rookie_tier, first_year=year - 1, last_year=year
    )
    # Still marked active although its term is over: the expiry job has not run.
    stale = DesignationFactory(
        teacher=staff["liu"], tier=rookie_tier, first_year=year - 3, last_year=year - 2
    )
    honorary = DesignationFactory(
        teacher=staff["wang"],
        tier=tier(school.district, "subject_leader"),
        first_year=year,
        last_year=year + 2,
    )
    round = open_round(school=school, by=principal, committee=[committee_member])
    wang = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    liu = services.candidate_nominate(round=round, teacher=staff["liu"], by=principal)
    services.round_close_applications(round=round, by=principal)
    score(round, committee_member, {wang: [9, 90], liu: [8, 80]})
    services.round_propose(round=round, by=principal)
    services.round_announce(
        round=round, by=principal, announce_from=today(), announce_until=days(5)
    )
    end_announcement(round)

    created = {d.teacher_id: d for d in services.round_confirm(round=round, by=principal)}

    lower.refresh_from_db()
    assert lower.status == Designation.Status.SUPERSEDED
    assert lower.closed_on == today() and lower.closed_by == principal
    assert lower.promoted_to == created[staff["wang"].pk]
    stale.refresh_from_db()
    assert stale.status == Designation.Status.EXPIRED
    assert reload(honorary).status == Designation.Status.ACTIVE
    assert Designation.objects.current().tiers().get(teacher=staff["wang"]).tier == round.tier


def test_confirming_takes_designated_teachers_out_of_the_reserve_pool(announced_round, principal):
    wang = candidates_of(announced_round)["王芳"].teacher
    entry = ReserveEntry.objects.create(
        teacher=wang, tier=announced_round.tier, reason="x", marked_by=principal
    )
    end_announcement(announced_round)
    services.round_confirm(round=announced_round, by=principal)
    assert reload(entry).removed_on == today()


def test_a_cancelled_round_is_read_only_and_cannot_be_confirmed(announced_round, principal):
    services.round_cancel(round=announced_round, by=principal)
    services.round_cancel(round=announced_round, by=principal)  # harmless again
    end_announcement(announced_round)
    with pytest.raises(ValidationError, match="cancelled"):
        services.round_confirm(round=announced_round, by=principal)


def test_only_managers_confirm(announced_round, committee_member, district_office):
    end_announcement(announced_round)
    for user in (committee_member, district_office):
        with pytest.raises(PermissionDenied):
            services.round_confirm(round=announced_round, by=user)


def test_a_principal_on_the_committee_proposes_only_after_scoring(
    school, principal, committee_member, staff
):
    round = open_round(school=school, by=principal, committee=[principal, committee_member])
    wang = services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    services.round_close_applications(round=round, by=principal)
    score(round, committee_member, {wang: [9, 90]})
    assert not selectors.can_see_scores(principal, round)
    with pytest.raises(ValidationError, match="your own score sheet"):
        services.round_propose(round=round, by=principal)
    score(round, principal, {wang: [8, 80]})
    assert services.round_propose(round=round, by=principal) == [wang]


def test_a_member_who_is_a_candidate_leaves_their_own_scores_to_the_others(
    school, principal, committee_member, member2, staff, login
):
    wang = staff["wang"]
    wang.user = committee_member
    wang.save(update_fields=["user"])
    round = open_round(school=school, by=principal, committee=[committee_member, member2])
    for key in ("wang", "liu"):
        services.candidate_nominate(round=round, teacher=staff[key], by=principal)
    services.round_close_applications(round=round, by=principal)
    c = candidates_of(round)

    with pytest.raises(ValidationError):  # 回避: no score for oneself, even by a crafted POST
        score(round, committee_member, {c["王芳"]: [10, 100]}, submit=False)
    score(round, committee_member, {c["刘洋"]: [8, 80]})  # complete without their own row
    score(round, member2, {c["王芳"]: [6, 60], c["刘洋"]: [6, 60]})

    by_name = {x.teacher.name: x for x in services.round_rank(round=round)}
    assert by_name["王芳"].score == Decimal("60.00")  # member2's scores alone: 12 + 48
    assert by_name["刘洋"].score == Decimal("70.00")  # averages 7/10 and 70/100: 14 + 56
    page = login(committee_member).get(reverse("backbone:round_score", args=[round.pk])).text
    assert "回避" in page and "刘洋" in page  # the recusal notice, in either language
    assert "王芳" not in page.split('id="score-sheet"')[1]


def test_a_candidate_given_a_login_before_scoring_starts_does_not_score_themselves(
    school, principal, committee_member, member2, staff
):
    round = open_round(school=school, by=principal, committee=[committee_member, member2])
    services.candidate_nominate(round=round, teacher=staff["wang"], by=principal)
    services.candidate_nominate(round=round, teacher=staff["liu"], by=principal)
    staff["wang"].user = committee_member  # the login comes after the nomination
    staff["wang"].save(update_fields=["user"])
    services.round_close_applications(round=round, by=principal)
    scored = selectors.scoring_candidates(round=round, member=committee_member)
    assert [c.teacher.name for c in scored] == ["刘洋"]
    assert selectors.recused(round=round, member=committee_member)
