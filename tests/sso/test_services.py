"""Who single sign-on lets in: one Gugan login by staff number, email or phone; no role made up,
unless SSO_ROLE_MAP maps the person's attributes to a school and a role."""

import pytest

from core.models import Role, RoleAssignment
from sso.models import Link
from sso.services import SSORefused, sso_user_for
from tests.factories import SchoolFactory, TeacherFactory, UserFactory, user_with_role


def refusal(claims, protocol="cas") -> SSORefused:
    with pytest.raises(SSORefused) as caught:
        sso_user_for(protocol=protocol, claims=claims)
    return caught.value


@pytest.mark.django_db
def test_a_teacher_is_found_by_the_staff_number_the_service_sends(teacher_user):
    assert sso_user_for(protocol="cas", claims={"employeeNumber": "L001"}) == teacher_user


@pytest.mark.django_db
def test_each_protocol_may_name_its_own_attribute(settings, teacher_user):
    settings.LDAP_MATCH_CLAIM = "employeeID"

    found = sso_user_for(protocol="ldap", claims={"EmployeeID": ["L001"], "uid": ["li"]})

    assert found == teacher_user  # LDAP attribute names are case-insensitive


@pytest.mark.django_db
def test_staff_by_email_and_teachers_by_roster_email(settings, principal, school):
    settings.SSO_MATCH_FIELD, settings.SSO_MATCH_CLAIM = "email", "email"
    principal.email = "Head@School.cn"
    principal.save()
    teacher = user_with_role(Role.TEACHER, school=school)
    TeacherFactory(school=school, user=teacher, email="wang@school.cn")

    assert sso_user_for(protocol="oidc", claims={"email": "head@school.cn"}) == principal
    assert sso_user_for(protocol="oidc", claims={"email": "WANG@school.cn"}) == teacher


@pytest.mark.django_db
def test_a_phone_number_matches_however_the_roster_wrote_it(settings, school):
    settings.SSO_MATCH_FIELD, settings.SSO_MATCH_CLAIM = "phone", "phone_number"
    teacher = user_with_role(Role.TEACHER, school=school)
    TeacherFactory(school=school, user=teacher, phone="138 0013 8000")

    assert sso_user_for(protocol="oidc", claims={"phone_number": "+8613800138000"}) == teacher


@pytest.mark.django_db
def test_nobody_with_that_staff_number_is_told_so_and_nothing_is_created(teacher_user):
    users = type(teacher_user).objects.count()

    refused = refusal({"employeeNumber": "X999"})

    assert (refused.reason, refused.value) == ("unknown", "X999")
    assert type(teacher_user).objects.count() == users


@pytest.mark.django_db
def test_a_roster_teacher_without_a_login_is_not_given_one(school):
    TeacherFactory(school=school, staff_no="N001")

    assert refusal({"employeeNumber": "N001"}).reason == "no_login"
    assert not RoleAssignment.objects.exists()


@pytest.mark.django_db
def test_the_service_not_sending_the_attribute_is_its_own_refusal(teacher_user):
    assert refusal({"mail": "li@school.cn"}).reason == "missing"


@pytest.mark.django_db
def test_a_switched_off_login_stays_out_even_with_a_role_map(settings, teacher_user, school):
    teacher_user.role_assignments.all().delete()  # as when the teacher left the school
    teacher_user.is_active = False
    teacher_user.save()
    settings.SSO_ROLE_CLAIM = "affiliation"
    settings.SSO_ROLE_MAP = {"teacher": f"{school.code}:teacher"}

    refused = refusal({"employeeNumber": "L001", "affiliation": "teacher"})

    assert refused.reason == "switched_off"
    assert not RoleAssignment.objects.exists()
    assert type(teacher_user).objects.count() == 1


@pytest.mark.django_db
def test_one_staff_number_at_two_schools_needs_the_school_attribute(settings, school):
    other = SchoolFactory(district=school.district, code="A002")
    here = user_with_role(Role.TEACHER, school=school)
    there = user_with_role(Role.TEACHER, school=other)
    TeacherFactory(school=school, user=here, staff_no="S01")
    TeacherFactory(school=other, user=there, staff_no="S01")

    assert refusal({"employeeNumber": "S01"}).reason == "ambiguous"

    settings.SSO_SCHOOL_CLAIM = "schoolCode"
    claims = {"employeeNumber": "S01", "schoolCode": "A002"}
    assert sso_user_for(protocol="cas", claims=claims) == there


@pytest.mark.django_db
def test_the_role_map_gives_an_unknown_person_the_mapped_roles_once(settings, school):
    settings.SSO_ROLE_CLAIM = "affiliation"
    settings.SSO_ROLE_MAP = {
        "staff-a001": f"{school.code}:teacher",
        "head-a001": f"{school.code}:principal",
        "nonsense": "NOPE:teacher",
    }
    roster = TeacherFactory(school=school, staff_no="R001")
    claims = {
        "employeeNumber": "R001",
        "affiliation": ["staff-a001", "head-a001", "nonsense", "unmapped"],
        "displayName": "赵校长",
        "mail": "zhao@school.cn",
    }

    user = sso_user_for(protocol="cas", claims=claims)
    again = sso_user_for(protocol="cas", claims=claims)

    assert again == user
    assert (user.display_name, user.email, user.has_usable_password()) == (
        "赵校长",
        "zhao@school.cn",
        False,
    )
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", "school"))
    assert held == {(Role.TEACHER, school.pk), (Role.PRINCIPAL, school.pk)}
    roster.refresh_from_db()
    assert roster.user == user  # the roster row is this login's teacher profile


@pytest.mark.django_db
def test_a_role_map_login_without_roster_row_is_found_again_by_its_link(settings, school):
    settings.SSO_MATCH_FIELD, settings.SSO_MATCH_CLAIM = "phone", "mobile"
    settings.SSO_ROLE_CLAIM = "ou"
    settings.SSO_ROLE_MAP = {"office": f"{school.code}:training_office"}
    claims = {"mobile": "13900000001", "ou": "office"}

    user = sso_user_for(protocol="ldap", claims=claims)

    assert sso_user_for(protocol="ldap", claims=claims) == user
    assert Link.objects.get().user == user
    assert type(user).objects.filter(role_assignments__isnull=False).distinct().count() == 1


@pytest.mark.django_db
def test_values_the_role_map_does_not_know_get_the_refusal(settings, school):
    settings.SSO_ROLE_CLAIM = "affiliation"
    settings.SSO_ROLE_MAP = {"staff-a001": f"{school.code}:teacher"}
    UserFactory()

    assert refusal({"employeeNumber": "Q1", "affiliation": "student"}).reason == "unknown"


def queries_to_match(claims) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        sso_user_for(protocol="cas", claims=claims)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_matching_costs_the_same_however_large_the_roster(school, teacher_user):
    def roster(n):
        for _ in range(n):
            user = user_with_role(Role.TEACHER, school=school)
            TeacherFactory(school=school, user=user)

    roster(5)
    few = queries_to_match({"employeeNumber": "L001"})
    roster(45)
    many = queries_to_match({"employeeNumber": "L001"})

    assert few == many == 1


@pytest.mark.django_db
def test_an_openid_provider_need_not_release_an_email(settings, teacher_user):
    from sso.oidc import MatchingOIDCBackend

    settings.OIDC_OP_JWKS_ENDPOINT = "http://127.0.0.1:9/jwks"

    claims = {"sub": "42", "employeeNumber": "L001"}  # asked for the email scope, got no email

    assert MatchingOIDCBackend().verify_claims(claims)
    assert sso_user_for(protocol="oidc", claims=claims) == teacher_user
