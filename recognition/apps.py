from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Allowances and rewards")

    def ready(self):
        # exports registers the job kinds; profile the teacher page part; signals the mentor's
        # reward proposed when an apprentice is designated.
        from . import exports, profile, signals  # noqa: F401
