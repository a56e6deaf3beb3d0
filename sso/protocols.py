"""The three single sign-on protocols, what switches each on and how its button reads."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

CAS, OIDC, LDAP = "cas", "oidc", "ldap"
# The backend a session was opened by (Django keeps its path in the session).
BACKENDS = {
    "sso.backends.CASBackend": CAS,
    "sso.backends.OIDCBackend": OIDC,
    "sso.backends.LDAPBackend": LDAP,
}


def enabled(protocol: str) -> bool:
    return bool(getattr(settings, f"{protocol.upper()}_ENABLED", False))


def match_claim(protocol: str) -> str:
    """The attribute of this protocol that carries the matching value (SSO_MATCH_FIELD)."""
    return getattr(settings, f"{protocol.upper()}_MATCH_CLAIM", "") or settings.SSO_MATCH_CLAIM


@dataclass(frozen=True)
class Button:
    protocol: str
    label: str
    url: str


def buttons(next_url: str = "") -> list[Button]:
    """The sign-in buttons of the switched-on redirect protocols (LDAP uses the login form)."""
    found = []
    query = "?" + urlencode({"next": next_url}) if next_url else ""
    if enabled(CAS):
        label = settings.CAS_BUTTON_LABEL or _("Sign in with the district account (CAS)")
        found.append(Button(CAS, label, reverse("sso_cas_login") + query))
    if enabled(OIDC):
        label = settings.OIDC_BUTTON_LABEL or _("Sign in with the district account (OpenID)")
        found.append(Button(OIDC, label, reverse("oidc_authentication_init") + query))
    return found
