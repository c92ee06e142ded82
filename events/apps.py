from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Forum events")

    def ready(self):
        from .history import register_history

        register_history()
        # The historical models are added while apps are still loading, when Django does not
        # yet expire the models' cached relations; an earlier app's ready() may have cached the
        # user's. Without this, deleting a user would leave history rows pointing at it.
        for model in self.apps.get_models(include_auto_created=True):
            model._meta._expire_cache()
