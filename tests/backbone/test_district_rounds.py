"""District-run selection rounds: the district office opens a round for a tier it designates,
its schools nominate from their reserve pools within a quota each, the committee scores, the
公示 reaches every school of the district, and confirmation designates each teacher at their
own school."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from backbone.models import (
    Candidate,
    Designation,
    EligibilityRuleSet,
    ReserveEntry,
    SelectionRound,
    school_year_start,
)
from backbone.selectors import rounds as selectors
from backbone.services import rounds as services
from backbone.services.reserve import reserve_add
from core.models import Role
from tests.backbone.test_rounds_services import CRITERIA, days, end_announcement, reload, score
from tests.backbone.test_rounds_services import today as today_
from tests.factories import SchoolFactory, TeacherFactory, tier, user_with_role


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def district(school):
    rules = tier(school.district, "district")
    EligibilityRuleSet.objects.filter(tier=rules, school=None).delete()
    EligibilityRuleSet.objects.create(tier=rules, school=None, min_years_teaching=5)
    return school.district


@pytest.fixture
def school_b(district):
    return SchoolFactory(code="A002", name="城关第二小学", district=district)


@pytest.fixture
def principal_b(school_b):
    return user_with_role(Role.PRINCIPAL, school=school_b, username="principal_b")


@pytest.fixture
def pools(school, school_b, principal, principal_b, district):
    """Two teachers in each school's reserve pool for the district tier."""
    district_tier = tier(district, "district")
    out = {}
    for sch, by, names in (
        (school, principal, ("王芳", "刘洋")),
        (school_b, principal_b, ("陈静", "赵磊")),
    ):
        for name in names:
            teacher = TeacherFactory(school=sch, name=name)
            reserve_add(teacher=teacher, tier=district_tier, reason="教学突出", by=by)
            out[name] = teacher
    return out


def open_district_round(*, district, by, committee, school_quota=1, **extra):
    kwargs = {
        "district": district,
        "tier": tier(district, "district"),
        "title": "区级骨干教师评选",
        "year": school_year_start(today_()),
        "quota": 2,
        "school_quota": school_quota,
        "apply_from": today_(),
        "apply_until": days(7),
        "criteria": CRITERIA,
        "committee": committee,
        "by": by,
    }
    return services.district_round_open(**{**kwargs, **extra})


@pytest.fixture
def district_round(district, district_office, committee_member):
    return open_district_round(district=district, by=district_office, committee=[committee_member])


def test_the_district_office_opens_a_round_only_for_a_tier_it_designates(
    district, district_office, committee_member
):
    round = open_district_round(district=district, by=district_office, committee=[committee_member])
    assert round.school is None and round.district == district and round.is_district
    with pytest.raises(ValidationError) as exc:
        open_district_round(
            district=district,
            by=district_office,
            committee=[committee_member],
            tier=tier(district, "school"),
        )
    assert "tier" in exc.value.message_dict


def test_a_school_principal_cannot_open_a_district_round(district, principal, committee_member):
    with pytest.raises(PermissionDenied):
        open_district_round(district=district, by=principal, committee=[committee_member])


def test_a_round_without_an_organiser_is_refused_by_the_database(district_round):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SelectionRound.objects.filter(pk=district_round.pk).update(district=None)


def test_schools_nominate_from_their_reserve_pool_within_their_quota(
    district_round, pools, principal, principal_b
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    with pytest.raises(ValidationError) as exc:
        services.candidate_school_nominate(
            round=district_round, teacher=pools["刘洋"], by=principal
        )
    assert "may nominate 1 candidate" in exc.value.messages[0]
    nominated = set(district_round.candidates.values_list("teacher__name", "source"))
    assert nominated == {("王芳", Candidate.Source.RESERVE), ("陈静", Candidate.Source.RESERVE)}


def test_a_school_listed_with_its_own_quota_nominates_that_many(
    district, district_office, committee_member, school, pools, principal
):
    round = open_district_round(
        district=district,
        by=district_office,
        committee=[committee_member],
        school_quotas={school: 2},
    )
    assert round.quota_for(school.pk) == 2
    for name in ("王芳", "刘洋"):
        services.candidate_school_nominate(round=round, teacher=pools[name], by=principal)
    assert round.candidates.count() == 2


def test_only_teachers_in_the_reserve_pool_are_nominated(district_round, school, principal):
    outsider = TeacherFactory(school=school, name="孙丽")
    with pytest.raises(ValidationError) as exc:
        services.candidate_school_nominate(round=district_round, teacher=outsider, by=principal)
    assert "not in the reserve pool" in exc.value.messages[0]


def test_a_school_cannot_nominate_its_teachers_for_anothers_teacher_or_another_district(
    district_round, pools, principal, other_school, outsider
):
    with pytest.raises(PermissionDenied):  # a teacher of another school of the district
        services.candidate_school_nominate(
            round=district_round, teacher=pools["陈静"], by=principal
        )
    stranger = TeacherFactory(school=other_school, name="外人")
    with pytest.raises(PermissionDenied):  # the other district's principal
        services.candidate_school_nominate(round=district_round, teacher=stranger, by=outsider)
    assert not SelectionRound.objects.visible_to(outsider).filter(pk=district_round.pk).exists()


def test_a_school_sees_only_its_own_nominees_until_the_announcement(
    district_round, pools, principal, principal_b, district_office
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    seen = {
        who: set(
            selectors.round_candidates(user=user, round=district_round).values_list(
                "teacher__name", flat=True
            )
        )
        for who, user in (("a", principal), ("b", principal_b), ("district", district_office))
    }
    assert seen == {"a": {"王芳"}, "b": {"陈静"}, "district": {"王芳", "陈静"}}


def test_a_district_round_runs_to_designations_at_each_teachers_school(
    district_round, pools, principal, principal_b, district_office, committee_member, school_b
):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    services.round_close_applications(round=district_round, by=district_office)
    round = reload(district_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    assert all(x.is_eligible for x in c.values()), [x.eligibility_summary for x in c.values()]
    # Secret while scoring: the schools see no scores.
    assert not selectors.can_see_scores(principal, round)
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=district_office)
    services.round_announce(
        round=round, by=district_office, announce_from=today_(), announce_until=days(5)
    )
    # The 公示 reaches the staff and teachers of every school of the district.
    teacher_b = user_with_role(Role.TEACHER, school=school_b, username="teacher_b")
    for user in (principal, principal_b, teacher_b):
        assert selectors.notice_list(user=user).filter(pk=round.pk).exists()
        assert selectors.is_round_staff(user, round)
    assert set(
        selectors.round_candidates(user=principal, round=reload(round)).values_list(
            "teacher__name", flat=True
        )
    ) == {"王芳", "陈静"}
    services.objection_lodge(round=round, author=teacher_b, text="请核实材料。")
    objection = round.objections.get()
    services.objection_handle(
        objection=objection, by=district_office, outcome="dismissed", response="已核实。"
    )
    end_announcement(round)
    created = services.round_confirm(round=round, by=district_office)
    again = services.round_confirm(round=reload(round), by=district_office)
    assert sorted(d.pk for d in created) == sorted(d.pk for d in again)
    designations = Designation.objects.filter(round=round).select_related("teacher__school")
    assert {(d.teacher.name, d.teacher.school.name) for d in designations} == {
        ("王芳", "城关第一小学"),
        ("陈静", "城关第二小学"),
    }
    assert {d.designated_by for d in designations} == {str(round.district)}
    assert not ReserveEntry.objects.current().filter(teacher__in=[pools["王芳"]]).exists()


def test_a_school_principal_cannot_move_a_district_round(district_round, pools, principal):
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    with pytest.raises(PermissionDenied):
        services.round_close_applications(round=district_round, by=principal)
