"""Who organizes: the "Organizers" group and its permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ORGANIZERS = "Organizers"
PORTAL_APPS = ["organizations", "events", "portal"]
# Organizers see accounts but cannot change them: changing users could make superusers.
EXTRA_PERMISSIONS = [("auth", "view_user"), ("auth", "view_group")]


def sync_organizers_group(**kwargs):
    """Give the Organizers group every permission of the portal's apps, models added later too.

    Connected to post_migrate, so a new model's permissions reach organizers without a migration.
    """
    group, _ = Group.objects.get_or_create(name=ORGANIZERS)
    extra = Q()
    for app_label, codename in EXTRA_PERMISSIONS:
        extra |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(
        *Permission.objects.filter(Q(content_type__app_label__in=PORTAL_APPS) | extra)
    )


def is_organizer(user):
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=ORGANIZERS).exists())
    )
