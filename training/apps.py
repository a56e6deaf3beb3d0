from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from . import certificates  # noqa: F401  (registers the certificates job)
        from .needs import exports  # noqa: F401  (the needs survey's export job)
        from .report import pdf  # noqa: F401  (the programme report job)
