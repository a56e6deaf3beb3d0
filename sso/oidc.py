"""OpenID Connect through mozilla-django-oidc; imported only when OIDC_ENABLED."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import backends
from .protocols import OIDC


class MatchingOIDCBackend(OIDCAuthenticationBackend):
    """The code flow of the library; the person is found by sso.services, never created."""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        return backends.matched_user(self.request, OIDC, claims)
