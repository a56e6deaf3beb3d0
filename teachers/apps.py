from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachersConfig(AppConfig):
    name = "teachers"
    verbose_name = _("Teachers")

    def ready(self):
        from . import (
            exports,  # noqa: F401  (registers the roster_export job)
            importing,  # noqa: F401  (registers the roster_import job)
            signals,  # noqa: F401  (a leaver's roles end)
        )
