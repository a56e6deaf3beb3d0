import datetime
from io import StringIO

import pytest
from django.contrib import auth
from django.core.management import call_command
from django.test import RequestFactory

from contests.demo import seed_contests
from core.demo import DEMO_PASSWORD, _in_app_order
from core.models import (
    District,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    TeachingGroup,
    User,
)
from records.models import Record
from teachers.demo import seed_teachers
from teachers.models import Education, Post, Teacher, Title
from teachers.stages import GrowthStage


def authenticate(**credentials):
    """As the login page does: django-axes needs the request to throttle failed logins."""
    return auth.authenticate(RequestFactory().post("/login/"), **credentials)


LOGINS = {
    "city": (Role.CITY_OFFICE, None),
    "district": (Role.DISTRICT_OFFICE, None),
    "principal": (Role.PRINCIPAL, "GLXX01"),
    "office": (Role.TRAINING_OFFICE, "GLXX01"),
    "committee": (Role.COMMITTEE, "GLXX01"),
    "teacher": (Role.TEACHER, "GLXX01"),
    "principal2": (Role.PRINCIPAL, "GLZX01"),
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [District, School, TeachingGroup, SchoolYear, Semester, Teacher, User, RoleAssignment]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_demo_creates_a_district_with_three_schools_and_their_roster():
    seed()

    assert District.objects.get().code == "GL"
    assert set(School.objects.values_list("kind", flat=True)) == {
        School.Kind.PRIMARY,
        School.Kind.MIDDLE,
        School.Kind.KINDERGARTEN,
    }
    assert 140 <= Teacher.objects.count() <= 160
    for school in School.objects.all():
        assert school.groups.filter(kind=TeachingGroup.Kind.RESEARCH).exists()
        assert school.teachers.filter(is_active=False, left_on__isnull=False).exists()


@pytest.mark.django_db
def test_seed_demo_puts_teachers_in_every_growth_stage():
    seed()

    stages = {t.growth_stage for t in Teacher.objects.select_related("school__district")}
    assert stages == set(GrowthStage.values)


@pytest.mark.django_db
def test_seeded_teachers_are_valid_and_consistent():
    seed()

    for teacher in Teacher.objects.select_related("school__district", "group"):
        teacher.full_clean()
        assert teacher.group.school_id == teacher.school_id
        assert 21 <= teacher.career_start.year - teacher.birth_date.year <= 24
        assert 1965 <= teacher.birth_date.year <= 2002
        if teacher.years_of_teaching < 2:
            assert teacher.title == Title.NONE
    for group in TeachingGroup.objects.filter(kind=TeachingGroup.Kind.RESEARCH):
        heads = [t for t in group.teachers.all() if Post.GROUP_HEAD in t.posts]
        assert len(heads) == 1, group


@pytest.mark.django_db
def test_each_demo_login_has_its_role_and_the_demo_password():
    output = seed()

    for username, (role, school_code) in LOGINS.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assignment = user.role_assignments.get()
        assert assignment.role == role
        if school_code:
            assert assignment.school.code == school_code
        elif role == Role.CITY_OFFICE:
            assert assignment.city.code == "FZ"
            assert assignment.city.districts.filter(code="GL").exists()
        else:
            assert assignment.district.code == "GL"
        assert username in output
    assert authenticate(username="admin", password=DEMO_PASSWORD).is_superuser
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_the_teacher_login_belongs_to_a_backbone_aged_teacher_of_the_primary_school():
    seed()

    user = User.objects.get(username="teacher")
    teacher = user.teacher
    assert teacher.school.code == "GLXX01"
    assert teacher.is_active
    assert teacher.growth_stage == GrowthStage.YOUNG_BACKBONE
    assert teacher.education >= Education.BACHELOR
    assert teacher.title >= Title.FIRST
    assert user.display_name == teacher.name


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    seed()
    before = counts()
    teacher = User.objects.get(username="teacher").teacher

    seed()

    assert counts() == before
    assert User.objects.get(username="teacher").teacher == teacher


@pytest.mark.django_db
def test_seeding_again_keeps_a_changed_password():
    seed()
    user = User.objects.get(username="principal")
    user.set_password("changed-by-the-user")
    user.save()

    seed()

    assert authenticate(username="principal", password="changed-by-the-user") is not None


def user_made_rows(teacher: Teacher) -> dict[str, int]:
    from assessment.models import AnnualGrade
    from backbone.models import Designation
    from mentoring.models import Pairing
    from records.models import Record

    return {
        "grades": AnnualGrade.objects.filter(teacher=teacher).count(),
        "records": Record.objects.filter(teacher=teacher).count(),
        "designations": Designation.objects.filter(teacher=teacher).count(),
        "pairings": Pairing.objects.filter(apprentice=teacher).count()
        + Pairing.objects.filter(mentor=teacher).count(),
    }


@pytest.mark.django_db
def test_seeding_again_invents_nothing_for_a_teacher_a_user_added():
    seed()
    school = School.objects.get(code="GLXX01")
    added = Teacher.objects.create(
        school=school,
        staff_no="X9001",
        name="新老师",
        gender="F",
        birth_date=datetime.date(1990, 3, 1),
        career_start=datetime.date(2012, 9, 1),
        education=Education.BACHELOR,
        title=Title.FIRST,
        subject="语文",
    )
    # One of the demo's own staff numbers, taken by a user for someone else before seeding.
    Record.objects.filter(teacher__school=school, teacher__staff_no="X0002").delete()
    Teacher.objects.filter(school=school, staff_no="X0002").delete()
    clash = Teacher.objects.create(
        school=school,
        staff_no="X0002",
        name="另一位老师",
        gender="M",
        birth_date=datetime.date(1980, 3, 1),
        career_start=datetime.date(2003, 9, 1),
        education=Education.MASTER,
        title=Title.SENIOR,
        subject="数学",
    )

    seed()

    for teacher in (added, clash):
        assert user_made_rows(teacher) == {
            "grades": 0,
            "records": 0,
            "designations": 0,
            "pairings": 0,
        }


@pytest.mark.django_db
def test_seeding_only_into_an_empty_database_leaves_a_used_one_alone():
    from tests.factories import SchoolFactory

    school = SchoolFactory()

    output = StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)

    assert School.objects.get() == school
    assert not User.objects.exists()
    assert "not empty" in output.getvalue()


@pytest.mark.django_db
def test_seeding_into_an_empty_database_with_if_empty_seeds():
    output = StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)

    assert School.objects.filter(code="GLXX01").exists()


def test_steps_run_in_the_order_of_the_apps_whichever_demo_module_was_imported_first():
    """A test importing contests.demo before the rest registered its step first: the
    competition then ran before the teachers it enters existed."""
    assert _in_app_order([seed_contests, seed_teachers]) == [seed_teachers, seed_contests]
