from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Professional records")

    def ready(self):
        from . import profile  # noqa: F401  (registers the growth card of the teacher's page)
