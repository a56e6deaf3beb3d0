# ruff: noqa: F811 (the round fixtures are imported from the backbone tests)
"""A mentor's reward is proposed by every service that designates a teacher, in the same
transaction: a school's selection round, a district round, the designation import, a
designation recorded by hand. Proposing again (a second confirmation, a re-run) adds nothing."""

import datetime

import pytest
from django.utils import translation

from backbone.models import school_year_start
from backbone.services import rounds as services
from backbone.services.designations import DESIGNATION_HOOKS, designations_made
from mentoring.models import Pairing
from recognition.models import Reward
from recognition.services import mentor_rewards_propose
from tests.backbone.test_designation_import import THIS, run, xlsx
from tests.backbone.test_district_rounds import (  # noqa: F401 (fixtures)
    district,
    district_round,
    pools,
    principal_b,
    school_b,
)
from tests.backbone.test_rounds_services import (  # noqa: F401 (fixtures)
    announced_round,
    days,
    end_announcement,
    member2,
    reload,
    score,
    scoring_round,
    staff,
    today,
)
from tests.factories import TeacherFactory, tier

from .conftest import designate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def pair(apprentice, *, mentor_name="陈师傅", start=None) -> Pairing:
    """A pairing held since two school years before this one."""
    start = start or datetime.date(school_year_start(today()) - 2, 9, 1)
    mentor = TeacherFactory(school=apprentice.school, name=mentor_name)
    return Pairing.objects.create(
        school=apprentice.school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=start,
        end_date=start + datetime.timedelta(days=3 * 365),
        goals="站稳讲台",
        mentor_duties="听课",
        apprentice_duties="听课",
    )


def mentor_rewards():
    return list(
        Reward.objects.filter(kind=Reward.Kind.MENTOR).select_related(
            "teacher", "designation__teacher", "school"
        )
    )


def test_recognition_listens_to_the_designation_hook():
    assert mentor_rewards_propose in DESIGNATION_HOOKS


def test_confirming_a_school_round_proposes_the_mentors_reward_once(
    announced_round, principal, staff
):
    pairing = pair(staff["wang"])
    end_announcement(announced_round)
    created = services.round_confirm(round=announced_round, by=principal)
    services.round_confirm(round=reload(announced_round), by=principal)  # a second click
    designations_made(designations=created)  # and a re-run: nothing more
    [reward] = mentor_rewards()
    assert reward.teacher == pairing.mentor and reward.status == Reward.Status.PROPOSED
    assert reward.designation.teacher == staff["wang"] and reward.designation.round_id
    assert reward.pairing_id == pairing.pk


def test_confirming_a_district_round_proposes_the_reward_at_the_mentors_school(
    district_round, pools, principal, principal_b, district_office, committee_member, school_b
):
    pairing = pair(pools["陈静"], mentor_name="黄师傅")
    services.candidate_school_nominate(round=district_round, teacher=pools["王芳"], by=principal)
    services.candidate_school_nominate(round=district_round, teacher=pools["陈静"], by=principal_b)
    services.round_close_applications(round=district_round, by=district_office)
    round = reload(district_round)
    c = {x.teacher.name: x for x in round.candidates.select_related("teacher")}
    score(round, committee_member, {c["王芳"]: [9, 90], c["陈静"]: [8, 80]})
    services.round_propose(round=round, by=district_office)
    services.round_announce(
        round=round, by=district_office, announce_from=today(), announce_until=days(5)
    )
    end_announcement(round)
    services.round_confirm(round=round, by=district_office)
    services.round_confirm(round=reload(round), by=district_office)
    [reward] = mentor_rewards()
    assert (reward.teacher, reward.school) == (pairing.mentor, school_b)
    assert reward.designation.tier == tier(school_b.district, "district")


def test_importing_designations_proposes_the_mentors_reward_once(school, principal):
    apprentice = TeacherFactory(school=school, staff_no="A3", name="陈静")
    pairing = pair(apprentice)
    rows = [["A3", "陈静", "区级", "鼓楼区教育局", f"{THIS}学年", "", "GL002"]]
    assert run(school, xlsx(rows), by=principal).ok
    assert run(school, xlsx(rows), by=principal).ok  # the same file again: unchanged
    [reward] = mentor_rewards()
    assert reward.teacher == pairing.mentor and reward.designation.source == "import"


def test_a_dry_run_of_the_import_proposes_nothing(school, principal):
    pair(TeacherFactory(school=school, staff_no="A3", name="陈静"))
    rows = [["A3", "陈静", "区级", "鼓楼区教育局", f"{THIS}学年", "", "GL002"]]
    assert run(school, xlsx(rows), by=principal, dry_run=True).ok
    assert mentor_rewards() == []


def test_an_honorary_title_recorded_by_hand_proposes_the_reward(school):
    apprentice = TeacherFactory(school=school, name="小林")
    pairing = pair(apprentice, start=datetime.date(2023, 9, 1))
    designation = designate(apprentice, "subject_leader", source="external")
    mentor_rewards_propose(designations=[designation])  # proposing again adds nothing
    [reward] = mentor_rewards()
    assert reward.teacher == pairing.mentor and reward.designation == designation


def test_a_revoked_designation_proposes_nothing(school):
    apprentice = TeacherFactory(school=school, name="小林")
    pair(apprentice, start=datetime.date(2023, 9, 1))
    designation = designate(apprentice)
    Reward.objects.all().delete()
    designation.status = designation.Status.REVOKED
    assert mentor_rewards_propose(designations=[designation]) == []
    assert mentor_rewards() == []


def test_one_batch_proposes_for_every_apprentice_with_reads_that_do_not_grow(school, rates):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DesignationFactory

    def batch(n):
        made = []
        for i in range(n):
            apprentice = TeacherFactory(school=school)
            pair(apprentice, mentor_name=f"师傅{i}", start=datetime.date(2023, 9, 1))
            made.append(DesignationFactory(teacher=apprentice, first_year=2025, last_year=2026))
        return made

    def queries(designations):
        with CaptureQueriesContext(connection) as context:
            mentor_rewards_propose(designations=designations)
        return len(context)

    few, many = batch(1), batch(4)
    one, four = queries(few), queries(many)
    # Each further reward costs only its own get-or-create (select, savepoint, insert, release).
    assert four - one <= 3 * 4
    assert len(mentor_rewards()) == 5
    assert {r.amount for r in mentor_rewards()} == {100}
