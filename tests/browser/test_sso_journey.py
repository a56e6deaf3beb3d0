"""A teacher signs in through each single sign-on protocol in the browser, against real servers
started on loopback by the test (tests/sso/servers.py): a CAS server, an OpenID provider and
Debian's slapd. Each journey lands on the teacher's home page; logging out of CAS ends the CAS
session too; somebody Gugan does not know reads whom to ask."""

import pytest

from core.models import Role
from tests.factories import TeacherFactory, user_with_role
from tests.sso.servers import (  # noqa: F401  (fixtures)
    PASSWORD,
    cas_on,
    cas_server,
    ldap_on,
    needs_slapd,
    oidc_on,
    oidc_provider,
    slapd,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def li(school):
    """李老师 as Gugan knows her: staff number L001, li@school.cn, her own Gugan username."""
    user = user_with_role(
        Role.TEACHER, school=school, username="a001-l001", email="", display_name="李老师"
    )
    TeacherFactory(school=school, user=user, name="李老师", staff_no="L001", email="li@school.cn")
    return user


@pytest.fixture
def browse(open_session, live_server):
    """A browser session whose faults are counted on Gugan's pages only: the identity
    servers' own pages (their favicons, their assets) are not this project's."""
    opened = []

    def _open(language="zh-hans", name=""):
        session = open_session(language, name=name)
        opened.append(session)
        return session

    yield _open
    for session in opened:
        session.problems[:] = [p for p in session.problems if live_server.url in p]


def on_home_page(session, live_server):
    page = session.page
    page.wait_for_url(live_server.url + "/")
    assert page.locator("#home-teacher").is_visible()
    assert "李老师" in page.locator("h1").inner_text()


def log_out(session):
    page = session.page
    page.locator("form[action='/logout/'] button").evaluate("b => b.form.requestSubmit()")


def test_a_teacher_signs_in_through_cas_and_logging_out_ends_the_cas_session(
    browse,
    live_server,
    cas_on,  # noqa: F811
    li,
):
    session = browse(name="sso-cas")
    page = session.goto("/login/")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        session.shot(f"login-buttons-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("a[data-protocol=cas]")
    page.wait_for_url(cas_on.url + "/login?service=**")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    on_home_page(session, live_server)
    session.shot("cas-home")

    log_out(session)
    page.wait_for_url(live_server.url + "/login/")
    # The CAS session is over too: the button asks for the password again.
    page.click("a[data-protocol=cas]")
    page.wait_for_url(cas_on.url + "/login?service=**")
    assert page.locator("input[name=password]").is_visible()


def test_logging_out_at_the_cas_server_ends_the_gugan_session_too(
    browse,
    live_server,
    cas_on,  # noqa: F811
    li,
):
    """Single logout: the CAS server tells Gugan (a back-channel POST) that the person left."""
    session = browse(name="sso-cas-slo")
    page = session.goto("/login/")
    page.click("a[data-protocol=cas]")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    on_home_page(session, live_server)

    page.goto(cas_on.url + "/logout")  # as another of the district's sites would
    page.goto(live_server.url + "/")

    assert page.url.startswith(live_server.url + "/login/")


def test_somebody_gugan_does_not_know_reads_whom_to_ask(
    browse,
    live_server,
    cas_on,  # noqa: F811
    li,
):
    session = browse("en", name="sso-cas-stranger")
    refused = live_server.url + "/sso/refused/"
    session.refusals.add(refused)
    page = session.goto("/login/")
    page.click("a[data-protocol=cas]")
    page.fill("input[name=username]", "stranger")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(refused)
    text = page.locator("#sso-refused").inner_text()
    assert "No Gugan login goes with your district account" in text
    assert "x@elsewhere.cn" in text
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        session.shot(f"refused-{width}")
        assert fits(page, width)


def test_a_teacher_signs_in_through_openid_connect_and_out_at_the_provider(
    browse,
    live_server,
    oidc_on,  # noqa: F811
    li,
):
    session = browse(name="sso-oidc")
    page = session.goto("/login/")
    page.click("a[data-protocol=oidc]")
    page.wait_for_url(oidc_on.url + "/accounts/login/**")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    on_home_page(session, live_server)
    session.shot("oidc-home")

    log_out(session)
    page.wait_for_url(live_server.url + "/login/")
    page.click("a[data-protocol=oidc]")
    page.wait_for_url(oidc_on.url + "/accounts/login/**")  # the provider asks again


def test_a_provider_account_gugan_does_not_know_reads_whom_to_ask(
    browse,
    live_server,
    oidc_on,  # noqa: F811
    li,
):
    session = browse("en", name="sso-oidc-stranger")
    refused = live_server.url + "/sso/refused/"
    session.refusals.add(refused)
    page = session.goto("/login/")
    page.click("a[data-protocol=oidc]")
    page.fill("input[name=username]", "stranger")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(refused)
    assert "X999" in page.locator("#sso-refused").inner_text()


@needs_slapd
def test_a_teacher_signs_in_with_the_directory_password(
    browse,
    live_server,
    ldap_on,  # noqa: F811
    li,
):
    session = browse(name="sso-ldap")
    page = session.goto("/login/")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    on_home_page(session, live_server)
    session.shot("ldap-home")


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_with_password_login_off_the_page_leads_with_the_buttons(
    browse,
    live_server,
    settings,
    cas_on,  # noqa: F811
    li,
):
    settings.PASSWORD_LOGIN = False
    session = browse(name="sso-password-off")
    page = session.goto("/login/")
    page.fill("input[name=username]", "a001-l001")
    page.fill("input[name=password]", "pass12345")  # her right Gugan password
    page.click("#submit-id-submit")
    page.wait_for_load_state()
    assert "教师和学校工作人员已不能用密码登录" in page.locator("main").inner_text()
    assert "管理员：使用 Gugan 密码登录" in page.locator("main").inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        session.shot(f"login-{width}")
        assert fits(page, width)


@needs_slapd
def test_a_directory_stranger_reads_whom_to_ask_in_chinese(
    browse,
    live_server,
    ldap_on,  # noqa: F811
    li,
):
    session = browse(name="sso-ldap-stranger")
    refused = live_server.url + "/sso/refused/"
    session.refusals.add(refused)
    page = session.goto("/login/")
    page.fill("input[name=username]", "stranger")
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_url(refused)
    text = page.locator("#sso-refused").inner_text()
    assert "您的区统一身份账号没有对应的 Gugan 账号" in text and "教科室" in text
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        session.shot(f"refused-{width}")
        assert fits(page, width)
