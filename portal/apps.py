from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import cache, checks, formats  # noqa: F401 (checks registers itself)

        cache.connect_signals()
        formats.lower_case_month_names()

        from django.contrib.auth.signals import user_logged_in

        from .i18n import apply_account_language

        user_logged_in.connect(apply_account_language, dispatch_uid="portal.account_language")
