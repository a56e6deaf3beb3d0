from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserOnlyAdminSite(admin.AdminSite):
    """The Django admin is for superusers; everyone else works in the app's own pages."""

    site_header = _("Gugan administration")
    site_title = _("Gugan administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
