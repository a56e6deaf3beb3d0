"""The login form against a real directory: Debian's slapd, started by the test on loopback
with two people in it (tests/sso/servers.py)."""

import pytest
from django.test import Client

from core.models import Role, User
from tests.factories import TeacherFactory, UserFactory, user_with_role
from tests.sso.servers import PASSWORD, SUFFIX, free_port, needs_slapd

pytestmark = [needs_slapd, pytest.mark.django_db]


@pytest.fixture
def li(school):
    """李老师 in Gugan: her login's username is not her directory uid."""
    user = user_with_role(Role.TEACHER, school=school, username="a001-l001")
    TeacherFactory(school=school, user=user, name="李老师", staff_no="L001")
    return user


def log_in(client, username, password):
    return client.post(
        "/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_directory_password_signs_the_teacher_in_by_staff_number(client, ldap_on, li):
    response = log_in(client, "li", PASSWORD)

    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(li.pk)
    assert client.session["_auth_user_backend"] == "sso.backends.LDAPBackend"
    assert client.get("/").status_code == 200


def test_a_wrong_directory_password_is_a_wrong_password(client, ldap_on, li):
    response = log_in(client, "li", "not-it")

    assert response.status_code == 200
    assert "The username or the password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_someone_the_directory_knows_and_gugan_does_not_is_told_whom_to_ask(client, ldap_on, li):
    response = log_in(client, "stranger", PASSWORD)

    assert response.status_code == 302 and response.url == "/sso/refused/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No Gugan login goes with your district account" in page
    assert "X999" in page and "training office" in page
    assert "_auth_user_id" not in client.session


def test_with_a_role_map_the_stranger_gets_the_mapped_role_and_signs_in(
    settings, client, ldap_on, li, school
):
    settings.SSO_ROLE_CLAIM = "departmentNumber"
    settings.SSO_ROLE_MAP = {"A001-teacher": f"{school.code}:teacher"}

    response = log_in(client, "stranger", PASSWORD)

    assert response.url == "/"
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user.display_name == "陌生人" and user.email == "x@elsewhere.cn"
    assert list(user.role_assignments.values_list("role", "school")) == [(Role.TEACHER, school.pk)]
    assert client.get("/").status_code == 200
    # The next time is the same login, whatever the directory's username.
    assert log_in(Client(), "stranger", PASSWORD).url == "/"
    assert User.objects.filter(display_name="陌生人").count() == 1


def test_the_directory_can_be_searched_with_a_service_account(settings, client, ldap_on, li):
    settings.AUTH_LDAP_USER_DN_TEMPLATE = None
    settings.LDAP_USER_SEARCH_BASE = f"ou=people,{SUFFIX}"
    settings.AUTH_LDAP_BIND_DN = f"cn=admin,{SUFFIX}"
    settings.AUTH_LDAP_BIND_PASSWORD = "root-secret"

    assert log_in(client, "li", PASSWORD).url == "/"


def test_with_password_login_off_the_directory_still_signs_teachers_in(settings, ldap_on, li):
    settings.PASSWORD_LOGIN = False

    assert log_in(Client(), "li", PASSWORD).url == "/"
    refused = log_in(Client(), "a001-l001", "pass12345")  # her Gugan password
    assert refused.status_code == 200


def test_a_local_superuser_is_not_looked_up_in_the_directory(settings, client, ldap_on):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="admin", is_superuser=True)

    assert log_in(client, "admin", "pass12345").url == "/"


def test_wrong_directory_passwords_lock_the_login_like_any_other(settings, client, ldap_on, li):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "li", "not-it")

    assert log_in(client, "li", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_directory_that_does_not_answer_is_named_as_the_trouble(settings, client, ldap_on, li):
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}"  # nobody listens

    response = log_in(client, "li", PASSWORD)

    assert response.status_code == 302 and response.url == "/sso/refused/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The district&#x27;s identity service did not answer" in page
