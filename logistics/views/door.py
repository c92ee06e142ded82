"""The public verification of letters and certificates, and the check-in page at the door."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from events.templatetags.dates import date_range

from .. import services
from ..forms import CheckInForm
from ..models import Certificate, CheckIn, EventLogistics, Letter


@never_cache
@require_GET
def verify(request, reference):
    """What a QR code on a letter or certificate opens: issued (or withdrawn) by the forum."""
    reference = reference.strip().upper()[:20]
    document = (
        Letter.objects.filter(reference=reference).select_related("delegate__event").first()
        or Certificate.objects.filter(reference=reference).select_related("delegate__event").first()
    )
    if document is None:
        return render(request, "logistics/verify.html", {"reference": reference}, status=404)
    event = document.delegate.event
    return render(
        request,
        "logistics/verify.html",
        {
            "reference": reference,
            "document": document,
            "is_letter": isinstance(document, Letter),
            "withdrawn": getattr(document, "status", "") == Letter.Status.WITHDRAWN,
            "event": event,
            "dates": date_range(event.start_date, event.end_date),
        },
    )


# --- Check-in ----------------------------------------------------------------------------------

checkin_required = permission_required("logistics.check_in", raise_exception=True)


def _camera_allowed(response):
    """The portal turns the camera off everywhere (Permissions-Policy); this page scans badges."""
    policy = {**settings.PERMISSIONS_POLICY, "camera": ["self"]}
    response._permissions_policy_override = ", ".join(
        f"{feature}=({' '.join(values)})" for feature, values in policy.items()
    )
    return response


def _events():
    today = timezone.localdate()
    return Event.objects.open().filter(end_date__gte=today).order_by("start_date")


@never_cache
@login_required
@checkin_required
def check_in_events(request):
    events = list(_events())
    if len(events) == 1:
        return redirect("logistics:check-in", slug=events[0].slug)
    return render(request, "logistics/check_in_events.html", {"events": events})


def _sessions(event):
    settings_row = EventLogistics.objects.filter(event=event).first()
    if settings_row is None:
        return []
    return list(settings_row.attendance_sessions.filter(event=event).order_by("starts_at"))


def _describe(badge, session, day):
    """The badge as the page shows it, with its check-in of today (or the session) if any."""
    record = (
        CheckIn.objects.filter(badge=badge, day=day, session=session)
        .select_related("checked_in_by")
        .first()
    )
    badge.today = record
    badge.refusal_text = badge.refusal()
    return badge


def _by(record):
    person = record.checked_in_by
    if person is None:
        return _("someone no longer on the staff")
    return person.get_full_name() or person.get_username()


@never_cache
@login_required
@checkin_required
def check_in(request, slug):
    event = get_object_or_404(_events(), slug=slug)
    sessions = _sessions(event)
    session = None
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        session = next((s for s in sessions if s.pk == int(session_id)), None)
    query = request.GET.get("q", "")[:100]
    day = services.event_today(event)
    badges = [_describe(badge, session, day) for badge in services.search_badges(event, query)]
    response = render(
        request,
        "logistics/check_in.html",
        {
            "event": event,
            "sessions": sessions,
            "session": session,
            "query": query,
            "badges": badges,
            "searched": bool(query.strip()),
            "counts": services.checked_in_counts(event),
            "today": day,
        },
    )
    return _camera_allowed(response)


@login_required
@checkin_required
@require_POST
def check_in_post(request, slug):
    event = get_object_or_404(_events(), slug=slug)
    form = CheckInForm(request.POST)
    back = reverse("logistics:check-in", kwargs={"slug": event.slug})
    if not form.is_valid():
        messages.error(request, _("Scan a badge or type a name or code."))
        return redirect(back)
    session = None
    if form.cleaned_data["session"]:
        session = next((s for s in _sessions(event) if s.pk == form.cleaned_data["session"]), None)
    badge = services.find_badge(event, form.cleaned_data["code"])
    query = {"q": form.cleaned_data["code"], **({"session": session.pk} if session else {})}
    if badge is None:
        messages.error(request, _("No badge of this event has that code."))
        return redirect(f"{back}?{urlencode(query)}")
    result = services.check_in(badge=badge, by=request.user, session=session)
    where = session.title if session else _("the forum")
    if result.refusal:
        messages.error(
            request,
            _("%(name)s may not enter: %(reason)s")
            % {"name": badge.full_name, "reason": result.refusal},
        )
    elif result.created:
        messages.success(
            request,
            _("%(name)s is checked in at %(where)s.") % {"name": badge.full_name, "where": where},
        )
    else:
        messages.warning(
            request,
            _("%(name)s was already checked in at %(time)s by %(by)s.")
            % {
                "name": badge.full_name,
                "time": formats.time_format(
                    timezone.localtime(result.check_in.checked_in_at, event.tzinfo), "H:i"
                ),
                "by": _by(result.check_in),
            },
        )
    return redirect(f"{back}?{urlencode(query)}")


@never_cache
@login_required
@checkin_required
def check_in_counts(request, slug):
    event = get_object_or_404(_events(), slug=slug)
    today = services.event_today(event)
    return JsonResponse(
        {
            "days": [
                {"day": day.isoformat(), "count": count, "today": day == today}
                for day, count in services.checked_in_counts(event)
            ],
            "today": CheckIn.objects.filter(
                badge__event=event, day=today, session__isnull=True
            ).count(),
        }
    )
