"""The login page with single sign-on: the buttons, password login switched off for everyone but
superusers, the page that tells an unknown person whom to ask, and logging out of CAS too."""

import socket

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sso.backends import REFUSAL_KEY
from tests.factories import UserFactory

CAS_URL = "http://127.0.0.1:9/cas/"


def closed_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_in(client, username, password="pass12345", language="zh-hans"):
    return client.post(
        "/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.fixture
def sso_on(settings):
    settings.CAS_ENABLED, settings.CAS_SERVER_URL = True, CAS_URL
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/o/authorize/"
    settings.OIDC_RP_CLIENT_ID = "gugan"
    settings.OIDC_BUTTON_LABEL = "教育局统一身份认证"


@pytest.mark.django_db
def test_the_login_page_shows_a_button_per_protocol_switched_on(client, sso_on):
    page = client.get("/login/?next=/records/").content.decode()

    assert 'href="/sso/cas/login/?next=%2Frecords%2F"' in page
    assert 'href="/sso/oidc/authenticate/?next=%2Frecords%2F"' in page
    assert "教育局统一身份认证" in page  # the district's own label
    assert "用区统一身份认证（CAS）登录" in page


@pytest.mark.django_db
def test_without_single_sign_on_the_login_page_has_no_buttons(client):
    assert 'id="sso-buttons"' not in client.get("/login/").content.decode()
    assert client.get("/sso/cas/login/").status_code == 404
    assert client.get("/sso/oidc/authenticate/").status_code == 404


@pytest.mark.django_db
def test_the_reset_link_shows_only_while_password_login_is_on(client, settings):
    reset = reverse("password_reset")
    assert reset in client.get("/login/").content.decode()
    settings.PASSWORD_LOGIN = False
    assert reset not in client.get("/login/").content.decode()


def test_password_login_off_refuses_teachers_with_their_right_password(
    client, settings, sso_on, teacher_user
):
    settings.PASSWORD_LOGIN = False

    chinese = log_in(client, "teacher").content.decode()
    english = log_in(Client(), "teacher", language="en").content.decode()

    assert "_auth_user_id" not in client.session
    assert "教师和学校工作人员已不能用密码登录" in chinese
    assert "Password login is switched off for teachers and school staff" in english
    assert 'id="sso-buttons"' in chinese


@pytest.mark.django_db
def test_password_login_off_refuses_a_wrong_password_with_the_same_words(
    client, settings, teacher_user
):
    settings.PASSWORD_LOGIN = False

    right = log_in(client, "teacher", language="en").content.decode()
    wrong = log_in(Client(), "teacher", "wrong", language="en").content.decode()

    def error(page):
        return page.split('class="alert alert-block alert-danger"')[1].split("</div>")[0]

    assert error(right) == error(wrong)  # nothing tells a right password from a wrong one
    assert "Administrators: Gugan password" not in right  # no buttons: the note instead
    assert "Password login is for administrators only." in right


@pytest.mark.django_db
def test_a_superuser_keeps_the_password_login(client, settings, sso_on):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="admin", is_superuser=True, is_staff=True)

    response = log_in(client, "admin")

    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_wrong_passwords_still_lock_the_login_with_single_sign_on_on(client, settings, sso_on):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "admin", "wrong")

    response = log_in(client, "admin")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def refused_page(client, refusal, language):
    session = client.session
    if refusal:
        session[REFUSAL_KEY] = refusal
    session.save()
    return client.get("/sso/refused/", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, words",
    [
        ("zh-hans", ["您的区统一身份账号没有对应的 Gugan 账号", "教科室", "X999"]),
        ("en", ["No Gugan login goes with your district account", "training office", "X999"]),
    ],
)
def test_an_unknown_person_is_told_whom_to_ask(client, settings, language, words):
    settings.SSO_HELP_CONTACT = "区教师进修学校 王老师 0591-12345678"
    refusal = {"protocol": "cas", "reason": "unknown", "value": "X999"}

    response = refused_page(client, refusal, language)

    page = response.content.decode()
    assert response.status_code == 403
    assert all(word in page for word in words), page
    assert "区教师进修学校 王老师 0591-12345678" in page
    assert REFUSAL_KEY not in client.session  # shown once


@pytest.mark.django_db
def test_the_refusal_page_alone_says_the_sign_in_did_not_work(client):
    page = refused_page(client, None, "en").content.decode()

    assert "Signing in through the district account did not work" in page


@pytest.mark.django_db
def test_the_cas_button_sends_the_browser_to_the_cas_server(client, sso_on):
    response = client.get("/sso/cas/login/?next=/records/")

    assert response.status_code == 302
    assert response.url.startswith(CAS_URL + "login?service=")
    assert "sso%2Fcas%2Flogin%2F%3Fnext%3D%252Frecords%252F" in response.url


@pytest.mark.django_db
def test_the_cas_button_never_sends_anyone_to_another_site_afterwards(client, sso_on):
    response = client.get("/sso/cas/login/?next=https://elsewhere.example/")

    assert response.status_code == 302 and response.url == "/sso/cas/login/"
    assert "elsewhere" not in client.get(response.url).url


@pytest.mark.django_db
def test_a_cas_server_that_does_not_answer_gets_a_page_not_an_error(client, settings, sso_on):
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{closed_port()}/"

    response = client.get("/sso/cas/login/?ticket=ST-1-abc")

    assert response.status_code == 302 and response.url == "/sso/refused/"
    page = client.get("/sso/refused/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "identity service did not answer" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_single_sign_ons_do_not_lock_the_school_s_address(client, settings, sso_on):
    """The lockout counts passwords; a school signs many people in from one address."""
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{closed_port()}/"
    UserFactory(username="admin", is_superuser=True)

    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        response = client.get(f"/sso/cas/login/?ticket=ST-{n}")
        assert response.status_code == 302 and response.url == "/sso/refused/"

    assert not AccessAttempt.objects.exists()
    assert log_in(client, "admin").url == "/"


@pytest.mark.django_db
def test_logging_out_of_a_cas_session_ends_it_at_the_cas_server(client, sso_on, teacher_user):
    client.force_login(teacher_user, backend="sso.backends.CASBackend")

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response.url.startswith(CAS_URL + "logout?service=")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logging_out_of_a_password_session_stays_in_gugan(client, sso_on, teacher_user):
    client.force_login(teacher_user)

    response = client.post("/logout/")

    assert response.url == settings.LOGOUT_REDIRECT_URL or response.url == "/login/"


@pytest.mark.django_db
def test_the_login_and_refusal_pages_cost_no_query_per_school(
    client, sso_on, django_assert_max_num_queries
):
    from tests.factories import SchoolFactory

    SchoolFactory.create_batch(30)
    with django_assert_max_num_queries(2):  # the session, at most
        assert client.get("/login/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/sso/refused/").status_code == 403


@pytest.mark.django_db
def test_switching_password_login_off_ends_the_sessions_it_opened(client, settings, teacher_user):
    client.force_login(teacher_user)  # signed in with the Gugan password
    assert client.get("/").status_code == 200

    settings.PASSWORD_LOGIN = False

    assert client.get("/").url.startswith("/login/")
    client.force_login(teacher_user, backend="sso.backends.LDAPBackend")
    assert client.get("/").status_code == 200  # a session the directory opened stays


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["principal", "teacher_user", "outsider"])
def test_signed_in_people_of_any_school_are_sent_home_by_the_sign_in_pages(
    client, sso_on, request, who
):
    """The single sign-on pages hold nobody's data: a signed-in principal, teacher or someone
    of another school is sent to their own home page by the buttons, and the refusal page
    tells them nothing of anyone."""
    client.force_login(request.getfixturevalue(who))

    assert client.get("/sso/cas/login/").url == "/"
    page = client.get("/sso/refused/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Signing in through the district account did not work" in page


@pytest.mark.django_db
def test_administrators_see_the_logins_made_by_the_role_map(client, teacher_user):
    from sso.models import Link

    Link.objects.create(user=teacher_user, field="staff_no", value="L001")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    page = client.get("/admin/sso/link/?q=L001").content.decode()

    assert "L001" in page and "teacher" in page
