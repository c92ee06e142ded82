"""Who a newsletter goes to: the people its filters name, opted in, not refused for good.

`recipients(newsletter)` lists (email, name, language, country) once per address. Its filters:
organizations by country, focus area and status; then their members, their contact persons
(the owners, who registered the organization), or the delegates of an event by status. Only
addresses with a newsletter consent (`Subscription.subscribed`) are kept, minus the addresses a
mail server refused for good (`RefusedAddress`).
"""

from types import SimpleNamespace

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower

from events.models import Delegate
from organizations.models import Membership, Organization

from .models import Newsletter, RefusedAddress, Subscription

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def recipient_language(user=None, *, membership=None, subscription=None):
    """The language to write to a person in: their own preference first.

    In order: the account's language (the one the person chose while signed in: a `language`
    attribute, as the rows of `recipients` give it from `LanguagePreference`), the language of
    their membership in their organization (what the portal writes to them in), the language of
    the page where they gave their newsletter consent, the portal's default. Add a source by
    putting it in this list."""
    candidates = [
        getattr(user, "language", None),
        getattr(membership, "language", None),
        getattr(subscription, "language", None),
    ]
    for candidate in candidates:
        if candidate in LANGUAGE_CODES:
            return candidate
    return settings.LANGUAGE_CODE


def organizations(newsletter):
    queryset = Organization.objects.all()
    if newsletter.countries:
        queryset = queryset.filter(country__in=[str(code) for code in newsletter.countries])
    if newsletter.pk:
        areas = list(newsletter.focus_areas.values_list("pk", flat=True))
        if areas:
            queryset = queryset.filter(
                Exists(
                    Organization.focus_areas.through.objects.filter(
                        organization_id=OuterRef("pk"), focusarea_id__in=areas
                    )
                )
            )
    if newsletter.organization_statuses:
        queryset = queryset.filter(status__in=newsletter.organization_statuses)
    return queryset


# Consents and refusals keep addresses in lower case: compared with the lower-cased address,
# each lookup is one probe of their unique index.
def _subscribed(email_field):
    return Exists(Subscription.objects.filter(email=Lower(OuterRef(email_field)), subscribed=True))


def _refused(email_field):
    return Exists(RefusedAddress.objects.filter(email=Lower(OuterRef(email_field))))


def recipients(newsletter):
    """[(email, name, language, country code)], one per address, in a stable order."""
    people = newsletter.people
    chosen = organizations(newsletter)
    rows = []
    if people in (Newsletter.People.MEMBERS, Newsletter.People.CONTACTS):
        memberships = (
            Membership.objects.filter(organization__in=chosen, user__is_active=True)
            .filter(_subscribed("user__email"))
            .exclude(_refused("user__email"))
            .order_by("pk")
        )
        if people == Newsletter.People.CONTACTS:
            memberships = memberships.filter(role=Membership.Role.OWNER)
        # Plain values, not model instances: a newsletter to 7,000 people reads 7,000 rows.
        for email, first, last, own, language, country in memberships.values_list(
            "user__email",
            "user__first_name",
            "user__last_name",
            # The language the person chose while signed in (LanguagePreference), if any.
            "user__language_preference__language",
            "language",
            "organization__country",
        ):
            user = SimpleNamespace(language=own)
            rows.append(
                (
                    email.lower(),
                    f"{first} {last}".strip() or email,
                    recipient_language(user, membership=SimpleNamespace(language=language)),
                    str(country),
                )
            )
    elif people == Newsletter.People.DELEGATES and newsletter.event_id:
        delegates = (
            Delegate.objects.filter(event_id=newsletter.event_id, organization__in=chosen)
            .filter(_subscribed("email"))
            .exclude(_refused("email"))
            .select_related("organization")
            .order_by("pk")
        )
        if newsletter.delegate_statuses:
            delegates = delegates.filter(status__in=newsletter.delegate_statuses)
        languages = dict(
            Subscription.objects.filter(
                email__in=[email.lower() for email in delegates.values_list("email", flat=True)]
            ).values_list("email", "language")
        )
        for delegate in delegates:
            email = delegate.email.lower()
            subscription = Subscription(language=languages.get(email, ""))
            rows.append(
                (
                    email,
                    delegate.full_name,
                    recipient_language(subscription=subscription),
                    str(delegate.organization.country),
                )
            )
    seen = set()
    unique = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    return unique


def count(newsletter):
    return len(recipients(newsletter))
