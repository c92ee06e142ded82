"""Delegates: registration, the waiting list, the three limits and the session seats.

Every registration, cancellation and change of a limit runs in one transaction that
first locks the event's row, so that the seats counted are the seats that exist when the
decision is written, on PostgreSQL (a row lock) and on SQLite (the database's write lock).
"""

from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizations.models import Organization

from .. import emails
from ..history import record_author
from ..models import CountryQuota, Delegate, Event, Session, SessionBooking

DELEGATE_FIELDS = [
    "full_name",
    "email",
    "position",
    "gender",
    "age_band",
    "language_needs",
    "accessibility_needs",
]


class DelegateRefused(Exception):
    """A step on a delegate that the event, the organization or the limits do not allow."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def _lock_event(event_id):
    """The event's row, locked until the transaction ends: the delegates' steps serialize on it.

    PostgreSQL waits on the row lock. SQLite has no row locks; an UPDATE takes the database's
    write lock at once, so a concurrent registration waits (the busy timeout) before it counts,
    instead of failing on a later write. It changes nothing: auto_now fields are not touched by
    QuerySet.update().
    """
    if not connection.features.has_select_for_update:
        Event.objects.filter(pk=event_id).update(updated_at=F("updated_at"))
    return Event.objects.select_for_update().get(pk=event_id)


def _local(event, moment):
    return formats.date_format(timezone.localtime(moment, event.tzinfo), "DATETIME_FORMAT")


def registration_refusal(event, organization, *, check_window=True):
    """Why `organization` cannot register delegates for `event` now, or "" when it can."""
    if event.is_cancelled:
        return _("The event has been cancelled: registration is closed.")
    if event.is_draft:
        return _("The event is not published yet: registration is not open.")
    if event.is_past:
        return _("This event has taken place: registration is closed.")
    if organization is not None and not organization.is_verified:
        return _(
            "Only approved organizations of the network can register delegates; "
            "“%(name)s” is %(status)s."
        ) % {"name": organization.name, "status": organization.get_status_display().lower()}
    if not check_window:
        return ""
    state = event.registration_state
    if state == "":
        return _("Registration of delegates is not open for this event.")
    if state == "not_yet":
        return _("Registration of delegates opens on %(date)s (%(time_zone)s).") % {
            "date": _local(event, event.registration_opens_at),
            "time_zone": event.time_zone_at(event.registration_opens_at),
        }
    if state == "closed":
        return _("Registration of delegates closed on %(date)s (%(time_zone)s).") % {
            "date": _local(event, event.registration_closes_at),
            "time_zone": event.time_zone_at(event.registration_closes_at),
        }
    return ""


def changes_refusal(event):
    """Delegates can be changed and cancelled until the event is over."""
    if event.is_past:
        return _("This event has taken place: its delegates can no longer be changed.")
    return ""


def _left(limit, taken):
    return None if limit is None else max(limit - taken, 0)


class Seats:
    """The confirmed delegates of an event, counted against its three limits.

    Built inside the event's lock; `take` and `release` keep the counts right while a step
    confirms or frees several delegates in a row.
    """

    def __init__(self, event):
        self.event = event
        rows = (
            Delegate.objects.filter(event=event)
            .confirmed()
            .values("organization_id", "organization__country")
            .annotate(count=Count("pk"))
            .order_by()
        )
        self.by_organization = Counter()
        self.by_country = Counter()
        for row in rows:
            self.by_organization[row["organization_id"]] += row["count"]
            self.by_country[str(row["organization__country"])] += row["count"]
        self.total = sum(self.by_organization.values())
        self.quotas = {
            str(country): quota
            for country, quota in CountryQuota.objects.filter(event=event).values_list(
                "country", "quota"
            )
        }

    @property
    def full(self):
        return self.event.capacity is not None and self.total >= self.event.capacity

    def limit_reached(self, organization):
        """The first limit that keeps a new delegate of `organization` out, or None."""
        if self.full:
            return "capacity"
        country = str(organization.country)
        quota = self.quotas.get(country)
        if quota is not None and self.by_country[country] >= quota:
            return "country"
        maximum = self.event.max_delegates_per_organization
        if maximum is not None and self.by_organization[organization.pk] >= maximum:
            return "organization"
        return None

    def explain(self, limit, organization):
        if limit == "capacity":
            capacity = self.event.capacity
            return ngettext(
                "The event's only seat is taken.",
                "All %(capacity)s seats of the event are taken.",
                capacity,
            ) % {"capacity": capacity}
        if limit == "country":
            quota = self.quotas[str(organization.country)]
            return ngettext(
                "The quota of %(quota)s delegate from %(country)s is reached.",
                "The quota of %(quota)s delegates from %(country)s is reached.",
                quota,
            ) % {"quota": quota, "country": organization.country.name}
        if limit == "organization":
            maximum = self.event.max_delegates_per_organization
            return ngettext(
                "%(organization)s has reached the maximum of %(maximum)s delegate.",
                "%(organization)s has reached the maximum of %(maximum)s delegates.",
                maximum,
            ) % {"organization": organization.name, "maximum": maximum}
        return ""

    def summary(self, organization):
        """The limits and what is left of each for a new delegate of `organization`."""
        country_quota = self.quotas.get(str(organization.country))
        maximum = self.event.max_delegates_per_organization
        confirmed = self.by_organization[organization.pk]
        return {
            "capacity": self.event.capacity,
            "seats_left": _left(self.event.capacity, self.total),
            "country_quota": country_quota,
            "country_left": _left(country_quota, self.by_country[str(organization.country)]),
            "maximum": maximum,
            "organization_confirmed": confirmed,
            "organization_left": _left(maximum, confirmed),
        }

    def take(self, organization):
        self.total += 1
        self.by_organization[organization.pk] += 1
        self.by_country[str(organization.country)] += 1


def seat_summary(event, organization):
    """What a member sees about the seats: left in all, in their country, for them.

    Counted as the steps count them (Seats), without the lock: a page that shows the figures
    decides nothing.
    """
    return Seats(event).summary(organization)


def _normalize_email(email):
    return get_user_model().objects.normalize_email((email or "").strip()).lower()


def check_email_free(delegate):
    """Refuse an email address that an active delegate of the same event already uses."""
    taken = (
        Delegate.objects.active()
        .filter(event_id=delegate.event_id, email__iexact=delegate.email)
        .exclude(pk=delegate.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("A delegate with this email address is already registered for this event."),
                    code="delegate_email_taken",
                )
            }
        )


def _save(delegate, **kwargs):
    """Save; the unique index is the last word should two writes ever meet."""
    try:
        with transaction.atomic():
            delegate.save(**kwargs)
    except IntegrityError as error:
        check_email_free(delegate)
        raise error


def _confirm(delegate, now):
    delegate.status = Delegate.Status.CONFIRMED
    delegate.confirmed_at = now
    delegate.waitlisted_at = None
    delegate.cancelled_at = None


def _waitlist(delegate, now):
    delegate.status = Delegate.Status.WAITLISTED
    delegate.waitlisted_at = now
    delegate.confirmed_at = None
    delegate.cancelled_at = None


def _notify(name, delegate, **context):
    # In the transaction of the change: the mail goes to the outbox with it (or not at all, if
    # it rolls back) and a worker delivers it after the commit; a mail server that is down
    # delays it and never undoes a saved registration.
    emails.send_delegate_email(name, delegate, **context)


@transaction.atomic
def delegate_register(
    *,
    event,
    organization,
    by,
    full_name,
    email,
    position,
    gender="",
    age_band="",
    language_needs="",
    accessibility_needs="",
    check_window=True,
):
    """Register a delegate: confirmed if every limit leaves a seat, else on the waiting list.

    Members register inside the registration window (`check_window`); organizers registering on
    behalf of an organization may do so outside it, but the limits hold for them too.
    """
    event = _lock_event(event.pk)
    # Its status as it is now, not as it was when the caller's form read it.
    organization = Organization.objects.get(pk=organization.pk)
    refusal = registration_refusal(event, organization, check_window=check_window)
    if refusal:
        raise DelegateRefused(refusal)
    delegate = Delegate(
        event=event,
        organization=organization,
        full_name=(full_name or "").strip(),
        email=_normalize_email(email),
        position=(position or "").strip(),
        gender=gender or "",
        age_band=age_band or "",
        language_needs=(language_needs or "").strip(),
        accessibility_needs=(accessibility_needs or "").strip(),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    record_author(delegate, by)
    delegate.full_clean(validate_constraints=False)
    check_email_free(delegate)
    seats = Seats(event)
    limit = seats.limit_reached(organization)
    now = timezone.now()
    if limit is None:
        _confirm(delegate, now)
    else:
        _waitlist(delegate, now)
    _save(delegate)
    delegate.limit_reached = limit
    delegate.limit_message = seats.explain(limit, organization) if limit else ""
    _notify("delegate_confirmed" if limit is None else "delegate_waitlisted", delegate)
    return delegate


@transaction.atomic
def delegate_update(*, delegate, by, **values):
    """Change a delegate's details (not their status, event or organization)."""
    unknown = set(values) - set(DELEGATE_FIELDS)
    if unknown:
        raise TypeError(f"delegate_update() got unexpected fields: {sorted(unknown)}")
    _lock_event(delegate.event_id)
    delegate = Delegate.objects.select_related("event", "organization").get(pk=delegate.pk)
    for field, value in values.items():
        if field == "email":
            value = _normalize_email(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(delegate, field, value if value is not None else "")
    delegate.full_clean(validate_constraints=False)
    if delegate.is_active:
        check_email_free(delegate)
    record_author(delegate, by)
    _save(delegate)
    return delegate


def _fill_free_seats(event, *, exclude=(), by=None):
    """Promote the first waiting delegates who fit, in the waiting list's order.

    One who does not fit (their country's quota or their organization's maximum is still full)
    keeps their place; those behind them may get the seat.
    """
    seats = Seats(event)
    promoted = []
    if seats.full:
        return promoted
    waiting = (
        Delegate.objects.filter(event=event)
        .waiting_list()
        .exclude(pk__in=list(exclude))
        .select_related("organization", "event", "created_by")
    )
    now = timezone.now()
    for delegate in waiting:
        if seats.full:
            break
        if seats.limit_reached(delegate.organization) is not None:
            continue
        _confirm(delegate, now)
        record_author(delegate, by)
        delegate.save(update_fields=["status", "confirmed_at", "waitlisted_at", "updated_at"])
        seats.take(delegate.organization)
        promoted.append(delegate)
        _notify("delegate_promoted", delegate)
    return promoted


@transaction.atomic
def event_fill_free_seats(*, event, by=None):
    """After a limit was raised (capacity, a country's quota, the maximum per organization)."""
    event = _lock_event(event.pk)
    return _fill_free_seats(event, by=by)


def _release_bookings(delegate):
    """A delegate without a seat keeps no session seats; others on the sessions' lists move up."""
    bookings = list(delegate.bookings.select_related("session"))
    freed = sorted(
        {b.session for b in bookings if b.status == SessionBooking.Status.CONFIRMED},
        key=lambda session: session.pk,
    )
    delegate.bookings.all().delete()
    for session in freed:
        _fill_session(_lock_session(session.pk))


def _locked(delegate):
    """The delegate's event, locked, and the delegate as it is now."""
    event = _lock_event(delegate.event_id)
    delegate = Delegate.objects.select_related("event", "organization", "created_by").get(
        pk=delegate.pk
    )
    return event, delegate


@transaction.atomic
def delegate_cancel(*, delegate, by=None):
    """Cancel a delegate; a confirmed one's seat goes to the first waiting delegate who fits.

    Returns the delegate with `changed` (False when it was cancelled already, for example by a
    second click or a colleague at the same moment: then nothing happens) and `promoted` (the
    waiting delegates who got the seat), whichever path it takes."""
    event, delegate = _locked(delegate)
    delegate.promoted, delegate.changed = [], False
    if delegate.status == Delegate.Status.CANCELLED:
        return delegate
    delegate.changed = True
    was_confirmed = delegate.status == Delegate.Status.CONFIRMED
    delegate.status = Delegate.Status.CANCELLED
    delegate.cancelled_at = timezone.now()
    record_author(delegate, by)
    delegate.save(update_fields=["status", "cancelled_at", "updated_at"])
    _release_bookings(delegate)
    _notify("delegate_cancelled", delegate)
    delegate.promoted = _fill_free_seats(event, by=by) if was_confirmed else []
    return delegate


def _reactivation_checks(delegate):
    if delegate.status == Delegate.Status.CANCELLED:
        check_email_free(delegate)
    refusal = changes_refusal(delegate.event)
    if refusal:
        raise DelegateRefused(refusal)


@transaction.atomic
def delegate_confirm(*, delegate, by=None):
    """An organizer gives a waiting (or cancelled) delegate a seat; refused beyond a limit."""
    event, delegate = _locked(delegate)
    if delegate.status == Delegate.Status.CONFIRMED:
        raise DelegateRefused(_("%(name)s is already confirmed.") % {"name": delegate.full_name})
    _reactivation_checks(delegate)
    seats = Seats(event)
    limit = seats.limit_reached(delegate.organization)
    if limit is not None:
        raise DelegateRefused(
            _("%(name)s cannot be confirmed: %(reason)s")
            % {"name": delegate.full_name, "reason": seats.explain(limit, delegate.organization)}
        )
    was = delegate.status
    _confirm(delegate, timezone.now())
    record_author(delegate, by)
    _save(delegate)
    _notify(
        "delegate_promoted" if was == Delegate.Status.WAITLISTED else "delegate_confirmed", delegate
    )
    delegate.promoted, delegate.changed = [], True
    return delegate


@transaction.atomic
def delegate_move_to_waiting_list(*, delegate, by=None):
    """An organizer puts a delegate at the end of the waiting list.

    The seat they free goes to the first other waiting delegate who fits; the one moved is not
    promoted straight back in the same step.
    """
    event, delegate = _locked(delegate)
    if delegate.status == Delegate.Status.WAITLISTED:
        raise DelegateRefused(
            _("%(name)s is already on the waiting list.") % {"name": delegate.full_name}
        )
    _reactivation_checks(delegate)
    was_confirmed = delegate.status == Delegate.Status.CONFIRMED
    _waitlist(delegate, timezone.now())
    record_author(delegate, by)
    _save(delegate)
    _release_bookings(delegate)
    _notify("delegate_waitlisted", delegate)
    delegate.promoted = (
        _fill_free_seats(event, exclude=[delegate.pk], by=by) if was_confirmed else []
    )
    delegate.changed = True
    return delegate


@transaction.atomic
def delegate_delete(*, delegate, by=None):
    """Erase a delegate (a request to erase personal data); their seat goes to the next."""
    event = _lock_event(delegate.event_id)
    delegate = Delegate.objects.get(pk=delegate.pk)
    was_confirmed = delegate.status == Delegate.Status.CONFIRMED
    sessions = list(
        Session.objects.filter(
            bookings__delegate=delegate, bookings__status=SessionBooking.Status.CONFIRMED
        ).order_by("pk")
    )
    record_author(delegate, by)
    delegate.delete()
    for session in sessions:
        _fill_session(_lock_session(session.pk))
    return _fill_free_seats(event, by=by) if was_confirmed else []


# --- Session seats -----------------------------------------------------------------------------


def _lock_session(session_id):
    # Called with the event already locked: on SQLite that lock covers the whole database.
    return Session.objects.select_for_update().select_related("event").get(pk=session_id)


def session_seats_taken(session):
    return session.bookings.filter(status=SessionBooking.Status.CONFIRMED).count()


def _fill_session(session):
    if session.capacity is None:
        return []
    free = session.capacity - session_seats_taken(session)
    if free <= 0:
        return []
    waiting = list(
        session.bookings.filter(status=SessionBooking.Status.WAITLISTED)
        .select_related("delegate__organization", "delegate__created_by", "delegate__event")
        .order_by("created_at", "pk")[:free]
    )
    for booking in waiting:
        booking.status = SessionBooking.Status.CONFIRMED
        booking.save(update_fields=["status"])
        _notify("delegate_session_promoted", booking.delegate, session=session)
    return waiting


@transaction.atomic
def session_book(*, delegate, session, by=None):
    """A confirmed delegate books a seat in a session with a capacity, or waits for one."""
    _lock_event(delegate.event_id)
    session = _lock_session(session.pk)
    delegate = Delegate.objects.select_related("event").get(pk=delegate.pk)
    if session.event_id != delegate.event_id or session.capacity is None:
        raise DelegateRefused(_("This session has no seats to book."))
    if delegate.status != Delegate.Status.CONFIRMED:
        raise DelegateRefused(
            _("Only a confirmed delegate can book a seat in a session; %(name)s is %(status)s.")
            % {"name": delegate.full_name, "status": delegate.get_status_display().lower()}
        )
    refusal = changes_refusal(delegate.event)
    if refusal:
        raise DelegateRefused(refusal)
    existing = SessionBooking.objects.filter(delegate=delegate, session=session).first()
    if existing is not None:
        return existing
    clash = (
        SessionBooking.objects.filter(
            delegate=delegate,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .select_related("session")
        .first()
    )
    if clash is not None:
        raise DelegateRefused(
            _("%(name)s already booked “%(other)s”, at the same time.")
            % {"name": delegate.full_name, "other": clash.session.title}
        )
    full = session_seats_taken(session) >= session.capacity
    booking = SessionBooking(
        session=session,
        delegate=delegate,
        status=SessionBooking.Status.WAITLISTED if full else SessionBooking.Status.CONFIRMED,
    )
    booking.full_clean(validate_constraints=False)
    booking.save()
    return booking


@transaction.atomic
def session_unbook(*, booking, by=None):
    """Give up a session seat (or place in its waiting list); the next waiting gets the seat."""
    _lock_event(booking.session.event_id)
    session = _lock_session(booking.session_id)
    booking = SessionBooking.objects.filter(pk=booking.pk).first()
    if booking is None:
        return []
    was_confirmed = booking.status == SessionBooking.Status.CONFIRMED
    booking.delete()
    return _fill_session(session) if was_confirmed else []


@transaction.atomic
def session_fill_free_seats(*, session):
    """After the session's capacity was raised."""
    _lock_event(session.event_id)
    return _fill_session(_lock_session(session.pk))
