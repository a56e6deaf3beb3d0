from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # The job kinds of the documents, and the print buttons of the teacher's page.
        from . import dossier, evidence, handbook, profile, reports, round_notice, sheets  # noqa: F401
