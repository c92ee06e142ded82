"""iCalendar (RFC 5545) files for an event and its sessions.

Times carry their TZID with a VTIMEZONE built from the tz database, so calendar programs show the
forum's local time correctly wherever the reader is. UIDs come from the rows' own UUIDs: they stay
the same whatever host name serves the file, so a re-import updates entries instead of
duplicating them.
"""

import datetime

import icalendar
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//EU-Central Asia Civil Society Portal//Forum events//EN"
UID_DOMAIN = "eu-central-asia-cso-portal"


def session_uid(session):
    return f"session-{session.uid}@{UID_DOMAIN}"


def event_uid(event):
    return f"event-{event.uid}@{UID_DOMAIN}"


def _status(event):
    return "CANCELLED" if event.is_cancelled else "CONFIRMED"


def _place(event, room=None):
    parts = [str(room)] if room else []
    parts += [event.venue, event.address, event.city, str(event.country.name)]
    return ", ".join(part for part in parts if part)


def _session_description(session, url):
    lines = []
    if session.description:
        lines += [session.description, ""]
    appearances = list(session.appearances.all())
    if appearances:
        lines.append(_("Speakers:"))
        lines += [
            f"- {appearance.speaker.full_name} ({appearance.get_role_display()})"
            for appearance in appearances
        ]
        lines.append("")
    language = _("Language: %(language)s") % {"language": session.get_language_display()}
    if session.interpretation:
        language += f" ({session.interpretation})"
    lines += [language, url]
    return "\n".join(lines)


def session_component(session, *, build_url, stamp):
    event = session.event
    url = build_url(session.get_absolute_url())
    component = icalendar.Event.new(
        uid=session_uid(session),
        stamp=stamp,
        start=timezone.localtime(session.starts_at, event.tzinfo),
        end=timezone.localtime(session.ends_at, event.tzinfo),
        summary=session.title,
        description=_session_description(session, url),
        location=_place(event, session.room),
        url=url,
        status=_status(event),
        categories=[session.get_kind_display()],
    )
    return component


def event_component(event, *, build_url, stamp):
    """The whole event as an all-day entry (DTEND is exclusive in iCalendar)."""
    url = build_url(event.get_absolute_url())
    description = "\n\n".join(part for part in (event.summary, url) if part)
    return icalendar.Event.new(
        uid=event_uid(event),
        stamp=stamp,
        start=event.start_date,
        end=event.end_date + datetime.timedelta(days=1),
        summary=event.title,
        description=description,
        location=_place(event),
        url=url,
        status=_status(event),
        last_modified=event.updated_at,
        transparency="TRANSPARENT",
    )


def build_calendar(event, sessions, *, build_url, include_event=True):
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=event.title,
        uid=event_uid(event),
        url=build_url(event.get_absolute_url()),
    )
    if include_event:
        calendar.add_component(event_component(event, build_url=build_url, stamp=stamp))
    for session in sessions:
        calendar.add_component(session_component(session, build_url=build_url, stamp=stamp))
    calendar.add("X-WR-TIMEZONE", event.time_zone)
    # The rules around the event are enough; the full history of the zone would only bloat it.
    calendar.add_missing_timezones(
        first_date=event.start_date - datetime.timedelta(days=366),
        last_date=event.end_date + datetime.timedelta(days=366),
    )
    return calendar


def calendar_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
