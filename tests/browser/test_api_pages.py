"""The API's documentation page under the Content-Security-Policy (the browser reports every
refused script or style as a console error, which fails the session), the token page, the
platform import and the password reset, at desktop and phone widths without sideways
scrolling."""

import pytest

from core.models import Role
from tests.factories import SchoolFactory, TeacherFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def both_widths(s, label):
    s.shot(f"{label}-1280")
    assert fits(s.page), label
    s.page.set_viewport_size(PHONE)
    s.page.wait_for_timeout(200)
    s.shot(f"{label}-390")
    assert fits(s.page), f"{label} at 390 px"
    s.page.set_viewport_size({"width": 1280, "height": 900})


def test_the_api_documentation_loads_from_local_files_under_the_policy(open_session):
    s = open_session("en", name="api-docs")
    requests = []
    s.page.on("request", lambda r: requests.append(r.url))
    s.goto("/api/docs/")
    s.page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    s.page.wait_for_selector("text=/api/v1/hours/")
    assert "Gugan API" in s.page.inner_text(".swagger-ui .info .title")
    assert all(url.startswith(s.base_url) for url in requests), "assets from elsewhere"
    both_widths(s, "docs")


def test_a_principal_makes_and_revokes_a_token_and_opens_the_import(open_session):
    school = SchoolFactory(code="A001", name="城关第一小学")
    user_with_role(Role.PRINCIPAL, school=school, username="principal")
    TeacherFactory(school=school)
    s = open_session("zh-hans", name="api-tokens")
    s.login("principal")
    s.goto("/account/tokens/")
    s.page.fill("input[name=name]", "继续教育平台")
    s.page.select_option("select[name=scope]", "hours")
    s.page.click("form.card button[type=submit]")
    token = s.page.input_value("#new-token")
    assert len(token) > 40
    both_widths(s, "tokens")
    s.page.once("dialog", lambda d: d.accept())
    s.page.click("button.btn-outline-danger")
    s.page.wait_for_selector(".badge.text-bg-secondary")
    s.goto("/training/bureau-hours/")
    both_widths(s, "bureau-import")


def test_forgotten_password_from_the_login_page(open_session, mailoutbox):
    UserFactory(username="liming", email="liming@school.example")
    s = open_session("zh-hans", name="password-reset")
    s.goto("/login/")
    s.page.click("a[href='/password/reset/']")
    s.page.fill("input[name=email]", "liming@school.example")
    both_widths(s, "reset-form")
    s.page.click("form:has(input[name=email]) button[type=submit]")
    s.page.wait_for_url("**/password/reset/sent/")
    both_widths(s, "reset-sent")
    assert len(mailoutbox) == 1
