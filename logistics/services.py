"""Writes of the forum's logistics: badges, check-in, letters, certificates, erasure."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Delegate, Event

from .models import Badge, Certificate, CheckIn, Letter, TravelStay, badge_search_key, initials

logger = logging.getLogger(__name__)


# --- Badges ------------------------------------------------------------------------------------


def _badge_values(delegate):
    return {
        "event_id": delegate.event_id,
        "full_name": delegate.full_name,
        "organization_name": delegate.organization.name,
        "country": delegate.organization.country,
    }


@transaction.atomic
def badges_for_delegates(delegates):
    """A badge for each delegate (existing ones keep their code, their name is refreshed)."""
    delegates = list(delegates.select_related("organization", "badge"))
    badges, new = [], []
    for delegate in delegates:
        values = _badge_values(delegate)
        badge = getattr(delegate, "badge", None)
        if badge is None:
            badge = Badge(delegate=delegate, role=Badge.Role.DELEGATE, **values)
            badge.search_key = badge_search_key(badge.full_name, badge.organization_name)
            new.append(badge)
        else:
            changed = [name for name, value in values.items() if getattr(badge, name) != value]
            for name in changed:
                setattr(badge, name, values[name])
            if changed:
                badge.save(update_fields=changed)
        badges.append(badge)
    Badge.objects.bulk_create(new, batch_size=500)
    return badges


@transaction.atomic
def badges_for_speakers(event, speakers):
    """A speaker's badge at the event (role "speaker")."""
    badges = []
    for speaker in speakers:
        badge, _created = Badge.objects.update_or_create(
            event=event,
            speaker=speaker,
            defaults={
                "full_name": speaker.full_name,
                "organization_name": speaker.institution,
                "role": Badge.Role.SPEAKER,
            },
        )
        badges.append(badge)
    return badges


# --- Check-in ----------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    badge: Badge
    check_in: CheckIn | None = None
    created: bool = False
    refusal: str = ""

    @property
    def already(self):
        return self.check_in is not None and not self.created


def event_today(event, now=None):
    return timezone.localtime(now or timezone.now(), event.tzinfo).date()


def find_badge(event, code):
    return (
        Badge.objects.filter(event=event, code=code.strip())
        .select_related("delegate", "delegate__organization")
        .first()
    )


def check_in(*, badge, by, session=None, now=None):
    """Check the badge in today (at the door, or at `session`): one row whoever asks at once.

    A second check-in returns the first with `already` set; a delegate who is not confirmed is
    refused with the reason and nothing is written."""
    refusal = badge.refusal()
    if refusal:
        return CheckInResult(badge=badge, refusal=refusal)
    day = event_today(badge.event, now)
    lookup = {"badge": badge, "day": day, "session": session}
    try:
        with transaction.atomic():
            record, created = CheckIn.objects.get_or_create(
                **lookup, defaults={"checked_in_by": by}
            )
    except IntegrityError:
        # Another staff member's insert won between our read and our write.
        record, created = CheckIn.objects.get(**lookup), False
    return CheckInResult(badge=badge, check_in=record, created=created)


def checked_in_counts(event):
    """Badges checked in at the door, per day of the event: [(day, count)]."""
    counts = dict(
        CheckIn.objects.filter(badge__event=event, session__isnull=True)
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(day, counts.get(day, 0)) for day in event.days]


def search_badges(event, query, limit=10):
    query = query.strip()
    if not query:
        return []
    exact = list(
        Badge.objects.filter(event=event, code=query).select_related(
            "delegate", "delegate__organization"
        )
    )
    if exact:
        return exact
    words = badge_search_key(query).split()
    if not words:
        return []
    badges = Badge.objects.filter(event=event)
    for word in words[:4]:
        badges = badges.filter(search_key__contains=word)
    return list(
        badges.select_related("delegate", "delegate__organization").order_by("full_name")[:limit]
    )


# --- Letters -----------------------------------------------------------------------------------


class LetterRefused(Exception):
    pass


def letter_refusal(delegate):
    if delegate.status == Delegate.Status.CANCELLED:
        return _("%(name)s's registration is cancelled.") % {"name": delegate.full_name}
    travel = getattr(delegate, "travel", None) if _has_travel(delegate) else None
    if travel is None or not travel.passport_name or not travel.passport_number:
        return _("%(name)s: the passport data is missing (name as in the passport, number).") % {
            "name": delegate.full_name
        }
    if travel.consent_confirmed_at is None:
        return _("%(name)s: the organization has not confirmed the consent.") % {
            "name": delegate.full_name
        }
    return ""


def _has_travel(delegate):
    try:
        return delegate.travel is not None
    except TravelStay.DoesNotExist:
        return False


@transaction.atomic
def letter_issue(*, delegate, by):
    refusal = letter_refusal(delegate)
    if refusal:
        raise LetterRefused(refusal)
    # A new letter replaces the delegate's earlier ones.
    Letter.objects.filter(delegate=delegate, status=Letter.Status.ISSUED).update(
        status=Letter.Status.WITHDRAWN, withdrawn_at=timezone.now()
    )
    return Letter.objects.create(
        delegate=delegate,
        issued_by=by,
        holder_initials=initials(delegate.travel.passport_name or delegate.full_name),
    )


@transaction.atomic
def letter_withdraw(*, letter):
    if letter.status == Letter.Status.WITHDRAWN:
        return letter
    letter.status = Letter.Status.WITHDRAWN
    letter.withdrawn_at = timezone.now()
    letter.save(update_fields=["status", "withdrawn_at"])
    return letter


# --- Certificates ------------------------------------------------------------------------------


@transaction.atomic
def certificates_issue(event):
    """A certificate for each confirmed delegate checked in at least once; returns them all."""
    attended = (
        Delegate.objects.filter(event=event, badge__check_ins__isnull=False)
        .annotate(
            days=Count(
                "badge__check_ins__day",
                filter=Q(badge__check_ins__session__isnull=True),
                distinct=True,
            )
        )
        .select_related("certificate")
    )
    certificates = []
    for delegate in attended:
        try:
            certificate = delegate.certificate
        except Certificate.DoesNotExist:
            certificate = Certificate(
                delegate=delegate, holder_initials=initials(delegate.full_name)
            )
        certificate.days_attended = delegate.days
        certificate.save()
        certificates.append(certificate)
    return certificates


# --- Erasure of passport data ------------------------------------------------------------------


def erase_passport_data(today=None):
    """Erase the passport data of events that ended PASSPORT_DATA_RETENTION_DAYS ago or more."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.PASSPORT_DATA_RETENTION_DAYS)
    events = Event.objects.filter(end_date__lte=cutoff)
    due = TravelStay.objects.filter(delegate__event__in=events, passport_erased_at__isnull=True)
    with transaction.atomic():
        delegates = list(due.values_list("delegate_id", flat=True))
        references = set(
            Letter.objects.filter(delegate_id__in=delegates).values_list("reference", flat=True)
        )
        _empty_letter_mails(references)
        erased = due.update(
            passport_name="",
            nationality="",
            passport_number="",
            passport_expiry=None,
            date_of_birth=None,
            passport_erased_at=timezone.now(),
        )
    if erased:
        # The log says how many and of which events, never whose.
        logger.info(
            "Passport data erased for %d delegates of events that ended by %s.", erased, cutoff
        )
    return erased


def _empty_letter_mails(references):
    """Mails in the outbox still carrying these letters lose their attachments."""
    from outbox.models import Mail

    from .jobs import LETTER_HEADER

    if not references:
        return
    for mail in Mail.objects.filter(headers__has_key=LETTER_HEADER).only("pk", "headers"):
        if mail.headers.get(LETTER_HEADER) in references:
            Mail.objects.filter(pk=mail.pk).update(attachments=[])
