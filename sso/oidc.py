"""OpenID Connect through mozilla-django-oidc; imported only when OIDC_ENABLED."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import backends
from .protocols import OIDC


class MatchingOIDCBackend(OIDCAuthenticationBackend):
    """The code flow of the library; the person is found by sso.services, never created."""

    def verify_claims(self, claims):
        # The library wants an email whenever the email scope is asked for; Gugan matches by
        # SSO_MATCH_FIELD and says itself what is missing.
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        return backends.matched_user(self.request, OIDC, claims)
