import itertools
from types import SimpleNamespace

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from organizations.models import Membership, Organization
from portal.cache import remember

from .. import forum, ical, maps, structured_data
from ..agenda import (
    AgendaRows,
    appearances_by_session,
    event_cards,
    plenary_items,
    with_theme_lists,
)
from ..forms import AgendaFilterForm, day_label
from ..models import Event, Session, SessionSpeaker, Speaker, can_preview_drafts, role_rank


def _speakers_in_protocol_order():
    return Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())


def _visible_event(request, slug, prepare=None):
    """The event if this person may see it; drafts are 404 for everybody but organizers."""
    events = Event.objects.visible_to(request.user)
    return get_object_or_404(prepare(events) if prepare else events, slug=slug)


@require_safe
def event_list(request):
    today = timezone.localdate()

    def cards():
        """Upcoming and past events, each its title and card: once per change of the events."""
        events = event_cards(with_theme_lists(Event.objects.public().order_by("start_date")))
        upcoming, past = [], []
        for event in events:
            shown = SimpleNamespace(title=event.title, card=event.card)
            (upcoming if event.end_date >= today else past).append(shown)
        return upcoming, past[::-1]

    upcoming, past = remember(
        ["events"], ("event-list", translation.get_language(), today.isoformat()), cards
    )
    return render(
        request, "events/event_list.html", {"upcoming_events": upcoming, "past_events": past}
    )


@require_safe
def event_detail(request, slug):
    event = _visible_event(
        request,
        slug,
        lambda events: events.prefetch_related("themes").annotate(
            session_count=Count("sessions", distinct=True),
            speaker_count=Count("sessions__appearances__speaker", distinct=True),
            first_session_starts_at=Min("sessions__starts_at"),
            last_session_ends_at=Max("sessions__ends_at"),
        ),
    )
    plenaries = _kept_for_event(
        request,
        event,
        "event-plenaries",
        lambda: plenary_items(
            event, event.sessions.filter(kind=Session.Kind.PLENARY).select_related("room")
        ),
    )
    keynote_speakers = list(
        Speaker.objects.filter(
            Exists(
                SessionSpeaker.objects.filter(
                    speaker=OuterRef("pk"),
                    session__event=event,
                    role=SessionSpeaker.Role.KEYNOTE,
                )
            )
        ).order_by("precedence", "name")
    )
    json_ld = structured_data.event_data(
        event,
        build_url=request.build_absolute_uri,
        performers=keynote_speakers,
        starts_at=event.first_session_starts_at,
        ends_at=event.last_session_ends_at,
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "member_organization": _member_organization(request),
            "plenaries": plenaries,
            "keynote_speakers": keynote_speakers,
            "json_ld": structured_data.json_ld_script(json_ld),
            "venue_map": maps.venue_map(event),
        },
    )


def _member_organization(request):
    """The signed-in person's organization (to offer "Register delegates"), or None."""
    membership = Membership.objects.of_user(request.user)
    return membership.organization if membership else None


@require_safe
def agenda(request, slug):
    event = _visible_event(request, slug)
    tracks = list(event.tracks.all())
    rooms = list(event.rooms.order_by("name"))
    form = AgendaFilterForm(request.GET or None, event=event, tracks=tracks, rooms=rooms)
    sessions = form.filter(
        event.sessions.select_related("room").order_by("starts_at", "room__name", "pk")
    )
    if request.user.is_authenticated:
        # A signed-in person's page is never cached: their stars are drawn here.
        rows = AgendaRows(
            event,
            tracks,
            appearances_by_session(sessions),
            stars=forum.starred_ids(request.user, event),
            csrf_token=get_token(request),
            next_url=request.get_full_path(),
        )
        days = _agenda_days(event, sessions, rows)
    else:
        # A visitor's days hold nothing personal: built once per change of the event (and per
        # language and set of filters), whether the page cache is on or not.
        filters = tuple(sorted(form.cleaned_data.items())) if form.is_bound else ()
        days = _kept_for_event(
            request,
            event,
            ("agenda-days", filters),
            lambda: _agenda_days(
                event, sessions, AgendaRows(event, tracks, appearances_by_session(sessions))
            ),
        )
    return render(
        request,
        "events/event_agenda.html",
        {
            "event": event,
            "form": form,
            "days": days,
            "session_count": sum(day["count"] for day in days),
        },
    )


def _agenda_days(event, sessions, rows):
    """The agenda's days: each one's date, label, number, bounds and rows of sessions."""
    tz = event.tzinfo
    day_numbers = {day: number for number, day in enumerate(event.days, start=1)}
    days = []
    for day, group in itertools.groupby(
        sessions, key=lambda session: timezone.localtime(session.starts_at, tz).date()
    ):
        day_sessions = list(group)
        starts, ends = (moment.isoformat() for moment in event.day_bounds(day))
        days.append(
            {
                "date": day,
                "label": day_label(day),
                "number": day_numbers.get(day),
                "count": len(day_sessions),
                "slugs": [session.slug for session in day_sessions],
                "rows": rows(day_sessions),
                "starts": starts,
                "ends": ends,
            }
        )
    return days


def _visible_session(request, event_slug, slug):
    sessions = Session.objects.filter(
        event__in=Event.objects.visible_to(request.user)
    ).select_related("event", "track", "room")
    return get_object_or_404(
        sessions.prefetch_related(_speakers_in_protocol_order()), event__slug=event_slug, slug=slug
    )


@require_safe
def session_detail(request, event_slug, slug):
    session = _visible_session(request, event_slug, slug)
    json_ld = structured_data.session_data(session, build_url=request.build_absolute_uri)
    signed_in = request.user.is_authenticated
    return render(
        request,
        "events/session_detail.html",
        {
            "event": session.event,
            "session": session,
            "appearances": session.appearances.all(),
            "json_ld": structured_data.json_ld_script(json_ld),
            # None on a visitor's (cacheable) page: the browser paints the star it keeps.
            "stars": forum.starred_ids(request.user, session.event) if signed_in else None,
            "next_url": request.get_full_path(),
            "has_ended": session.has_ended,
        },
    )


@require_safe
def event_speakers(request, slug):
    event = _visible_event(request, slug)
    speakers = (
        Speaker.objects.filter(appearances__session__event=event)
        .annotate(best_role=Min(role_rank("appearances__role")))
        .order_by("precedence", "best_role", "name")
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=SessionSpeaker.objects.filter(session__event=event)
                .select_related("session")
                .order_by("session__starts_at"),
                to_attr="event_appearances",
            )
        )
    )
    roles = SessionSpeaker.Role.labels
    speakers = list(speakers)
    for speaker in speakers:
        speaker.role_label = roles[speaker.best_role] if speaker.best_role < len(roles) else ""
    return render(request, "events/event_speakers.html", {"event": event, "speakers": speakers})


@require_safe
def speaker_detail(request, slug):
    speakers = Speaker.objects.all()
    if not can_preview_drafts(request.user):
        speakers = speakers.public()
    appearances = (
        SessionSpeaker.objects.filter(session__event__in=Event.objects.public())
        .select_related("session__event", "session__room")
        .order_by("-session__event__start_date", "session__event_id", "session__starts_at")
    )
    speaker = get_object_or_404(
        speakers.prefetch_related(
            Prefetch("appearances", queryset=appearances, to_attr="public_appearances")
        ),
        slug=slug,
    )
    # Linked only where this visitor may see the organization: a hidden one stays unconfirmed.
    organization = None
    if speaker.organization_id:
        organization = (
            Organization.objects.visible_to(request.user).filter(pk=speaker.organization_id).first()
        )
    return render(
        request, "events/speaker_detail.html", {"speaker": speaker, "organization": organization}
    )


def _kept_for_event(request, event, what, compute):
    """compute()'s result for visitors, kept until the event changes, per language and address
    of the site (the files hold absolute links): what the event's pages build from its sessions,
    once per change."""
    key = (what, event.pk, translation.get_language(), request.build_absolute_uri("/"))
    return remember([f"event:{event.slug}"], key, compute)


@require_safe
def event_calendar(request, slug):
    event = _visible_event(request, slug)

    def build():
        sessions = (
            event.sessions.filter(~Q(kind=Session.Kind.BREAK))
            .select_related("room")
            .order_by("starts_at", "pk")
        )
        return ical.event_calendar_bytes(
            event,
            list(sessions),
            appearances_by_session(sessions),
            build_url=request.build_absolute_uri,
        )

    calendar = _kept_for_event(request, event, "event-calendar", build)
    return ical.calendar_response(calendar, f"{event.slug}.ics")


@require_safe
def session_calendar(request, event_slug, slug):
    session = _visible_session(request, event_slug, slug)
    calendar = ical.build_calendar(
        session.event, [session], build_url=request.build_absolute_uri, include_event=False
    )
    return ical.calendar_response(calendar, f"{session.event.slug}-{session.slug}.ics")


def _schedule(request, slug, serialize):
    """The schedule serialized for conference apps, and its version, once per change."""
    from .. import schedule

    event = _visible_event(request, slug)

    def build():
        data = schedule.schedule_data(event, build_url=request.build_absolute_uri)
        return getattr(schedule, serialize)(data), data["schedule"]["version"]

    return _kept_for_event(request, event, serialize, build)


@require_safe
def schedule_xml(request, slug):
    """frab's schedule.xml, for conference apps (Giggity, ConfClerk, c3voc tools)."""
    content, version = _schedule(request, slug, "schedule_xml")
    response = HttpResponse(content, content_type="application/xml")
    response["ETag"] = f'"{version}"'
    return response


@require_safe
def schedule_json(request, slug):
    """The schedule.json of pretalx and the c3voc tools."""
    content, version = _schedule(request, slug, "schedule_json")
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["ETag"] = f'"{version}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
