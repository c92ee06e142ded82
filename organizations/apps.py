from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from .roles import sync_groups

        # No sender: the signal fires once per app, after that app's permissions were created,
        # so the last call sees the permissions of every app (events' included).
        post_migrate.connect(sync_groups, dispatch_uid="organizations.groups")
