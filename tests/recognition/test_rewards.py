"""One-off rewards: the teaching-rookie award, commendations, and the mentor's reward that
Gugan proposes when an apprentice is designated and the principal decides."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import Pairing
from recognition.models import Reward
from recognition.services import reward_decide, reward_record
from tests.factories import TeacherFactory

from .conftest import designate

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(school):
    mentor = TeacherFactory(school=school, name="陈师傅", staff_no="M001")
    apprentice = TeacherFactory(school=school, name="小林", staff_no="A001")
    return Pairing.objects.create(
        school=school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2025, 8, 31),
        goals="站稳讲台",
        mentor_duties="听课",
        apprentice_duties="听课",
    )


def test_an_apprentices_designation_proposes_a_reward_for_the_mentor(school, rates, pairing):
    designation = designate(pairing.apprentice)
    reward = Reward.objects.get()
    assert (reward.kind, reward.status, reward.teacher) == ("mentor", "proposed", pairing.mentor)
    assert reward.designation == designation and reward.amount == Decimal(100)
    assert "小林" in reward.label


def test_no_reward_without_a_pairing_that_started_before(school, rates, pairing):
    pairing.start_date = datetime.date(2025, 11, 1)
    pairing.end_date = datetime.date(2026, 8, 31)
    pairing.save()
    designate(pairing.apprentice)
    assert not Reward.objects.exists()


def test_the_principal_approves_once_and_cannot_change_the_decision(
    school, rates, pairing, principal
):
    designate(pairing.apprentice)
    reward = Reward.objects.get()
    reward_decide(reward=reward, approve=True, by=principal)
    reward_decide(reward=reward, approve=True, by=principal)  # a second click: no change
    reward.refresh_from_db()
    assert reward.status == "approved" and reward.decided_by == principal
    with pytest.raises(ValidationError):
        reward_decide(reward=reward, approve=False, by=principal)


def test_the_training_office_cannot_approve_a_mentors_reward(
    login, school, rates, pairing, training_office
):
    designate(pairing.apprentice)
    reward = Reward.objects.get()
    response = login(training_office).post(
        reverse("recognition:reward_decide"), {"reward": reward.pk, "decision": "approve"}
    )
    assert response.status_code == 403
    reward.refresh_from_db()
    assert reward.status == "proposed"


def test_the_principal_approves_from_the_rewards_page(en_login, school, rates, pairing, principal):
    designate(pairing.apprentice)
    client = en_login(principal)
    page = client.get(reverse("recognition:rewards")).content.decode()
    assert "Apprentice 小林 designated School-level backbone" in page and "Approve" in page
    reward = Reward.objects.get()
    client.post(reverse("recognition:reward_decide"), {"reward": reward.pk, "decision": "approve"})
    reward.refresh_from_db()
    assert reward.status == "approved"


def test_a_rookie_award_takes_the_rate_of_its_day(school, rates, principal):
    rookie = TeacherFactory(school=school, name="周新", career_start=datetime.date(2023, 9, 1))
    reward = reward_record(
        school=school,
        teacher=rookie,
        kind=Reward.Kind.ROOKIE,
        title="2025年度校级教坛新秀",
        awarded_on=datetime.date(2025, 12, 30),
        by=principal,
    )
    assert reward.amount == Decimal(200) and reward.status == "approved"


def test_a_commendation_is_recorded_from_the_form(en_login, school, principal):
    teacher = TeacherFactory(school=school, name="吴军")
    client = en_login(principal)
    response = client.post(
        reverse("recognition:reward_new") + f"?school={school.pk}",
        {
            "teacher": teacher.pk,
            "kind": "commendation",
            "title": "优秀骨干教师",
            "awarded_on": "2025-12-30",
            "school": school.pk,
        },
    )
    assert response.status_code == 302
    reward = Reward.objects.get()
    assert (reward.kind, reward.amount, reward.title) == ("commendation", 0, "优秀骨干教师")
    assert "优秀骨干教师" in client.get(reverse("recognition:rewards")).content.decode()


def test_a_reward_for_a_teacher_of_another_school_is_refused(
    login, school, other_school, principal
):
    stranger = TeacherFactory(school=other_school, name="外校老师")
    response = login(principal).post(
        reverse("recognition:reward_new"),
        {
            "teacher": stranger.pk,
            "kind": "rookie",
            "title": "新秀",
            "awarded_on": "2025-12-30",
            "school": school.pk,
        },
    )
    assert response.status_code == 200 and not Reward.objects.exists()


def test_the_principals_home_page_lists_the_rewards_to_approve(
    en_login, school, rates, pairing, principal
):
    designate(pairing.apprentice)
    body = en_login(principal).get(reverse("home")).content.decode()
    assert "1 mentor&#x27;s reward to approve" in body or "1 mentor's reward to approve" in body
    assert "陈师傅" in body


@pytest.mark.parametrize(
    ("who", "read", "decide"),
    [
        ("principal", 200, 302),
        ("training_office", 200, 403),
        ("district_office", 200, 403),
        ("teacher_user", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_reads_the_rewards_and_who_decides(
    request, login, school, rates, pairing, who, read, decide
):
    designate(pairing.apprentice)
    reward = Reward.objects.get()
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("recognition:rewards"), {"school": school.pk}).status_code == read
    data = {"reward": reward.pk, "decision": "approve"}
    assert client.post(reverse("recognition:reward_decide"), data).status_code == decide
    reward.refresh_from_db()
    assert (reward.status == "approved") == (decide == 302)
