from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        # selectors registers the mentor as a reader of plans; pdf and exports their jobs.
        from . import exports, pdf, selectors  # noqa: F401
