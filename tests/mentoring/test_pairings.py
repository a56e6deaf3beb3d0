"""Pairings: proposals (request, offer, assignment), approval with the mentor-load warning,
declining, ending, completing, renewing, the pages and their scoping."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from mentoring import selectors, services
from mentoring.models import Pairing
from tests.factories import OpenClassFactory, TeacherFactory, user_with_role

Status = Pairing.Status
TODAY = timezone.localdate()


def person(school, name, username=None):
    """A teacher of the school with a login."""
    user = user_with_role(Role.TEACHER, school=school, username=username or f"u-{name}")
    return TeacherFactory(school=school, user=user, name=name)


def make_pairing(mentor, apprentice, *, status=Status.ACTIVE, start=None, end=None, **extra):
    start = start or TODAY - datetime.timedelta(days=30)
    return Pairing.objects.create(
        school=mentor.school,
        mentor=mentor,
        apprentice=apprentice,
        origin=Pairing.Origin.SCHOOL,
        status=status,
        start_date=start,
        end_date=end or start + datetime.timedelta(days=300),
        goals="目标",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
        **extra,
    )


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read default texts and messages in English; zh-hans is the default."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def mentor(school):
    return person(school, "王建国", "mentor")


@pytest.fixture
def apprentice(school):
    return person(school, "李小梅", "apprentice")


@pytest.fixture
def proposal(mentor, apprentice):
    return make_pairing(mentor, apprentice, status=Status.PROPOSED, start=TODAY)


# -- proposals -----------------------------------------------------------------------------------
def test_an_apprentice_requests_a_mentor_with_one_school_year_and_the_usual_terms(
    mentor, apprentice
):
    pairing = services.pairing_request(apprentice=apprentice, mentor=mentor, by=apprentice.user)

    assert pairing.status == Status.PROPOSED
    assert pairing.origin == Pairing.Origin.APPRENTICE_REQUEST
    assert pairing.requested_by == apprentice.user
    assert pairing.start_date == TODAY
    assert pairing.end_date.month == 8 and pairing.end_date.day == 31
    assert 60 <= (pairing.end_date - TODAY).days <= 366 + 60
    assert pairing.mentor_observations_per_week == 2
    assert "2" in pairing.mentor_duties and "comment promptly" in pairing.mentor_duties
    assert pairing.goals and pairing.apprentice_duties
    assert pairing.signed_on is None


def test_the_default_duties_follow_a_different_weekly_number(mentor, apprentice):
    pairing = services.pairing_request(
        apprentice=apprentice, mentor=mentor, by=apprentice.user, mentor_observations_per_week=3
    )

    assert "at least 3 of the apprentice's classes" in pairing.mentor_duties


def test_a_summer_proposal_runs_to_the_end_of_the_next_school_year():
    terms = services.default_terms(today=datetime.date(2026, 7, 15))

    assert terms["end_date"] == datetime.date(2027, 8, 31)
    assert services.default_terms(today=datetime.date(2026, 11, 2))["end_date"] == (
        datetime.date(2027, 8, 31)
    )


def test_only_the_apprentice_requests_and_only_the_mentor_offers(mentor, apprentice):
    with pytest.raises(PermissionDenied):
        services.pairing_request(apprentice=apprentice, mentor=mentor, by=mentor.user)
    with pytest.raises(PermissionDenied):
        services.pairing_offer(mentor=mentor, apprentice=apprentice, by=apprentice.user)

    offer = services.pairing_offer(mentor=mentor, apprentice=apprentice, by=mentor.user)
    assert offer.origin == Pairing.Origin.MENTOR_OFFER


def test_only_a_manager_of_the_school_assigns(mentor, apprentice, principal, committee_member):
    with pytest.raises(PermissionDenied):
        services.pairing_assign(mentor=mentor, apprentice=apprentice, by=committee_member)

    pairing = services.pairing_assign(mentor=mentor, apprentice=apprentice, by=principal)
    assert pairing.origin == Pairing.Origin.SCHOOL


def test_a_mentor_of_another_school_and_a_second_open_pairing_are_refused(
    mentor, apprentice, other_school, proposal
):
    stranger = person(other_school, "赵老师")

    with pytest.raises(ValidationError, match="same school"):
        services.pairing_request(apprentice=apprentice, mentor=stranger, by=apprentice.user)
    with pytest.raises(ValidationError, match="already have"):
        services.pairing_request(apprentice=apprentice, mentor=mentor, by=apprentice.user)


def test_a_teacher_proposes_on_the_page_with_the_prefilled_terms(login, mentor, apprentice):
    client = login(apprentice.user)
    form = client.get(reverse("mentoring:new")).context["form"]
    data = {name: form[name].value() for name in services.PairingTerms.__annotations__}
    data.update(role="request", colleague=mentor.pk)

    response = client.post(reverse("mentoring:new"), data)

    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:detail", args=[pairing.pk])
    assert (pairing.mentor, pairing.apprentice) == (mentor, apprentice)


def test_committee_and_district_may_not_propose(login, committee_member, district_office):
    assert login(committee_member).get(reverse("mentoring:new")).status_code == 403
    assert login(district_office).get(reverse("mentoring:new")).status_code == 403


# -- approval ------------------------------------------------------------------------------------
def test_approving_makes_the_pairing_active_and_signed_once(proposal, training_office):
    services.pairing_approve(pairing=proposal, by=training_office)
    services.pairing_approve(pairing=proposal, by=training_office)  # a second click

    proposal.refresh_from_db()
    assert proposal.status == Status.ACTIVE
    assert proposal.signed_on == TODAY
    assert proposal.approved_by == training_office
    assert proposal.approved_at is not None


def test_only_managers_approve(proposal, committee_member, mentor, login, district_office):
    with pytest.raises(PermissionDenied):
        services.pairing_approve(pairing=proposal, by=mentor.user)
    url = reverse("mentoring:approve", args=[proposal.pk])
    for user in (committee_member, district_office, mentor.user):
        assert login(user).post(url).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_declining_a_proposal(proposal, principal, login):
    response = login(principal).post(
        reverse("mentoring:decline", args=[proposal.pk]), {"reason": "时间冲突"}
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED
    assert proposal.end_reason == "时间冲突"
    with pytest.raises(ValidationError):
        services.pairing_approve(pairing=proposal, by=principal)


def test_ending_early_needs_a_reason(mentor, apprentice, principal, login):
    pairing = make_pairing(mentor, apprentice)
    client = login(principal)

    response = client.post(reverse("mentoring:end", args=[pairing.pk]), {"reason": ""})
    assert response.status_code == 200
    pairing.refresh_from_db()
    assert pairing.status == Status.ACTIVE

    client.post(reverse("mentoring:end", args=[pairing.pk]), {"reason": "调往外校"})
    pairing.refresh_from_db()
    assert pairing.status == Status.ENDED_EARLY
    assert pairing.ended_on == TODAY
    assert pairing.end_reason == "调往外校"


def test_completing_closes_at_the_end_date_or_today(mentor, apprentice, principal):
    old = make_pairing(
        mentor, apprentice, start=TODAY - datetime.timedelta(days=400),
        end=TODAY - datetime.timedelta(days=40),
    )  # fmt: skip

    services.pairing_complete(pairing=old, by=principal)

    assert old.status == Status.COMPLETED
    assert old.ended_on == TODAY - datetime.timedelta(days=40)


def test_renewing_proposes_the_next_school_year_linked_to_the_previous(
    mentor, apprentice, principal, login
):
    pairing = make_pairing(
        mentor, apprentice, start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31),
        mentor_observations_per_week=3,
    )  # fmt: skip

    response = login(principal).post(reverse("mentoring:renew", args=[pairing.pk]))
    login(principal).post(reverse("mentoring:renew", args=[pairing.pk]))  # a second click

    renewal = Pairing.objects.get(renewed_from=pairing)
    pairing.refresh_from_db()
    assert response["Location"] == reverse("mentoring:detail", args=[renewal.pk])
    assert pairing.status == Status.COMPLETED
    assert renewal.status == Status.PROPOSED
    assert renewal.start_date == max(datetime.date(2026, 9, 1), TODAY)
    assert renewal.end_date == services.school_year_end(renewal.start_date)
    assert renewal.mentor_observations_per_week == 3
    assert Pairing.objects.count() == 2


def test_the_parties_may_renew_a_completed_pairing_but_not_an_active_one(mentor, apprentice):
    pairing = make_pairing(mentor, apprentice)
    with pytest.raises(PermissionDenied):
        services.pairing_renew(pairing=pairing, by=apprentice.user)

    pairing.status = Status.COMPLETED
    pairing.save()
    renewal = services.pairing_renew(pairing=pairing, by=apprentice.user)
    assert renewal.origin == Pairing.Origin.APPRENTICE_REQUEST


# -- mentor load ---------------------------------------------------------------------------------
def test_mentor_load_counts_current_and_distinct_apprentices_of_three_school_years(school, mentor):
    apprentices = [TeacherFactory(school=school) for _ in range(5)]
    make_pairing(mentor, apprentices[0])  # active
    for apprentice, years_ago in [(apprentices[1], 2), (apprentices[1], 1), (apprentices[2], 6)]:
        make_pairing(
            mentor,
            apprentice,
            status=Status.COMPLETED,
            start=datetime.date(TODAY.year - years_ago, 9, 1),
            end=datetime.date(TODAY.year - years_ago + 1, 6, 30),
        )
    make_pairing(mentor, apprentices[3], status=Status.DECLINED)
    make_pairing(mentor, apprentices[4], status=Status.PROPOSED)

    load = selectors.mentor_load(mentor=mentor)

    assert (load.current, load.proposed, load.recent) == (1, 1, 2)
    assert load.duty_status == "below"


@pytest.fixture
def busy_mentor(school, mentor, settings):
    settings.MENTOR_MAX_APPRENTICES = 2
    for _ in range(2):
        make_pairing(mentor, TeacherFactory(school=school))
    return mentor


def test_approving_beyond_the_maximum_needs_approve_anyway(
    busy_mentor, apprentice, principal, login
):
    proposal = make_pairing(busy_mentor, apprentice, status=Status.PROPOSED, start=TODAY)
    client = login(principal)
    url = reverse("mentoring:detail", args=[proposal.pk])

    page = client.get(url).content.decode()
    assert 'id="load-warning"' in page
    assert 'name="anyway"' in page

    client.post(reverse("mentoring:approve", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED
    with pytest.raises(ValidationError) as exc:
        services.pairing_approve(pairing=proposal, by=principal)
    assert exc.value.code == "mentor_overloaded"

    client.post(reverse("mentoring:approve", args=[proposal.pk]), {"anyway": "1"})
    proposal.refresh_from_db()
    assert proposal.status == Status.ACTIVE


def test_no_warning_below_the_maximum(mentor, proposal, principal, login):
    page = login(principal).get(reverse("mentoring:detail", args=[proposal.pk])).content.decode()

    assert 'id="load-warning"' not in page
    assert 'name="anyway"' not in page


def test_the_mentor_table_shows_load_against_the_duty(busy_mentor, principal, login, teacher_user):
    page = login(principal).get(reverse("mentoring:mentors"))

    assert page.status_code == 200
    row = next(m for m in page.context["mentors"] if m.pk == busy_mentor.pk)
    assert (row.load.current, row.load.recent, row.load.at_maximum) == (2, 2, True)
    assert login(teacher_user).get(reverse("mentoring:mentors")).status_code == 404


# -- pages ---------------------------------------------------------------------------------------
def test_teachers_list_their_own_pairings_and_staff_the_schools(
    school, mentor, apprentice, principal, login
):
    own = make_pairing(mentor, apprentice)
    others = make_pairing(TeacherFactory(school=school), TeacherFactory(school=school))

    mine = login(apprentice.user).get(reverse("mentoring:list")).context["page"]
    assert [p.pk for p in mine] == [own.pk]
    everyone = login(principal).get(reverse("mentoring:list")).context["page"]
    assert {p.pk for p in everyone} == {own.pk, others.pk}
    active = login(principal).get(reverse("mentoring:list"), {"status": "proposed"})
    assert list(active.context["page"]) == []


def test_the_list_makes_a_constant_number_of_queries(school, principal, login, count_queries):
    def add(n):
        for _ in range(n):
            make_pairing(TeacherFactory(school=school), TeacherFactory(school=school))

    client = login(principal)
    add(2)
    few = count_queries(client, reverse("mentoring:list"))
    add(8)
    assert count_queries(client, reverse("mentoring:list")) == few


def test_the_pairing_page_shows_terms_compliance_and_what_the_viewer_may_do(
    mentor, apprentice, principal, committee_member, login
):
    pairing = make_pairing(mentor, apprentice)
    url = reverse("mentoring:detail", args=[pairing.pk])

    as_mentor = login(mentor.user).get(url).content.decode()
    assert "王建国" in as_mentor and "李小梅" in as_mentor
    assert 'id="compliance"' in as_mentor
    assert reverse("mentoring:observe", args=[pairing.pk]) in as_mentor
    assert reverse("mentoring:appraisal", args=[pairing.pk]) in as_mentor
    assert reverse("mentoring:end", args=[pairing.pk]) not in as_mentor

    as_principal = login(principal).get(url).content.decode()
    assert reverse("mentoring:end", args=[pairing.pk]) in as_principal
    assert reverse("mentoring:observe", args=[pairing.pk]) not in as_principal

    as_committee = login(committee_member).get(url).content.decode()
    assert reverse("mentoring:end", args=[pairing.pk]) not in as_committee
    assert reverse("mentoring:observe", args=[pairing.pk]) not in as_committee


def test_the_mentor_appraises_and_links_the_apprentices_report_class(mentor, apprentice, login):
    pairing = make_pairing(mentor, apprentice)
    report = OpenClassFactory(teacher=apprentice, class_kind="report", status="submitted")
    OpenClassFactory(teacher=apprentice, class_kind="report", status="draft")
    OpenClassFactory(teacher=apprentice, class_kind="research", status="verified")
    url = reverse("mentoring:appraisal", args=[pairing.pk])

    choices = login(mentor.user).get(url).context["form"].fields["report_class"].queryset
    assert list(choices) == [report]
    login(mentor.user).post(url, {"final_appraisal": "进步明显", "report_class": report.pk})

    pairing.refresh_from_db()
    assert (pairing.final_appraisal, pairing.report_class_id) == ("进步明显", report.pk)
    assert login(apprentice.user).get(url).status_code == 403


# -- scoping -------------------------------------------------------------------------------------
def pairing_urls(pairing) -> list[tuple[str, str]]:
    gets = ["detail", "decline", "end", "appraisal", "observe", "session_new", "contract"]
    posts = ["approve", "decline", "end", "complete", "renew", "appraisal", "observe",
             "session_new", "contract"]  # fmt: skip
    return [("get", reverse(f"mentoring:{n}", args=[pairing.pk])) for n in gets] + [
        ("post", reverse(f"mentoring:{n}", args=[pairing.pk])) for n in posts
    ]


def test_another_schools_principal_gets_404_on_every_pairing_url(
    mentor, apprentice, outsider, login
):
    pairing = make_pairing(mentor, apprentice, status=Status.PROPOSED)
    client = login(outsider)

    for method, url in pairing_urls(pairing):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    session = pairing.sessions.create(date=TODAY, kind="debrief", notes="x", logged_by=mentor.user)
    assert client.post(reverse("mentoring:session_confirm", args=[session.pk])).status_code == 404


def test_read_only_roles_see_the_pairing_and_get_403_on_writes(
    mentor, apprentice, committee_member, district_office, login
):
    pairing = make_pairing(mentor, apprentice)
    for user in (committee_member, district_office):
        client = login(user)
        assert client.get(reverse("mentoring:detail", args=[pairing.pk])).status_code == 200
        for name in ["approve", "end", "complete", "renew", "observe", "session_new", "appraisal"]:
            response = client.post(reverse(f"mentoring:{name}", args=[pairing.pk]))
            assert response.status_code == 403, name


def test_a_colleague_who_is_not_a_party_gets_404(school, mentor, apprentice, login):
    pairing = make_pairing(mentor, apprentice)
    colleague = person(school, "陈老师")

    response = login(colleague.user).get(reverse("mentoring:detail", args=[pairing.pk]))

    assert response.status_code == 404


def test_a_pairing_ending_on_the_school_years_eve_renews_for_the_next_year(mentor, apprentice):
    start = datetime.date(TODAY.year - 1, 9, 1)
    pairing = make_pairing(
        mentor, apprentice, status=Status.COMPLETED, start=start,
        end=datetime.date(TODAY.year + 1, 8, 30),
    )  # fmt: skip
    renewal = services.pairing_renew(pairing=pairing, by=apprentice.user)
    assert renewal.start_date == datetime.date(TODAY.year + 1, 8, 31)
    assert renewal.end_date == datetime.date(TODAY.year + 2, 8, 31)
