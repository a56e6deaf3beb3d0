from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Competitions")

    def ready(self):
        from . import certificates, collection, exports  # noqa: F401  (register their jobs)
