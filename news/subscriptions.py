"""Newsletter consent: opting in (with the text's version and time), unsubscribing, and the
signed token of the unsubscribe links (it never expires: a link in an old newsletter works)."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from organizations.consent import NEWSLETTER_CONSENT_VERSION

from .models import Subscription, normalize_email

UNSUBSCRIBE_SALT = "news.unsubscribe"


def _signer():
    return signing.Signer(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(email):
    return _signer().sign_object(normalize_email(email))


def email_of_token(token):
    """The address an unsubscribe token was made for, or None for a token we did not sign."""
    try:
        email = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        return None
    return email if isinstance(email, str) and "@" in email else None


def subscription_of(user):
    if not user.is_authenticated or not user.email:
        return None
    return Subscription.objects.filter(email=normalize_email(user.email)).first()


def is_subscribed(email):
    return Subscription.objects.filter(email=normalize_email(email), subscribed=True).exists()


@transaction.atomic
def subscribe(*, email, user=None, language=None, consent_version=NEWSLETTER_CONSENT_VERSION):
    """Record the consent given now (again: its version and time are the latest)."""
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        email=normalize_email(email)
    )
    subscription.user = user or subscription.user
    subscription.subscribed = True
    subscription.language = language or subscription.language or settings.LANGUAGE_CODE
    subscription.consent_version = consent_version
    subscription.consent_given_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save()
    return subscription


@transaction.atomic
def unsubscribe(email):
    """Withdraw the consent; True when the address was subscribed. Newsletters not yet sent
    to it are not sent (news/sending.py checks at sending time)."""
    updated = Subscription.objects.filter(email=normalize_email(email), subscribed=True).update(
        subscribed=False, unsubscribed_at=timezone.now()
    )
    return bool(updated)


def on_registration_opt_in(sender, *, user, email, language, consent_version, **kwargs):
    subscribe(email=email, user=user, language=language, consent_version=consent_version)


def forget_address(email):
    """An erased person: their consent, their place in newsletters' recipient lists (sent or
    not: the rows hold their address and name) and any refusal of their address go."""
    from .models import NewsletterRecipient, RefusedAddress

    email = normalize_email(email)
    Subscription.objects.filter(email=email).delete()
    NewsletterRecipient.objects.filter(email=email).delete()
    RefusedAddress.objects.filter(email=email).delete()


def export_data(email):
    """What the newsletter holds about an address, for the personal data export."""
    from .models import NewsletterRecipient

    email = normalize_email(email)
    subscription = Subscription.objects.filter(email=email).first()
    received = NewsletterRecipient.objects.filter(email=email).select_related("newsletter")
    return {
        "subscribed": bool(subscription and subscription.subscribed),
        "consent_version": subscription.consent_version if subscription else "",
        "consent_given_at": subscription.consent_given_at.isoformat()
        if subscription and subscription.consent_given_at
        else None,
        "unsubscribed_at": subscription.unsubscribed_at.isoformat()
        if subscription and subscription.unsubscribed_at
        else None,
        "newsletters": [
            {
                "subject": row.newsletter.subject,
                "status": row.status,
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in received.order_by("pk")
        ],
    }
