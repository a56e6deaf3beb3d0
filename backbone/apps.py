from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackboneConfig(AppConfig):
    name = "backbone"
    verbose_name = _("Backbone teachers")

    def ready(self):
        # importing and exports register their jobs; profile and signals teacher page parts.
        from . import exports, importing, profile, signals  # noqa: F401
