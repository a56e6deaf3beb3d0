"""Switching a protocol on half-way is reported by `manage.py check`, by name of the variable."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from sso.checks import single_sign_on_settings


def ids(found) -> list[str]:
    return sorted(message.id for message in found)


def test_the_default_settings_pass():
    assert single_sign_on_settings(None) == []


def test_half_configured_protocols_are_named(settings):
    settings.CAS_ENABLED, settings.CAS_SERVER_URL = True, ""
    settings.OIDC_ENABLED, settings.OIDC_RP_CLIENT_ID = True, "gugan"
    settings.LDAP_ENABLED, settings.AUTH_LDAP_SERVER_URI = True, "ldap://127.0.0.1"
    settings.SSO_ROLE_MAP = {"teacher": "GL01:pupil", "head": "GL01:principal"}
    settings.SSO_MATCH_FIELD = "id_card"

    found = single_sign_on_settings(None)

    assert ids(found) == sorted(
        ["sso.E001", "sso.E002", "sso.E004", "sso.E007", "sso.E008"] + ["sso.E003"] * 4
    )
    assert "OIDC_CLIENT_SECRET" in " ".join(message.msg for message in found)


def test_password_login_off_without_any_protocol_is_a_warning(settings):
    settings.PASSWORD_LOGIN = False

    assert ids(single_sign_on_settings(None)) == ["sso.W001"]


def test_the_logout_origins_come_from_the_environment():
    """config/settings/base.py lets the logout form go on to the CAS server and the provider."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CAS_ENABLED": "true",
        "CAS_SERVER_URL": "https://cas.example.edu.cn/cas/",
        "OIDC_ENABLED": "true",
        "OIDC_LOGOUT_ENDPOINT": "https://id.example.gov.cn/oidc/logout",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout

    assert "'https://cas.example.edu.cn'" in out
    assert "'https://id.example.gov.cn'" in out
