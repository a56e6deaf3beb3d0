from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "recognition"
    verbose_name = _("Allowances and rewards")

    def ready(self):
        # exports registers the job kinds; profile the teacher page part. The services that
        # create designations call the designation hook: a mentor's reward is proposed when
        # their apprentice is designated.
        from backbone.services.designations import designation_hook

        from . import exports, profile  # noqa: F401
        from .services import mentor_rewards_propose

        designation_hook(mentor_rewards_propose)
