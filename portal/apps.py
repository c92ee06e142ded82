from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import cache, checks, formats  # noqa: F401 (checks registers itself)

        cache.connect_signals()
        formats.lower_case_month_names()
