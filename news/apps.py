from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and newsletters")

    def ready(self):
        from organizations.signals import newsletter_opt_in

        from . import subscriptions

        newsletter_opt_in.connect(
            subscriptions.on_registration_opt_in, dispatch_uid="news-registration-opt-in"
        )
