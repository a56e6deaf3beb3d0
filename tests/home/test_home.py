"""The home page is a to-do list per role: what to do next, each count linking to its list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from backbone.models import Designation, SelectionRound
from backbone.services import rounds as round_services
from core.models import Role, school_year_start
from records.models import Status
from tests.backbone.test_rounds_services import open_round, score
from tests.factories import (
    DesignationFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
    user_with_role,
)
from tests.html import visible_text

CURRENT = school_year_start(timezone.localdate())


@pytest.fixture(autouse=True)
def duties(db, school):
    """The district's default duties of every tier, as a new school year gets them."""
    from assessment.services.duties import duty_templates_ensure_defaults

    duty_templates_ensure_defaults(district=school.district, year=CURRENT)


def home(client, language="en"):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def todo(response, role: str, icon: str):
    """The to-do of a section, found by its icon (stable across languages)."""
    section = next(s for s in response.context["sections"] if s.role == role)
    return next(t for t in section.todos if t.icon == icon)


def returned_record(teacher, n: int = 0, reason: str = "请补充培训证书。"):
    return TrainingFactory(
        teacher=teacher, status=Status.RETURNED, return_reason=reason, year=CURRENT
    )


# -- teacher ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_teacher_sees_records_returned_to_them_with_the_reason(login, teacher_user):
    record = returned_record(teacher_user.teacher, reason="请写明培训的主办单位。")

    response = home(login(teacher_user))

    returned = todo(response, Role.TEACHER, "arrow-return-left")
    assert returned.count == 1
    assert returned.url == reverse("records:growth") + "?status=returned"
    text = text_of(response)
    assert "1 record returned to you" in text
    assert "请写明培训的主办单位。" in text
    assert reverse("records:edit", kwargs={"pk": record.pk}) in response.content.decode()


@pytest.mark.django_db
def test_a_teacher_sees_rounds_open_to_apply_until_they_apply(
    login, school, principal, committee_member, teacher_user
):
    round = open_round(school=school, by=principal, committee=[committee_member])
    client = login(teacher_user)

    rounds = todo(home(client), Role.TEACHER, "megaphone")
    assert rounds.count == 1
    assert rounds.lines[0].url == reverse("backbone:round_apply", kwargs={"pk": round.pk})

    round_services.candidate_nominate(round=round, teacher=teacher_user.teacher, by=principal)
    assert todo(home(client), Role.TEACHER, "megaphone").count == 0


@pytest.mark.django_db
def test_a_teacher_sees_the_public_notice_that_names_them(login, announced_round, staff):
    wang = staff["wang"]
    wang.user = user_with_role(Role.TEACHER, school=wang.school, username="wang")
    wang.save()
    liu_user = user_with_role(Role.TEACHER, school=wang.school, username="liu")
    staff["chen"].user = liu_user  # 陈静 was not proposed, but is still named as a candidate
    staff["chen"].save()
    outsider = user_with_role(Role.TEACHER, school=wang.school, username="nobody")
    TeacherFactory(school=wang.school, user=outsider)

    notices = todo(home(login(wang.user)), Role.TEACHER, "clipboard-check")

    assert notices.count == 1
    assert notices.lines[0].url == reverse("backbone:notice", kwargs={"pk": announced_round.pk})
    assert todo(home(login(outsider)), Role.TEACHER, "clipboard-check").count == 0


@pytest.mark.django_db
def test_a_teacher_gets_the_hours_meter_and_one_button_to_log_an_open_class(login, teacher_user):
    TrainingFactory(teacher=teacher_user.teacher, status=Status.VERIFIED, year=CURRENT, hours=6)

    response = home(login(teacher_user))

    section = response.context["sections"][0]
    assert section.hours.total == 6
    page = response.content.decode()
    assert 'id="hours-meter"' in page
    assert reverse("records:new", kwargs={"kind": "open_class"}) in page
    assert "Log an open class" in text_of(response)


@pytest.mark.django_db
def test_a_backbone_teacher_sees_the_duties_still_to_fulfil(login, teacher_user):
    DesignationFactory(teacher=teacher_user.teacher, first_year=CURRENT, last_year=CURRENT + 1)

    duties = todo(home(login(teacher_user)), Role.TEACHER, "list-check")

    assert duties.count > 0
    assert duties.url == reverse("assessment:my_duties")
    assert "still to do" in duties.lines[0].note


# -- training office --------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_training_office_sees_records_waiting_and_teachers_behind(
    login, school, training_office, other_school
):
    teacher = TeacherFactory(school=school, name="赵老师")
    DesignationFactory(teacher=teacher, first_year=CURRENT - 1, last_year=CURRENT)
    for _ in range(2):
        TrainingFactory(teacher=teacher, status=Status.SUBMITTED, year=CURRENT)
    TrainingFactory(teacher=TeacherFactory(school=other_school), status=Status.SUBMITTED)

    response = home(login(training_office))

    waiting = todo(response, Role.TRAINING_OFFICE, "patch-check")
    assert waiting.count == 2
    assert waiting.url == reverse("records:queue")
    behind = todo(response, Role.TRAINING_OFFICE, "exclamation-triangle")
    assert behind.url == reverse("assessment:duties_grid")
    assert behind.count == 1
    assert [line.text for line in behind.lines] == ["赵老师"]


# -- committee member -------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_committee_member_sees_their_score_sheet_due_until_they_submit_it(
    login, scoring_round, committee_member, member2, staff
):
    client = login(committee_member)

    due = todo(home(client), Role.COMMITTEE, "pencil-square")
    assert due.count == 1
    assert due.url == reverse("backbone:round_score", kwargs={"pk": scoring_round.pk})
    assert "no deadline set" in due.lines[0].note

    candidates = {c.teacher.name: c for c in scoring_round.candidates.select_related("teacher")}
    score(scoring_round, committee_member, {c: [8, 80] for c in candidates.values()})
    assert todo(home(client), Role.COMMITTEE, "pencil-square").count == 0


@pytest.mark.django_db
def test_a_sheet_due_names_when_scoring_began_never_a_later_day(
    login, scoring_round, committee_member
):
    """Closed before the window ended, the round does not claim scoring begins a week from
    now; once the window has passed, its last day is when scoring began."""
    client = login(committee_member)
    assert todo(home(client), Role.COMMITTEE, "pencil-square").lines[0].note == "no deadline set"

    closed = timezone.localdate() - datetime.timedelta(days=3)
    SelectionRound.objects.filter(pk=scoring_round.pk).update(
        apply_from=closed - datetime.timedelta(days=7), apply_until=closed
    )
    note = todo(home(client), Role.COMMITTEE, "pencil-square").lines[0].note
    assert note == f"no deadline set; scoring since {closed.isoformat()}"


# -- principal --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_principal_sees_objections_terms_ending_targets_and_flagged_designations(
    login, announced_round, principal, staff, outsider
):
    school = announced_round.school
    round_services.objection_lodge(round=announced_round, author=principal, text="有异议。")
    ending = DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=CURRENT - 1, last_year=CURRENT
    )
    Designation.objects.filter(pk=ending.pk).update(flagged_at=timezone.now())
    from backbone.models import Target

    Target.objects.create(school=school, tier=tier(school.district), by_year=CURRENT + 1, count=5)

    response = home(login(principal))

    objections = todo(response, Role.PRINCIPAL, "chat-left-dots")
    assert objections.count == 1
    assert objections.url == reverse("backbone:round", kwargs={"pk": announced_round.pk})
    terms = todo(response, Role.PRINCIPAL, "hourglass-split")
    assert terms.count == 1
    assert terms.action.url == reverse("backbone:round_new")
    targets = todo(response, Role.PRINCIPAL, "bullseye")
    assert targets.count == 1
    assert "of the target 5" in targets.lines[0].text
    assert todo(response, Role.PRINCIPAL, "flag").count == 1

    # The principal of another school sees none of it.
    other = home(login(outsider))
    assert all(t.count == 0 for t in other.context["sections"][0].todos)


# -- district office --------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_district_office_sees_the_schools_that_are_behind(
    login, school, district_office, other_school
):
    behind = TeacherFactory(school=school)
    DesignationFactory(teacher=behind, first_year=CURRENT - 1, last_year=CURRENT)
    elsewhere = TeacherFactory(school=other_school)  # another district
    DesignationFactory(teacher=elsewhere, first_year=CURRENT - 1, last_year=CURRENT)

    schools = todo(home(login(district_office)), Role.DISTRICT_OFFICE, "buildings")

    assert schools.url == reverse("documents:district")
    assert schools.count == 1
    assert [line.text for line in schools.lines] == [school.name]
    assert "1 of 1 backbone teachers behind" in schools.lines[0].note
    # The school's figures, for the year counted here.
    grid = reverse("assessment:duties_grid")
    assert schools.lines[0].url == f"{grid}?school={school.pk}&year={CURRENT}"


@pytest.mark.django_db
def test_the_district_offices_home_counts_its_schools_once_every_few_minutes(
    login, school, district_office
):
    """Counting every backbone teacher's duties of a district takes half a second: the home
    page keeps the schools behind as counted for a few minutes, like the district overview."""
    from django.core.cache import cache

    first = TeacherFactory(school=school)
    DesignationFactory(teacher=first, first_year=CURRENT - 1, last_year=CURRENT)
    client = login(district_office)

    def note():
        schools = todo(home(client), Role.DISTRICT_OFFICE, "buildings")
        assert schools.count == 1
        return schools.lines[0].note

    assert "1 of 1 backbone teachers behind" in note()
    later = TeacherFactory(school=school)
    DesignationFactory(teacher=later, first_year=CURRENT - 1, last_year=CURRENT)
    assert "1 of 1 backbone teachers behind" in note()  # as counted a moment ago
    cache.clear()  # the few minutes are over
    assert "2 of 2 backbone teachers behind" in note()


# -- several roles ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_user_with_several_roles_sees_one_section_per_role(login, school, teacher_user):
    from core.models import RoleAssignment

    RoleAssignment.objects.create(user=teacher_user, role=Role.TRAINING_OFFICE, school=school)
    RoleAssignment.objects.create(user=teacher_user, role=Role.PRINCIPAL, school=school)

    response = home(login(teacher_user))

    roles = [s.role for s in response.context["sections"]]
    assert roles == [Role.TEACHER, Role.TRAINING_OFFICE, Role.PRINCIPAL]  # no sheet due
    assert "Where to start" not in text_of(response)  # the old list of every page


@pytest.mark.django_db
def test_every_count_links_to_its_list(login, school, principal, training_office):
    for user in (principal, training_office):
        response = home(login(user))
        page = response.content.decode()
        for section in response.context["sections"]:
            for item in section.todos:
                assert f'href="{item.url}"' in page.replace("&amp;", "&")


# -- query counts -----------------------------------------------------------------------------
def grow(school, n: int, year: int = CURRENT):
    """n backbone teachers, each with a returned, a submitted and a verified record."""
    teachers = TeacherFactory.create_batch(n, school=school)
    for teacher in teachers:
        DesignationFactory(teacher=teacher, first_year=year - 1, last_year=year)
        returned_record(teacher)
        TrainingFactory(teacher=teacher, status=Status.SUBMITTED, year=year)
        TrainingFactory(teacher=teacher, status=Status.VERIFIED, year=year)
    Designation.objects.filter(teacher__in=teachers[: n // 2]).update(flagged_at=timezone.now())
    return teachers


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["principal", "training_office", "district_office"])
def test_the_home_page_takes_as_many_queries_for_50_teachers_as_for_5(
    request, login, school, count_queries, role
):
    user = request.getfixturevalue(role)
    client = login(user)
    grow(school, 5)
    few = count_queries(client, reverse("home"))
    grow(school, 45)
    assert count_queries(client, reverse("home")) == few


@pytest.mark.django_db
def test_the_teachers_home_page_takes_as_many_queries_for_50_records_as_for_5(
    login, teacher_user, count_queries
):
    teacher = teacher_user.teacher
    DesignationFactory(teacher=teacher, first_year=CURRENT - 1, last_year=CURRENT)
    client = login(teacher_user)
    for _ in range(5):
        returned_record(teacher)
        TrainingFactory(teacher=teacher, status=Status.VERIFIED, year=CURRENT)
    few = count_queries(client, reverse("home"))
    for _ in range(45):
        returned_record(teacher)
        TrainingFactory(teacher=teacher, status=Status.VERIFIED, year=CURRENT)
    assert count_queries(client, reverse("home")) == few


def text_of(response) -> str:
    return " ".join(visible_text(response.content.decode()).split())


@pytest.mark.django_db
def test_the_training_office_home_page_stays_within_twenty_queries(
    login, school, training_office, count_queries
):
    grow(school, 50)
    assert count_queries(login(training_office), reverse("home")) <= 20


@pytest.mark.django_db
def test_the_committee_home_page_takes_as_many_queries_for_five_rounds_due_as_for_one(
    login, school, principal, committee_member, count_queries
):
    client = login(committee_member)
    teachers = TeacherFactory.create_batch(3, school=school)

    def rounds_due(n):
        for i in range(n):
            round = open_round(
                school=school, by=principal, committee=[committee_member], title=f"评选{i}"
            )
            for teacher in teachers:
                round_services.candidate_nominate(round=round, teacher=teacher, by=principal)
            round_services.round_close_applications(round=round, by=principal)

    rounds_due(1)
    few = count_queries(client, reverse("home"))
    assert todo(home(client), Role.COMMITTEE, "pencil-square").count == 1
    rounds_due(4)
    assert count_queries(client, reverse("home")) == few
    assert todo(home(client), Role.COMMITTEE, "pencil-square").count == 5
