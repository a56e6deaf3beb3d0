from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Organisations and accounts")

    def ready(self):
        # checks registers the system checks, data_export its background job.
        from . import checks, data_export  # noqa: F401


class GuganAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.SuperuserOnlyAdminSite"
