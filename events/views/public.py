import itertools

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from organizations.models import Membership, Organization

from .. import forum, ical, maps, structured_data
from ..agenda import AgendaRows, appearances_by_session, event_cards
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
    events = event_cards(
        list(
            Event.objects.public()
            .prefetch_related(Prefetch("themes", to_attr="theme_list"))
            .order_by("start_date")
        )
    )
    today = timezone.localdate()
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming_events": [event for event in events if event.end_date >= today],
            "past_events": [event for event in events if event.end_date < today][::-1],
        },
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
    plenaries = list(
        event.sessions.filter(kind=Session.Kind.PLENARY)
        .select_related("room")
        .prefetch_related(_speakers_in_protocol_order())
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
    star_options = {}
    if request.user.is_authenticated:
        # A signed-in person's page is never cached: their stars are drawn here.
        star_options = {
            "stars": forum.starred_ids(request.user, event),
            "csrf_token": get_token(request),
            "next_url": request.get_full_path(),
        }
    rows = AgendaRows(event, tracks, appearances_by_session(sessions), **star_options)
    tz = event.tzinfo
    days = []
    for day, group in itertools.groupby(
        sessions, key=lambda session: timezone.localtime(session.starts_at, tz).date()
    ):
        day_sessions = list(group)
        days.append(
            {
                "date": day,
                "label": day_label(day),
                "sessions": day_sessions,
                "count": len(day_sessions),
                "rows": rows(day_sessions),
            }
        )
    day_numbers = {day: number for number, day in enumerate(event.days, start=1)}
    for day in days:
        day["number"] = day_numbers.get(day["date"])
        day["starts"], day["ends"] = (
            moment.isoformat() for moment in event.day_bounds(day["date"])
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


@require_safe
def event_calendar(request, slug):
    event = _visible_event(request, slug)
    sessions = (
        event.sessions.filter(~Q(kind=Session.Kind.BREAK))
        .select_related("room")
        .order_by("starts_at", "pk")
    )
    calendar = ical.event_calendar_bytes(
        event,
        list(sessions),
        appearances_by_session(sessions),
        build_url=request.build_absolute_uri,
    )
    return ical.calendar_response(calendar, f"{event.slug}.ics")


@require_safe
def session_calendar(request, event_slug, slug):
    session = _visible_session(request, event_slug, slug)
    calendar = ical.build_calendar(
        session.event, [session], build_url=request.build_absolute_uri, include_event=False
    )
    return ical.calendar_response(calendar, f"{session.event.slug}-{session.slug}.ics")


def _schedule(request, slug):
    from .. import schedule

    event = _visible_event(request, slug)
    return schedule, schedule.schedule_data(event, build_url=request.build_absolute_uri)


@require_safe
def schedule_xml(request, slug):
    """frab's schedule.xml, for conference apps (Giggity, ConfClerk, c3voc tools)."""
    schedule, data = _schedule(request, slug)
    response = HttpResponse(schedule.schedule_xml(data), content_type="application/xml")
    response["ETag"] = f'"{data["schedule"]["version"]}"'
    return response


@require_safe
def schedule_json(request, slug):
    """The schedule.json of pretalx and the c3voc tools."""
    schedule, data = _schedule(request, slug)
    response = HttpResponse(
        schedule.schedule_json(data), content_type="application/json; charset=utf-8"
    )
    response["ETag"] = f'"{data["schedule"]["version"]}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
