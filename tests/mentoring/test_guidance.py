"""Activity in a pairing: observations logged through it (one records.Observation, tagged)
and guidance sessions (either party logs, the other confirms, private notes stay private)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from mentoring import selectors, services
from mentoring.models import GuidanceSession, Pairing
from records.models import AuditEntry, Observation, Record, Status
from tests.factories import TeacherFactory, user_with_role

TODAY = timezone.localdate()
SECRET = "家长投诉的事要注意"


def person(school, name, username):
    user = user_with_role(Role.TEACHER, school=school, username=username)
    return TeacherFactory(school=school, user=user, name=name, subject="数学")


@pytest.fixture
def mentor(school):
    return person(school, "王建国", "mentor")


@pytest.fixture
def apprentice(school):
    return person(school, "李小梅", "apprentice")


@pytest.fixture
def pairing(mentor, apprentice):
    return Pairing.objects.create(
        school=mentor.school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY + datetime.timedelta(days=200),
        goals="目标",
        mentor_duties="职责",
        apprentice_duties="职责",
    )


def observe_data(**extra):
    return {"date": TODAY.isoformat(), "subject": "数学", "class_name": "三（2）班",
            "rating": "4", "notes": "导入自然", **extra}  # fmt: skip


# -- observations --------------------------------------------------------------------------------
def test_an_observation_logged_via_the_pairing_creates_exactly_one_tagged_observation(
    pairing, mentor, apprentice, login
):
    response = login(mentor.user).post(
        reverse("mentoring:observe", args=[pairing.pk]), observe_data()
    )

    assert response.status_code == 302
    observation = Observation.objects.get()
    assert Record.objects.count() == 1
    assert observation.pairing == pairing
    assert observation.teacher == mentor  # it is the observer's record (My growth)
    assert observation.observed_teacher == apprentice
    assert observation.status == Status.DRAFT
    assert observation.notes == "导入自然"
    assert AuditEntry.objects.filter(record=observation, action="created").count() == 1


def test_the_apprentice_observes_the_mentor_and_may_submit_at_once(
    pairing, mentor, apprentice, login
):
    login(apprentice.user).post(
        reverse("mentoring:observe", args=[pairing.pk]), observe_data(save_submit="1")
    )

    observation = Observation.objects.get()
    assert (observation.teacher, observation.observed_teacher) == (apprentice, mentor)
    assert observation.status == Status.SUBMITTED
    assert observation.pairing_id == pairing.pk


def test_the_pairing_page_lists_observations_in_both_directions(pairing, mentor, apprentice):
    services.pairing_observe(pairing=pairing, by=mentor.user, date=TODAY, subject="数学",
                             submit=True)  # fmt: skip
    services.pairing_observe(pairing=pairing, by=apprentice.user, date=TODAY, subject="数学")

    as_mentor = selectors.pairing_observations(pairing=pairing, user=mentor.user)
    as_apprentice = selectors.pairing_observations(pairing=pairing, user=apprentice.user)

    # the apprentice's draft is private to the apprentice, as every draft
    assert [o.by_mentor for o in as_mentor] == [True]
    assert sorted(o.by_mentor for o in as_apprentice) == [False, True]


def test_observations_outside_the_pairing_or_by_others_are_refused(
    pairing, mentor, principal, login
):
    with pytest.raises(ValidationError):
        services.pairing_observe(pairing=pairing, by=mentor.user, subject="数学",
                                 date=pairing.start_date - datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(ValidationError):
        services.pairing_observe(pairing=pairing, by=mentor.user, subject="数学",
                                 date=TODAY + datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.pairing_observe(pairing=pairing, by=principal, date=TODAY, subject="数学")

    response = login(principal).post(reverse("mentoring:observe", args=[pairing.pk]),
                                     observe_data())  # fmt: skip
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_a_proposed_pairing_takes_no_observation(pairing, mentor):
    pairing.status = Pairing.Status.PROPOSED
    pairing.save()

    with pytest.raises(ValidationError):
        services.pairing_observe(pairing=pairing, by=mentor.user, date=TODAY, subject="数学")


# -- guidance sessions ---------------------------------------------------------------------------
def log_session(pairing, by, *, private=False):
    return services.session_log(
        pairing=pairing, by=by, date=TODAY, kind=GuidanceSession.Kind.DEBRIEF,
        notes=SECRET, follow_up="下周再听一节", private=private,
    )  # fmt: skip


def test_either_party_logs_a_session_on_the_page(pairing, apprentice, login):
    response = login(apprentice.user).post(
        reverse("mentoring:session_new", args=[pairing.pk]),
        {"date": TODAY.isoformat(), "kind": "lesson_plan", "notes": "教案第三稿", "private": "on"},
    )

    assert response.status_code == 302
    session = GuidanceSession.objects.get()
    assert (session.logged_by, session.private, session.confirmed_at) == (
        apprentice.user,
        True,
        None,
    )


def test_only_the_other_party_confirms(pairing, mentor, apprentice, principal, login):
    session = log_session(pairing, mentor.user)
    url = reverse("mentoring:session_confirm", args=[session.pk])

    assert login(mentor.user).post(url).status_code == 403
    assert login(principal).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.session_confirm(session=session, by=mentor.user)

    assert login(apprentice.user).post(url).status_code == 302
    login(apprentice.user).post(url)  # a second click changes nothing
    session.refresh_from_db()
    assert session.confirmed_by == apprentice.user
    assert session.confirmed_at is not None


def test_confirming_with_htmx_swaps_the_row(pairing, mentor, apprentice, login):
    session = log_session(pairing, mentor.user)

    response = login(apprentice.user).post(
        reverse("mentoring:session_confirm", args=[session.pk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="session-{session.pk}"' in body
    assert "<html" not in body
    assert "Confirmed by" in body or "确认" in body


def test_private_guidance_notes_are_hidden_from_everyone_but_the_pair(
    pairing, mentor, apprentice, principal, committee_member, district_office, login
):
    log_session(pairing, mentor.user, private=True)
    url = reverse("mentoring:detail", args=[pairing.pk])

    for party in (mentor.user, apprentice.user):
        page = login(party).get(url).content.decode()
        assert SECRET in page and "下周再听一节" in page
    for other in (principal, committee_member, district_office):
        page = login(other).get(url).content.decode()
        assert page.count('data-session="') == 1  # the session is there ...
        assert SECRET not in page and "下周再听一节" not in page  # ... its notes are not

    [seen] = selectors.guidance_sessions(pairing=pairing, user=principal)
    assert seen.notes_hidden and seen.shown_notes == "" and seen.shown_follow_up == ""
    assert "notes" in seen.get_deferred_fields()


def test_notes_that_are_not_private_are_seen_by_staff(pairing, mentor, principal, login):
    log_session(pairing, mentor.user, private=False)

    page = login(principal).get(reverse("mentoring:detail", args=[pairing.pk])).content.decode()

    assert SECRET in page


def test_staff_cannot_log_sessions_and_a_colleague_cannot_see_them(
    school, pairing, principal, login
):
    assert (
        login(principal).post(reverse("mentoring:session_new", args=[pairing.pk])).status_code
        == 403
    )
    colleague = person(school, "陈老师", "colleague")
    response = login(colleague.user).get(reverse("mentoring:session_new", args=[pairing.pk]))
    assert response.status_code == 404


def test_the_pairing_page_makes_a_constant_number_of_queries(
    pairing, mentor, apprentice, principal, login, count_queries
):
    def add(n):
        for _ in range(n):
            services.pairing_observe(pairing=pairing, by=mentor.user, date=TODAY, subject="数学",
                                     submit=True)  # fmt: skip
            session = log_session(pairing, apprentice.user, private=True)
            services.session_confirm(session=session, by=mentor.user)

    client = login(principal)
    url = reverse("mentoring:detail", args=[pairing.pk])
    add(1)
    few = count_queries(client, url)
    add(6)
    assert count_queries(client, url) == few
