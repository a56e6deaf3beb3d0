from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class DataExportConfig(AppConfig):
    name = "dataexport"
    verbose_name = _("Data export")

    def ready(self):
        # Every app describes its own tables in its dataexport_tables.py (as admin.py for the
        # admin); the job is registered by importing its module.
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "dataexport_tables"):
                import_module(f"{config.name}.dataexport_tables")
        from . import jobs  # noqa: F401
