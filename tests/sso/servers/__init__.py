"""Real identity servers on loopback for the single sign-on tests, each in a throwaway process
started by the test and killed by its pid at the end: Debian's slapd with a small directory, a
CAS server (django-cas-server) and an OpenID provider (django-oauth-toolkit), the last two as
tiny Django projects written into a temporary folder.

Every server listens on 127.0.0.1; Gugan's live server is on localhost, so the cookies of the
two sites never mix (cookies ignore ports). People in every directory:

    li        李老师, staff number L001, li@school.cn      (a teacher Gugan knows)
    stranger  陌生人, staff number X999, x@elsewhere.cn    (nobody in Gugan)

In the directory both are in department A001-teacher (for the role map).
"""

import copy

import pytest

from .process import PASSWORD, PEOPLE, free_port  # noqa: F401  (used by the tests)
from .projects import start_cas_server, start_oidc_provider
from .slapd import SUFFIX, needs_slapd, start_slapd  # noqa: F401


def allow_logout_to(settings, url: str):
    """As config/settings/base.py does from the environment (SSO_LOGOUT_ORIGINS)."""
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(url)
    settings.CONTENT_SECURITY_POLICY = policy


# -- fixtures (session-scoped: each server starts once) ----------------------------------------
@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    server = start_slapd(tmp_path_factory.mktemp("slapd") / "ldap")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    server = start_cas_server(tmp_path_factory.mktemp("cas") / "cas")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory, live_server):
    callback, after_logout = f"{live_server.url}/sso/oidc/callback/", f"{live_server.url}/login/"
    folder = tmp_path_factory.mktemp("oidc") / "oidc"
    provider = start_oidc_provider(folder, callback, after_logout)
    yield provider
    provider.stop()


@pytest.fixture
def ldap_on(settings, slapd):
    settings.LDAP_ENABLED = True
    settings.AUTH_LDAP_SERVER_URI = slapd.url
    settings.AUTH_LDAP_USER_DN_TEMPLATE = f"uid=%(user)s,ou=people,{SUFFIX}"
    return slapd


@pytest.fixture
def cas_on(settings, cas_server):
    """CAS as django-cas-server releases it: the person's email (SSO_MATCH_FIELD=email)."""
    settings.CAS_ENABLED = True
    settings.CAS_SERVER_URL = cas_server.url + "/"
    settings.SSO_MATCH_FIELD = "email"
    settings.CAS_MATCH_CLAIM = "email"
    settings.SSO_NAME_CLAIM = "first_name"
    allow_logout_to(settings, cas_server.url)
    return cas_server


@pytest.fixture
def oidc_on(settings, oidc_provider):
    base = oidc_provider.url + "/o/"
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = base + "authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = base + "token/"
    settings.OIDC_OP_USER_ENDPOINT = base + "userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = base + ".well-known/jwks.json"
    settings.OIDC_OP_LOGOUT_ENDPOINT = base + "logout/"
    allow_logout_to(settings, oidc_provider.url)
    return oidc_provider
