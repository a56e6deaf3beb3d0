"""What a token may do: read (scope read or hours) or push training hours (scope hours, held by
someone who manages a school or the district office; api.tokens.may_push_hours)."""

from django.utils.translation import gettext as _
from rest_framework import permissions

from .models import ApiToken
from .tokens import may_push_hours


class ReadScope(permissions.BasePermission):
    """Any valid token reads; writes need HoursScope on the view."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return token.allows(ApiToken.Scope.HOURS)


class HoursScope(permissions.BasePermission):
    message = _("This token may only read: pushing hours needs a token of scope “hours”.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return ReadScope().has_permission(request, view)
        token = request.auth
        if not isinstance(token, ApiToken) or not token.allows(ApiToken.Scope.HOURS):
            return False
        if not may_push_hours(request.user):
            self.message = _("Only a school's managers or the district office may push hours.")
            return False
        return True
