"""Security: the Content-Security-Policy and templates that keep to it, login throttling,
session expiry, security headers and friendly error pages."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path
from django.utils import timezone

from config.urls import urlpatterns as project_urlpatterns

# -- Content-Security-Policy -------------------------------------------------------------------


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_only_our_own_scripts_and_styles(client, login, principal):
    pages = [client.get("/login/")]
    login(principal)
    pages += [client.get("/"), client.get("/teachers/"), client.get("/no-such-page/")]

    for response in pages:
        policy = directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self' data:"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert "unsafe" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_carry_the_other_security_headers(client, login, principal):
    response = login(principal).get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


# What the policy would block, so the page would break: inline scripts and event handlers,
# style attributes and blocks, javascript: links, and htmx features that need eval.
FORBIDDEN = {
    "inline <script>": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", re.I
    ),
    "on… event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on handler": re.compile(r"\shx-on[:-]", re.I),
    "htmx eval (js: values, hx-vars)": re.compile(r"hx-vals=['\"]\s*js:|\shx-vars=", re.I),
    "htmx trigger filter [..]": re.compile(r"hx-trigger=\"(?:[^\"]*,)?\s*[\w:.-]+\[", re.I),
}


def page_templates() -> list[Path]:
    """Every template a browser may receive. PDF templates are left out: WeasyPrint runs no
    JavaScript and their styles never reach a browser."""
    base = Path(settings.BASE_DIR)
    found = []
    for folder in [base / "templates", *base.glob("*/templates")]:
        for template in folder.rglob("*.html"):
            relative = template.relative_to(folder).as_posix()
            text = template.read_text(encoding="utf-8")
            if relative.startswith("pdf/") or relative.endswith("_pdf.html"):
                continue
            if '{% extends "pdf/base.html" %}' in text:
                continue
            found.append(template)
    return found


def violations(name: str, text: str) -> list[str]:
    return [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {what}: {match.group(0)[:60]!r}"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]


def test_no_template_has_inline_scripts_handlers_or_styles():
    templates = page_templates()
    assert len(templates) > 50  # the search found the project's templates

    found = [
        problem
        for template in templates
        for problem in violations(
            template.relative_to(settings.BASE_DIR).as_posix(), template.read_text("utf-8")
        )
    ]

    assert found == [], "\n".join(found)


def test_the_template_check_recognises_what_the_policy_blocks():
    bad = [
        '<button onclick="go()">',
        "<script>alert(1)</script>",
        '<div class="x" style="width: 5%">',
        "<style>p {}</style>",
        '<a href="javascript:void(0)">',
        '<form hx-on::after-request="this.reset()">',
        """<div hx-vals='js:{a: 1}'>""",
        '<input hx-trigger="keyup[ctrlKey]">',
    ]
    good = [
        '<script src="/static/js/gugan.js" defer></script>',
        '<form data-confirm="Sure?">',
        '<input hx-trigger="change, keyup changed delay:400ms from:input[name=q]">',
        '<div class="progress-bar pct-40">',
    ]

    assert all(violations("t", snippet) for snippet in bad)
    assert not any(violations("t", snippet) for snippet in good)


@pytest.mark.django_db
def test_rendered_pages_have_no_inline_scripts_either(client, login, principal):
    """Forms and widgets render HTML from Python too; the key pages as a browser gets them."""
    pages = {"/login/": client.get("/login/").content.decode()}
    login(principal)
    for url in ["/", "/teachers/", "/backbone/", "/records/growth/"]:
        response = client.get(url, follow=True)
        pages[url] = response.content.decode()

    found = [problem for url, html in pages.items() for problem in violations(url, html)]

    assert found == [], "\n".join(found)


# -- Login throttling (django-axes) ------------------------------------------------------------


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client, principal):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, principal.username, "wrong").status_code == 200  # form again

    fifth = log_in(client, principal.username, "wrong")
    right = log_in(client, principal.username, "pass12345")

    for response in (fifth, right):
        assert response.status_code == 429
        page = response.content.decode()
        assert "Too many failed logins" in page
        assert f"logging in as “{principal.username}” from this network is paused for 15" in page
        assert 'lang="en"' in page and "navbar" in page  # the site's own page, in English
    assert not logged_in(client)


@pytest.mark.django_db
def test_after_the_cool_off_the_right_password_works_again(client, principal):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, principal.username, "wrong")
    assert log_in(client, principal.username, "pass12345").status_code == 429

    # Travel past the cool-off: the recorded failures become older than it.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)

    response = log_in(client, principal.username, "pass12345")

    assert response.status_code == 302 and response.url == "/"
    assert logged_in(client)


@pytest.mark.django_db
def test_the_lockout_holds_one_username_at_one_address_only(principal, training_office):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, principal.username, "wrong")

    colleague = Client()  # same address, another user
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")  # same user, another address

    assert log_in(colleague, training_office.username, "pass12345").status_code == 302
    assert log_in(elsewhere, principal.username, "pass12345").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_address_comes_from_the_proxy_header(settings, principal):
    """Every request reaches Django from the proxy; one person's mistakes must not lock out
    everyone else who logs in as that user through it."""
    settings.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, principal.username, "wrong")

    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert log_in(owner, principal.username, "pass12345").status_code == 302
    assert log_in(attacker, principal.username, "pass12345").status_code == 429


# -- Sessions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_session_leads_back_to_the_login_page(client, login, principal):
    login(principal)
    assert client.get("/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/teachers/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/teachers/"


@pytest.mark.django_db
def test_activity_extends_the_session(client, login, principal):
    login(principal)
    session = client.session
    session["_touched"] -= settings.SESSION_REFRESH_SECONDS  # last saved a while ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))

    client.get("/")

    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


@pytest.mark.django_db
def test_a_recently_saved_session_is_not_written_again(client, login, principal):
    login(principal)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=30))

    client.get("/")
    client.get("/teachers/")

    expires = Session.objects.get().expire_date
    assert expires < timezone.now() + timedelta(minutes=31)


# -- Error pages --------------------------------------------------------------------------------


@login_not_required
def broken(request):
    raise ZeroDivisionError("secret detail from deep inside")


@login_not_required
def forbidden(request):
    raise PermissionDenied("internal reason")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("internal reason")


urlpatterns = [
    path("test/broken/", broken),
    path("test/forbidden/", forbidden),
    path("test/suspicious/", suspicious),
    *project_urlpatterns,
]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/test/broken/", 500, "Something went wrong"),
        ("/test/forbidden/", 403, "Access denied"),
        ("/test/suspicious/", 400, "Bad request"),
        ("/no-such-page/", 404, "Page not found"),
    ],
)
def test_errors_show_a_friendly_page_without_internals(url, status, message):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == status
    assert message in page and "Back to the start page" in page
    assert "navbar" in page  # the site's own layout
    for internal in ("Traceback", "ZeroDivisionError", "secret detail", "internal reason"):
        assert internal not in page


@pytest.mark.django_db
def test_a_stale_form_explains_itself_instead_of_a_bare_csrf_error(principal):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post("/login/", {"username": principal.username, "password": "pass12345"})

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
