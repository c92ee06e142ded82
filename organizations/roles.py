"""Who reviews: the "Organizers" group (everything) and country coordinators (their countries)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

ORGANIZERS = "Organizers"
COORDINATORS = "Country coordinators"
PORTAL_APPS = ["organizations", "events", "portal", "outbox", "logistics", "news"]
# Check-in staff at the forum's door (logistics/): the check-in page, nothing else.
CHECK_IN_STAFF = "Check-in staff"
# Organizers see accounts but cannot change them: changing users could make superusers.
EXTRA_PERMISSIONS = [("auth", "view_user"), ("auth", "view_group")]
# Coordinators review and edit the organizations of their countries and read the rest.
COORDINATOR_PERMISSIONS = [
    ("organizations", "view_organization"),
    ("organizations", "change_organization"),
    ("organizations", "view_membership"),
    ("organizations", "view_invitation"),
    ("organizations", "view_reviewlogentry"),
    ("organizations", "view_reviewreasontemplate"),
    ("organizations", "view_focusarea"),
    ("organizations", "view_sustainabledevelopmentgoal"),
    # Delegates of their countries: register on behalf, confirm, move, cancel (events.admin).
    ("events", "add_delegate"),
    ("events", "change_delegate"),
    # The recipients of newsletters in their countries (news.admin), never the audiences.
    ("news", "view_newsletterrecipient"),
]


def _matching(pairs):
    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def sync_groups(**kwargs):
    """Give each group its permissions, those of models added later too.

    Connected to post_migrate, so a new model's permissions reach organizers without a migration.
    """
    organizers, _ = Group.objects.get_or_create(name=ORGANIZERS)
    organizers.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label__in=PORTAL_APPS) | _matching(EXTRA_PERMISSIONS)
        )
    )
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    coordinators.permissions.add(
        *Permission.objects.filter(
            _matching(COORDINATOR_PERMISSIONS)
            | Q(content_type__app_label="events", codename__startswith="view_")
        )
    )
    check_in_staff, _ = Group.objects.get_or_create(name=CHECK_IN_STAFF)
    check_in_staff.permissions.add(
        *Permission.objects.filter(_matching([("logistics", "check_in")]))
    )


def coordinated_countries(user):
    """The country codes a coordinator may review; None for whoever is not limited to some."""
    from .models import CountryCoordinator

    if user.is_superuser or user.groups.filter(name=ORGANIZERS).exists():
        return None
    coordinator = CountryCoordinator.objects.filter(user=user).first()
    if coordinator is None:
        return None
    return [country.code for country in coordinator.countries]


@transaction.atomic
def coordinator_appoint(*, user, countries):
    """Make a person the coordinator of some countries: staff, in the coordinators' group."""
    from .models import CountryCoordinator

    coordinator, _ = CountryCoordinator.objects.update_or_create(
        user=user, defaults={"countries": countries}
    )
    coordinator.full_clean()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    return coordinator


@transaction.atomic
def coordinator_dismiss(*, coordinator):
    user = coordinator.user
    coordinator.delete()
    user.groups.remove(*Group.objects.filter(name=COORDINATORS))
    if not user.is_superuser and not user.groups.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
