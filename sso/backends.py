"""Authentication backends: the Gugan password and the three single sign-on protocols.

Each protocol's backend answers only when the protocol is switched on, and imports its
library only then (python-ldap is an optional extra). All of them find the person the same
way (services.sso_user_for); a refusal is kept in the session for the page that explains it."""

import logging

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .protocols import CAS, LDAP, OIDC, enabled
from .services import SSORefused, sso_user_for

REFUSAL_KEY = "sso_refused"
logger = logging.getLogger(__name__)


class PasswordBackend(ModelBackend):
    """The Gugan password. With PASSWORD_LOGIN off only superusers may use it, so an
    administrator can still get in when the identity service is down."""

    def user_can_authenticate(self, user):
        if not settings.PASSWORD_LOGIN and not getattr(user, "is_superuser", False):
            return False
        return super().user_can_authenticate(user)


def not_a_password(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes throttles the passwords typed into the login form
    (Gugan's and the directory's), not the tickets and codes the identity services send back:
    they throttle their own logins, and many people of one school sign in from one address."""
    return credentials is not None and "username" not in credentials


def refuse(request, protocol: str, reason: str, value: str = "") -> None:
    if request is not None:
        request.session[REFUSAL_KEY] = {"protocol": protocol, "reason": reason, "value": value}


def unavailable(request, protocol: str, error: Exception) -> None:
    """The identity service did not answer (or answered nonsense): say so, never a 500."""
    logger.warning("%s identity service unavailable: %s", protocol, error)
    refuse(request, protocol, "unavailable")


def matched_user(request, protocol: str, claims):
    """The Gugan login of these claims, or None with the reason kept for the refusal page."""
    try:
        return sso_user_for(protocol=protocol, claims=claims)
    except SSORefused as refusal:
        refuse(request, protocol, refusal.reason, refusal.value)
        return None


class CASBackend(ModelBackend):
    def authenticate(self, request, ticket=None, service=None):
        if not enabled(CAS) or not ticket:
            return None
        from django_cas_ng.utils import get_cas_client

        client = get_cas_client(service_url=service, request=request)
        try:
            username, attributes, _pgtiou = client.verify_ticket(ticket)
        except requests.RequestException as error:
            unavailable(request, CAS, error)
            return None
        if not username:
            return None
        claims = dict(attributes or {})
        claims.setdefault("user", username)  # CAS_MATCH_CLAIM=user: the CAS login name
        return matched_user(request, CAS, claims)


class OIDCBackend(ModelBackend):
    def authenticate(self, request, nonce=None, code_verifier=None):
        if not enabled(OIDC) or request is None:
            return None
        from .oidc import MatchingOIDCBackend

        return MatchingOIDCBackend().authenticate(request, nonce=nonce, code_verifier=code_verifier)


class LDAPBackend(ModelBackend):
    """The directory password, typed into the login form."""

    def authenticate(self, request, username=None, password=None):
        if not enabled(LDAP) or not username or not password:
            return None
        from .directory import MatchingLDAPBackend

        return MatchingLDAPBackend().authenticate(request, username=username, password=password)
