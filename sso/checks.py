"""System checks: a district that switches a protocol on half-way hears it at start-up, not
from a teacher whose login fails."""

import importlib.util

from django.conf import settings
from django.core.checks import Error, Warning, register

from core.models import SCHOOL_ROLES

from .services import FIELDS

OIDC_NEEDS = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "OIDC_USERINFO_ENDPOINT",
}


def _missing(variable: str, protocol: str, id: str) -> Error:
    return Error(f"{protocol} is on but {variable} is not set.", id=id)


@register()
def single_sign_on_settings(app_configs, **kwargs):
    found = []
    if settings.SSO_MATCH_FIELD not in FIELDS:
        found.append(Error(f"SSO_MATCH_FIELD must be one of {', '.join(FIELDS)}.", id="sso.E001"))
    if settings.CAS_ENABLED and not settings.CAS_SERVER_URL:
        found.append(_missing("CAS_SERVER_URL", "CAS_ENABLED", "sso.E002"))
    if settings.OIDC_ENABLED:
        for name, variable in OIDC_NEEDS.items():
            if not getattr(settings, name):
                found.append(_missing(variable, "OIDC_ENABLED", "sso.E003"))
        if settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not (
            settings.OIDC_OP_JWKS_ENDPOINT
        ):
            found.append(_missing("OIDC_JWKS_ENDPOINT", "OIDC_ENABLED", "sso.E004"))
    if settings.LDAP_ENABLED:
        if importlib.util.find_spec("ldap") is None:
            found.append(
                Error(
                    "LDAP_ENABLED is on but python-ldap is not installed.",
                    hint="Install the ldap extra (needs libldap2-dev and libsasl2-dev).",
                    id="sso.E005",
                )
            )
        if not settings.AUTH_LDAP_SERVER_URI:
            found.append(_missing("LDAP_SERVER_URI", "LDAP_ENABLED", "sso.E006"))
        if not (settings.AUTH_LDAP_USER_DN_TEMPLATE or settings.LDAP_USER_SEARCH_BASE):
            found.append(
                _missing(
                    "LDAP_USER_DN_TEMPLATE or LDAP_USER_SEARCH_BASE", "LDAP_ENABLED", "sso.E007"
                )
            )
    for value, target in settings.SSO_ROLE_MAP.items():
        code, _sep, role = str(target).partition(":")
        if not code or role not in SCHOOL_ROLES:
            found.append(
                Error(
                    f"SSO_ROLE_MAP {value}={target}: write school code:role, the role one of "
                    f"{', '.join(SCHOOL_ROLES)}.",
                    id="sso.E008",
                )
            )
    any_protocol = settings.CAS_ENABLED or settings.OIDC_ENABLED or settings.LDAP_ENABLED
    if not settings.PASSWORD_LOGIN and not any_protocol:
        found.append(
            Warning(
                "PASSWORD_LOGIN is off and no single sign-on protocol is on: only superusers "
                "can sign in.",
                id="sso.W001",
            )
        )
    return found
