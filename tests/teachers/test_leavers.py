"""Leaving the school ends the person's roles there; their records stay.

Every role the person could hold at the school (teacher, committee member, training office,
principal) ends, however the teacher was marked as left; a login left with no role anywhere is
switched off, says so at the login page, and a session already open loses access on its next
request. Roles at another school stay. Returning to staff gives nothing back by itself."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from backbone.models import Objection
from core.models import Role, RoleAssignment
from teachers.models import Teacher
from teachers.services import teacher_save
from tests.backbone import test_rounds_services as rounds
from tests.factories import SchoolFactory, TeacherFactory, TrainingFactory, user_with_role
from tests.html import visible_text

# The round fixtures of the selection-round tests: 王芳 and 刘洋 on the public notice.
announced_round = rounds.announced_round
scoring_round = rounds.scoring_round
member2 = rounds.member2
staff = rounds.staff


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


SCHOOL_ROLES = [Role.TEACHER, Role.COMMITTEE, Role.TRAINING_OFFICE, Role.PRINCIPAL]
LEFT_ON = datetime.date(2025, 7, 15)


def person(school, role, username="leaver"):
    """A user holding ``role`` at the school, with their roster profile there."""
    user = user_with_role(role, school=school, username=username)
    teacher = TeacherFactory(school=school, user=user, name=f"赵老师{username}", staff_no=username)
    return user, teacher


def edit_data(teacher, **changes):
    data = {
        "staff_no": teacher.staff_no, "name": teacher.name, "gender": teacher.gender,
        "birth_date": teacher.birth_date, "career_start": teacher.career_start,
        "education": teacher.education, "title": teacher.title, "subject": teacher.subject,
        "is_active": "on",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def mark_left(client, teacher):
    return client.post(
        reverse("teachers:edit", args=[teacher.pk]),
        edit_data(teacher, is_active=None, left_on=LEFT_ON),
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_login_page(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_leaving_through_the_edit_form_ends_every_role_and_the_open_session(
    login, school, principal, role
):
    user, teacher = person(school, role)
    session = signed_in(user)
    assert session.get(reverse("home")).status_code == 200
    response = mark_left(login(principal), teacher)
    assert response.status_code == 302, response.content
    assert not RoleAssignment.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert not user.is_active
    # The session opened before is out on its next request, not only at the next login.
    assert is_login_page(session.get(reverse("home")))
    assert is_login_page(session.get(reverse("teachers:detail", args=[teacher.pk])))
    # The records stay, and the principal still reads them.
    teacher.refresh_from_db()
    assert not teacher.is_active and teacher.user == user


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_the_login_page_says_why_a_leaver_cannot_sign_in(client, school, principal, role):
    user, teacher = person(school, role)
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    response = client.post(reverse("login"), {"username": "leaver", "password": "pass12345"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    text = visible_text(response.content.decode())
    assert "no longer holds a role at any school" in text, text  # not "wrong password"
    # A wrong password is still only a wrong password.
    wrong = client.post(reverse("login"), {"username": "leaver", "password": "nope-nope"})
    assert "no longer holds a role" not in visible_text(wrong.content.decode())


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_leaving_one_school_keeps_the_roles_at_another(school, role):
    other_school = SchoolFactory(district=school.district)
    user, teacher = person(school, role)
    RoleAssignment.objects.create(user=user, role=Role.COMMITTEE, school=other_school)
    session = signed_in(user)
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    user.refresh_from_db()
    assert user.is_active
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "school")) == [
        (Role.COMMITTEE, other_school.pk)
    ]
    colleague_b = TeacherFactory(school=other_school)
    colleague_a = TeacherFactory(school=school)
    assert session.get(reverse("teachers:detail", args=[colleague_b.pk])).status_code == 200
    assert session.get(reverse("teachers:detail", args=[colleague_a.pk])).status_code == 404


def test_a_leaver_no_longer_reads_the_notice_nor_lodges_an_objection(
    school, principal, announced_round
):
    """A teacher of the school who also sits on another school's committee keeps that login,
    but the public notice and objections of the school they left are closed to them."""
    user, teacher = person(school, Role.TEACHER)
    RoleAssignment.objects.create(user=user, role=Role.COMMITTEE, school=SchoolFactory())
    session = signed_in(user)
    notice = reverse("backbone:notice", args=[announced_round.pk])
    assert session.get(notice).status_code == 200
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    assert session.get(notice).status_code == 404
    wang = rounds.candidates_of(announced_round)["王芳"]
    response = session.post(
        reverse("backbone:objection_new", args=[announced_round.pk]),
        {"candidate": wang.pk, "text": "有异议"},
    )
    assert response.status_code == 404
    assert not Objection.objects.filter(author=user).exists()


def test_a_leaver_no_longer_reads_posted_assessment_results(school, principal, committee_member):
    from tests.assessment.test_round_views import make_round, posted, score

    round = make_round(school, principal, [committee_member])
    score(round, committee_member, 85)
    posted(round, principal)
    user, teacher = person(school, Role.TEACHER)
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=SchoolFactory())
    session = signed_in(user)
    results = reverse("assessment:results", args=[round.pk])
    assert session.get(results).status_code == 200
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    assert session.get(results).status_code == 404


def test_every_path_that_saves_a_leaver_ends_their_roles(school, principal):
    """The roster import, the admin and services all save the teacher; so does this."""
    user, teacher = person(school, Role.COMMITTEE)
    Teacher.objects.get(pk=teacher.pk)
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher.save()
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_admin_marking_a_teacher_as_left_ends_their_roles(school):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    user, teacher = person(school, Role.TRAINING_OFFICE)
    data = edit_data(
        teacher, school=school.pk, is_active=None, left_on=LEFT_ON, posts="[]", user=user.pk
    )
    response = signed_in(admin).post(
        reverse("admin:teachers_teacher_change", args=[teacher.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_superuser_who_leaves_keeps_their_login(school):
    user, teacher = person(school, Role.PRINCIPAL)
    user.is_superuser = True
    user.save()
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    user.refresh_from_db()
    assert user.is_active and not user.role_assignments.exists()


def test_returning_to_staff_gives_no_role_back_until_the_school_gives_the_login_back(
    login, school, principal, training_office
):
    user, teacher = person(school, Role.COMMITTEE)
    client = login(principal)
    mark_left(client, teacher)
    response = client.post(reverse("teachers:edit", args=[teacher.pk]), edit_data(teacher))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.role_assignments.exists()
    page = visible_text(client.get(reverse("teachers:detail", args=[teacher.pk])).content.decode())
    assert "does not restore them" in page and "Give the login back" in page
    # A reader (the committee) and another school's principal cannot give it back.
    committee = user_with_role(Role.COMMITTEE, school=school, username="c2")
    outsider = user_with_role(Role.PRINCIPAL, school=SchoolFactory(), username="o2")
    account = reverse("teachers:account", args=[teacher.pk])
    assert login(committee).post(account).status_code == 403
    assert login(outsider).post(account).status_code == 404
    assert not user.role_assignments.exists()
    response = login(training_office).post(account)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert list(user.role_assignments.values_list("role", "school")) == [
        (Role.TEACHER, school.pk)
    ]  # the committee seat is the administrator's to give back


def test_the_edit_form_tells_what_leaving_does(login, school, principal):
    user, teacher = person(school, Role.TEACHER)
    page = login(principal).get(reverse("teachers:edit", args=[teacher.pk])).content.decode()
    assert "does not give the roles back" in visible_text(page)
    response = mark_left(login(principal), teacher)
    shown = visible_text(login(principal).get(response["Location"]).content.decode())
    assert "their roles here have ended" in shown


def test_a_leavers_records_and_profile_still_show_to_the_school(login, school, principal):
    user, teacher = person(school, Role.TEACHER)
    record = TrainingFactory(teacher=teacher, status="verified", course="离校前的培训")
    teacher.is_active, teacher.left_on = False, LEFT_ON
    teacher_save(teacher=teacher)
    client = login(principal)
    assert client.get(reverse("teachers:detail", args=[teacher.pk])).status_code == 200
    growth = client.get(reverse("records:teacher_growth", args=[teacher.pk]))
    assert growth.status_code == 200 and "离校前的培训" in growth.content.decode()
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 200


def test_the_migration_ends_the_roles_of_teachers_who_already_left(school):
    other_school = SchoolFactory()
    gone, gone_teacher = person(school, Role.COMMITTEE, username="gone")
    both, both_teacher = person(other_school, Role.TEACHER, username="both")
    RoleAssignment.objects.create(user=both, role=Role.PRINCIPAL, school=school)
    staying, _teacher = person(school, Role.TEACHER, username="staying")
    # Left before leaving ended roles: written past the save that would end them now.
    Teacher.objects.filter(pk__in=[gone_teacher.pk, both_teacher.pk]).update(
        is_active=False, left_on=LEFT_ON, updated_at=timezone.now()
    )
    migration = importlib.import_module("teachers.migrations.0003_leavers_lose_their_roles")
    migration.end_roles_of_leavers(apps, None)
    gone.refresh_from_db(), both.refresh_from_db(), staying.refresh_from_db()
    assert not gone.is_active and not gone.role_assignments.exists()
    assert both.is_active
    assert list(both.role_assignments.values_list("role", "school")) == [
        (Role.PRINCIPAL, school.pk)
    ]
    assert staying.is_active and staying.role_assignments.count() == 1
