from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        from organizations import admin_export, opendata

        from . import jobs, opendata_files

        opendata_files.connect_signals()
        # The organizations and events apps ask through these hooks, importing nothing of ours.
        opendata.set_prepared_source(opendata_files.response)
        admin_export.set_background_export(jobs.background_response)
