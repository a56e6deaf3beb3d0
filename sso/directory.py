"""LDAP through django-auth-ldap; imported only when LDAP_ENABLED (python-ldap is optional)."""

import ldap
from django.conf import settings
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSearch

from . import backends
from .protocols import LDAP


class MatchingLDAPBackend(LDAPBackend):
    """Binds as the person with the password they typed; finds them by sso.services."""

    @property
    def settings(self):
        if self._settings is None:
            found = super().settings
            if found.USER_DN_TEMPLATE is None and settings.LDAP_USER_SEARCH_BASE:
                found.USER_SEARCH = LDAPSearch(
                    settings.LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_USER_FILTER
                )
            # A directory that does not answer must not hang the login page.
            found.CONNECTION_OPTIONS = {
                ldap.OPT_NETWORK_TIMEOUT: 5,
                ldap.OPT_TIMEOUT: 10,
                **found.CONNECTION_OPTIONS,
            }
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def get_or_build_user(self, username, ldap_user):
        claims = {**(ldap_user.attrs or {}), "uid": [username]}
        user = backends.matched_user(ldap_user._request, LDAP, claims)
        if user is None:
            raise ldap_user.AuthenticationFailed("no Gugan login matches")
        return user, False


def _directory_down(sender, context, user, request, exception, **kwargs):
    """The library logs a directory that does not answer as a failed login; say what it is."""
    if isinstance(exception, ldap.SERVER_DOWN | ldap.TIMEOUT | ldap.TIMELIMIT_EXCEEDED):
        backends.unavailable(request, LDAP, exception)


ldap_error.connect(_directory_down, sender=MatchingLDAPBackend, dispatch_uid="sso-ldap-down")
