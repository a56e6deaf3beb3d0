from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Organisations and accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,
        )
        from .middleware import session_touch

        user_logged_in.connect(session_touch, dispatch_uid="core.session_touch")
        lookups.register()


class GuganAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.SuperuserOnlyAdminSite"
