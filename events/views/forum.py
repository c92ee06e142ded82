"""During the forum: stars and My agenda, the private calendar, now and next, online links,
feedback. Views that answer one person are never cached (see events/forum.py)."""

import itertools
import json

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import forum, ical
from ..agenda import AgendaRows, appearances_by_session
from ..forms import SessionFeedbackForm, day_label
from ..models import (
    CalendarFeed,
    Event,
    Session,
    SessionFeedback,
    SessionSpeaker,
)


def _uncached(response):
    """Kept out of the page cache and out of shared caches: it answers one person."""
    response._page_cache_skip = True
    response["Cache-Control"] = "private, no-store"
    return response


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _public_session(request, event_slug, slug):
    sessions = Session.objects.filter(
        event__in=Event.objects.visible_to(request.user)
    ).select_related("event", "room", "track")
    return get_object_or_404(sessions, event__slug=event_slug, slug=slug)


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Stars -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def session_star(request, event_slug, slug):
    """GET: a page asking to add the session (the star of a visitor without JavaScript: signing
    in comes first); POST: star or unstar it (`starred` = 1 or 0; toggles without it)."""
    session = _public_session(request, event_slug, slug)
    if not request.user.is_authenticated:
        if request.method == "POST" and _wants_json(request):
            return _uncached(JsonResponse({"error": "sign_in"}, status=403))
        return redirect_to_login(request.get_full_path())
    starred_now = session.pk in forum.starred_ids(request.user, session.event)
    if request.method == "POST":
        wanted = request.POST.get("starred")
        starred = (wanted == "1") if wanted in ("0", "1") else not starred_now
        forum.set_star(request.user, session, starred)
        if _wants_json(request):
            return _uncached(JsonResponse({"session": session.pk, "starred": starred}))
        return redirect(_safe_next(request, session.get_absolute_url()))
    return _uncached(
        render(
            request,
            "events/session_star.html",
            {
                "event": session.event,
                "session": session,
                "starred": starred_now,
                "next_url": _safe_next(request, session.get_absolute_url()),
            },
        )
    )


@require_POST
def stars_merge(request):
    """The stars a visitor kept in the browser, added to their account after signing in."""
    if not request.user.is_authenticated:
        return _uncached(JsonResponse({"error": "sign_in"}, status=403))
    try:
        payload = json.loads(request.body or b"{}")
        ids = payload.get("sessions", [])
        if not isinstance(ids, list):
            raise ValueError
    except (ValueError, AttributeError):
        return HttpResponseBadRequest("sessions: a list of ids")
    starred = forum.merge_stars(request.user, ids)
    return _uncached(JsonResponse({"starred": sorted(starred)}))


@require_safe
def session_summaries(request):
    """Public facts of the sessions a visitor starred (`?ids=1,2`), for their My agenda."""
    ids = []
    for value in request.GET.get("ids", "").split(",")[: forum.MAX_MERGED_STARS]:
        if value.strip().isdigit():
            ids.append(int(value))
    sessions = (
        Session.objects.public()
        .filter(pk__in=ids)
        .select_related("event", "room")
        .order_by("starts_at", "room__name", "pk")
    )
    data = []
    for session in sessions:
        tz = session.event.tzinfo
        starts = timezone.localtime(session.starts_at, tz)
        ends = timezone.localtime(session.ends_at, tz)
        data.append(
            {
                "id": session.pk,
                "title": session.title,
                "url": session.get_absolute_url(),
                "event": session.event.title,
                "event_url": session.event.get_absolute_url(),
                "star_url": reverse("events:session-star", args=[session.event.slug, session.slug]),
                "start": starts.isoformat(),
                "end": ends.isoformat(),
                "day": day_label(starts.date()),
                "time": f"{starts:%H:%M}–{ends:%H:%M}",
                "room": session.room.name if session.room else "",
            }
        )
    return _uncached(JsonResponse({"sessions": data}))


# --- My agenda and the private calendar --------------------------------------------------------


def _groups(sessions, csrf_token, next_url, starred):
    """Sessions by event, then by day, each day's rows built as the agenda's."""
    groups = []
    for event, event_sessions in itertools.groupby(
        sorted(sessions, key=lambda s: (s.event.start_date, s.event_id, s.starts_at, s.pk)),
        key=lambda session: session.event,
    ):
        event_sessions = list(event_sessions)
        appearances = appearances_by_session(
            Session.objects.filter(pk__in=[session.pk for session in event_sessions])
        )
        rows = AgendaRows(
            event,
            [session.track for session in event_sessions if session.track],
            appearances,
            stars=starred,
            csrf_token=csrf_token,
            next_url=next_url,
        )
        tz = event.tzinfo
        days = [
            {"date": day, "label": day_label(day), "rows": rows(list(day_sessions))}
            for day, day_sessions in itertools.groupby(
                event_sessions, key=lambda s: timezone.localtime(s.starts_at, tz).date()
            )
        ]
        groups.append({"event": event, "days": days})
    return groups


@never_cache
@require_safe
def my_agenda(request):
    if not request.user.is_authenticated:
        # A visitor's stars are in their browser: the page is drawn there (static/js/forum.js).
        return _uncached(render(request, "events/my_agenda.html", {"visitor": True}))
    sessions = list(forum.personal_sessions(request.user))
    starred = forum.starred_ids(request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return _uncached(
        render(
            request,
            "events/my_agenda.html",
            {
                "groups": _groups(sessions, get_token(request), request.path, starred),
                "session_count": len(sessions),
                "feed": feed,
                "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
            },
        )
    )


@login_required
@require_POST
def calendar_feed(request):
    """Create the private calendar's address, or replace it (the old one stops working)."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=request.user)
        if not created:
            feed.regenerate()
    from django.contrib import messages

    messages.success(
        request,
        _("Your private calendar address is ready.")
        if created
        else _("Your private calendar has a new address: the old one no longer works."),
    )
    return redirect("events:my-agenda")


@require_safe
def private_calendar(request, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    sessions = forum.personal_sessions(feed.user).prefetch_related(
        Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())
    )
    calendar = ical.personal_calendar(
        list(sessions), build_url=request.build_absolute_uri, name=_("My agenda")
    )
    response = ical.calendar_response(calendar, "my-agenda.ics")
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    response._page_cache_skip = True
    return response


# --- Now and next ------------------------------------------------------------------------------


@require_safe
def now_view(request, slug):
    """A compact board for a screen at the venue: each room's session now and the next one.
    Every session of the event is in the page; the browser shows those of the moment."""
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    sessions = list(
        event.sessions.exclude(kind=Session.Kind.BREAK)
        .select_related("room")
        .order_by("room__name", "starts_at", "pk")
    )
    tz = event.tzinfo
    rooms = []
    for room, room_sessions in itertools.groupby(sessions, key=lambda session: session.room):
        items = []
        for session in room_sessions:
            starts = timezone.localtime(session.starts_at, tz)
            ends = timezone.localtime(session.ends_at, tz)
            items.append({"session": session, "starts": starts, "ends": ends})
        rooms.append({"room": room, "sessions": items})
    return render(request, "events/event_now.html", {"event": event, "rooms": rooms})


# --- Online links ------------------------------------------------------------------------------


@never_cache
@require_safe
def session_online(request, event_slug, slug):
    """The session's online link for this person: JSON for the session page's script, a page
    otherwise. Never cached: a delegates-only link must not reach anyone else."""
    session = _public_session(request, event_slug, slug)
    state, url = forum.online_state(session, request.user)
    if state == "none":
        raise Http404
    opens_at = timezone.localtime(session.online_opens_at(), session.event.tzinfo)
    messages = {
        "open": _("Join online"),
        "sign_in": _("The online link is for confirmed delegates: sign in to see it."),
        "delegates": _("The online link is for the event's confirmed delegates only."),
        "later": _("The online link will be shown here from %(time)s.")
        % {"time": f"{opens_at:%H:%M}"},
    }
    if _wants_json(request):
        data = {"state": state, "message": messages[state]}
        if url:
            data["url"] = url
        if state == "later":
            data["opens_at"] = opens_at.isoformat()
        if state == "sign_in":
            data["sign_in_url"] = f"{reverse('login')}?next={session.get_absolute_url()}"
        return _uncached(JsonResponse(data))
    return _uncached(
        render(
            request,
            "events/session_online.html",
            {
                "event": session.event,
                "session": session,
                "state": state,
                "url": url,
                "message": messages[state],
            },
        )
    )


# --- Feedback ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def session_feedback(request, event_slug, slug):
    session = _public_session(request, event_slug, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    feedback = SessionFeedback.objects.filter(session=session, user=request.user).first()
    state = forum.feedback_state(session, request.user, feedback)
    form = None
    if state == "open":
        form = SessionFeedbackForm(request.POST or None, instance=feedback)
        if request.method == "POST" and form.is_valid():
            saved = form.save(commit=False)
            saved.session, saved.user = session, request.user
            saved.save()
            from django.contrib import messages

            messages.success(request, _("Thank you: your feedback is saved."))
            return redirect(session.get_absolute_url())
    elif request.method == "POST":
        state_code = 403
        return _uncached(
            render(
                request,
                "events/session_feedback.html",
                {"event": session.event, "session": session, "state": state},
                status=state_code,
            )
        )
    return _uncached(
        render(
            request,
            "events/session_feedback.html",
            {
                "event": session.event,
                "session": session,
                "state": state,
                "form": form,
                "feedback": feedback,
            },
        )
    )
