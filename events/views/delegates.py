"""/my/ delegates: members of an organization register, change and cancel its delegates.

Every view reaches the organization through the signed-in person's membership and delegates
through that organization, so another organization's delegates are a 404 whatever the id in
the URL (as in organizations/views/my.py). The seat itself is always decided by the services.
"""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from organizations.models import Membership

from .. import services
from ..forms import DelegateForm, SessionBookingForm
from ..models import Delegate, Event, Session, SessionBooking

STATUS_ORDER = [Delegate.Status.CONFIRMED, Delegate.Status.WAITLISTED, Delegate.Status.CANCELLED]


def _organization(request):
    membership = Membership.objects.of_user(request.user)
    if membership is None:
        raise Http404
    return membership.organization


def _event(slug):
    return get_object_or_404(Event.objects.public(), slug=slug)


def _delegate(request, pk):
    organization = _organization(request)
    return get_object_or_404(
        Delegate.objects.filter(organization=organization).select_related("event", "organization"),
        pk=pk,
    )


def _bound(request):
    """Form data for a POST, even an empty one (which must show errors, not a blank form)."""
    return (request.POST,) if request.method == "POST" else (None,)


def _ordered(delegates):
    """Confirmed first, then the waiting list in its order, cancelled last."""
    rank = Case(
        *(When(status=status, then=Value(n)) for n, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return delegates.annotate(status_rank=rank).order_by(
        "status_rank", "waitlisted_at", "full_name", "pk"
    )


def _bookings_prefetch():
    return Prefetch(
        "bookings",
        queryset=SessionBooking.objects.select_related("session").order_by("session__starts_at"),
    )


@never_cache
@login_required
def my_delegates(request):
    """The organization's delegates at every event, and the events open for registration."""
    organization = _organization(request)
    delegates = _ordered(
        organization.delegates.select_related("event").with_waitlist_position()
    ).order_by("-event__start_date", "event_id", "status_rank", "waitlisted_at", "full_name")
    events = [
        {"event": event, "delegates": list(group)}
        for event, group in itertools.groupby(delegates, key=lambda delegate: delegate.event)
    ]
    open_events = list(Event.objects.registration_open().order_by("start_date"))
    return render(
        request,
        "events/delegate_list.html",
        {
            "organization": organization,
            "events": events,
            "open_events": open_events,
            "refusal": services.registration_refusal(open_events[0], organization)
            if open_events and not organization.is_verified
            else "",
        },
    )


@never_cache
@login_required
def my_event_delegates(request, slug):
    """One event: the seats, and the organization's delegates with their sessions."""
    organization = _organization(request)
    event = _event(slug)
    delegates = list(
        _ordered(
            organization.delegates.filter(event=event)
            .with_waitlist_position()
            .prefetch_related(_bookings_prefetch())
        )
    )
    return render(
        request,
        "events/delegate_event.html",
        {
            "organization": organization,
            "event": event,
            "delegates": delegates,
            "active_count": sum(1 for delegate in delegates if delegate.is_active),
            "refusal": services.registration_refusal(event, organization),
            "changes_refusal": services.changes_refusal(event),
            "has_sessions": Session.objects.filter(event=event, capacity__isnull=False).exists(),
            **services.seat_summary(event, organization),
        },
    )


def _registered_message(delegate):
    if delegate.status == Delegate.Status.CONFIRMED:
        return messages.SUCCESS, _(
            "%(name)s is registered and confirmed. We are emailing them the details and a "
            "calendar file."
        ) % {"name": delegate.full_name}
    position = (
        Delegate.objects.filter(pk=delegate.pk).with_waitlist_position().get().waitlist_position
    )
    return messages.WARNING, _(
        "%(name)s is on the waiting list, number %(position)s: %(reason)s When a seat frees up, "
        "the first on the list who fits gets it automatically, and we email them."
    ) % {"name": delegate.full_name, "position": position, "reason": delegate.limit_message}


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegate_add(request, slug):
    organization = _organization(request)
    event = _event(slug)
    refusal = services.registration_refusal(event, organization)
    form = DelegateForm(*_bound(request))
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            delegate = services.delegate_register(
                event=event, organization=organization, by=request.user, **form.values()
            )
        except services.DelegateRefused as error:
            # The window closed (or the organization's status changed) since the page opened.
            refusal = str(error)
            form.add_error(None, refusal)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            level, message = _registered_message(delegate)
            messages.add_message(request, level, message)
            if "add_another" in request.POST:
                return redirect("events:my-delegate-add", slug=event.slug)
            return redirect("events:my-event-delegates", slug=event.slug)
    return _form_page(
        request, form, event, organization, refusal, **services.seat_summary(event, organization)
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegate_edit(request, pk):
    delegate = _delegate(request, pk)
    event = delegate.event
    refusal = services.changes_refusal(event)
    if not delegate.is_active:
        refusal = _("%(name)s's registration is cancelled: it can no longer be changed.") % {
            "name": delegate.full_name
        }
    form = DelegateForm(*_bound(request), instance=delegate)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            delegate = services.delegate_update(delegate=delegate, by=request.user, **form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The details of %(name)s are saved.") % {"name": delegate.full_name}
            )
            return redirect("events:my-event-delegates", slug=event.slug)
    return _form_page(request, form, event, delegate.organization, refusal, delegate=delegate)


def _form_page(request, form, event, organization, refusal, **context):
    """The delegate's form, to add one (with the seats left) or to change one."""
    return render(
        request,
        "events/delegate_form.html",
        {
            "form": form,
            "event": event,
            "organization": organization,
            "refusal": refusal,
            **context,
        },
    )


ALREADY_CANCELLED = gettext_lazy(
    "The registration of %(name)s was already cancelled: nothing more to do."
)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegate_cancel(request, pk):
    delegate = _delegate(request, pk)
    event = delegate.event
    refusal = services.changes_refusal(event)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        elif not delegate.is_active:
            messages.info(request, ALREADY_CANCELLED % {"name": delegate.full_name})
        else:
            delegate = services.delegate_cancel(delegate=delegate, by=request.user)
            if not delegate.changed:
                # Cancelled meanwhile (a second click, a colleague): nothing more to do.
                messages.info(request, ALREADY_CANCELLED % {"name": delegate.full_name})
                return redirect("events:my-event-delegates", slug=event.slug)
            ours = [
                promoted.full_name
                for promoted in delegate.promoted
                if promoted.organization_id == delegate.organization_id
            ]
            message = _("The registration of %(name)s is cancelled.") % {"name": delegate.full_name}
            if ours:
                message += " " + ngettext(
                    "Their seat went to %(names)s, from your waiting list.",
                    "Seats went to %(names)s, from your waiting list.",
                    len(ours),
                ) % {"names": ", ".join(ours)}
            elif delegate.promoted:
                message += " " + _("The seat went to the next delegate on the waiting list.")
            messages.success(request, message)
        return redirect("events:my-event-delegates", slug=event.slug)
    return render(
        request,
        "events/delegate_confirm_cancel.html",
        {"delegate": delegate, "event": event, "refusal": refusal},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegate_sessions(request, pk):
    """The sessions with a capacity: book a seat for a confirmed delegate, or give it up."""
    delegate = _delegate(request, pk)
    event = delegate.event
    sessions = list(
        Session.objects.filter(event=event, capacity__isnull=False)
        .select_related("room")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.CONFIRMED)),
            waiting=Count("bookings", filter=Q(bookings__status=SessionBooking.Status.WAITLISTED)),
        )
        .order_by("starts_at", "pk")
    )
    bookings = {booking.session_id: booking for booking in delegate.bookings.all()}
    if request.method == "POST":
        form = SessionBookingForm(request.POST)
        session = None
        if form.is_valid():
            session = next((s for s in sessions if s.pk == form.cleaned_data["session"]), None)
        if session is None:
            messages.error(request, _("Choose one of the sessions listed."))
        else:
            _book_or_unbook(request, delegate, session, form.cleaned_data["action"], bookings)
        return redirect("events:my-delegate-sessions", pk=delegate.pk)
    for session in sessions:
        session.booking = bookings.get(session.pk)
        session.seats_left = max(session.capacity - session.taken, 0)
    return render(
        request,
        "events/delegate_sessions.html",
        {
            "delegate": delegate,
            "event": event,
            "sessions": sessions,
            "refusal": services.changes_refusal(event),
        },
    )


def _book_or_unbook(request, delegate, session, action, bookings):
    try:
        if action == "book":
            booking = services.session_book(delegate=delegate, session=session, by=request.user)
            if booking.status == SessionBooking.Status.CONFIRMED:
                messages.success(
                    request,
                    _("A seat in “%(session)s” is booked for %(name)s.")
                    % {"session": session.title, "name": delegate.full_name},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "“%(session)s” is full: %(name)s is on its waiting list and gets a seat "
                        "automatically when one frees up."
                    )
                    % {"session": session.title, "name": delegate.full_name},
                )
        elif session.pk in bookings:
            services.session_unbook(booking=bookings[session.pk], by=request.user)
            messages.success(
                request,
                _("%(name)s no longer has a place in “%(session)s”.")
                % {"name": delegate.full_name, "session": session.title},
            )
    except services.DelegateRefused as error:
        messages.error(request, str(error))
