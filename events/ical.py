"""iCalendar (RFC 5545) files for an event and its sessions.

Times carry their TZID with a VTIMEZONE built from the tz database, so calendar programs show the
forum's local time correctly wherever the reader is. UIDs come from the rows' own UUIDs: they stay
the same whatever host name serves the file, so a re-import updates entries instead of
duplicating them.
"""

import datetime

import icalendar
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.parser import Contentline

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
    calendar.add_missing_timezones(**_zone_range(event))
    return calendar


def _zone_range(event):
    return {
        "first_date": event.start_date - datetime.timedelta(days=366),
        "last_date": event.end_date + datetime.timedelta(days=366),
    }


def _line(name, value):
    line = f"{name}:{value}"
    # Most lines are short ASCII: only longer ones go through the library's folding.
    return line if len(line) < 75 and line.isascii() else Contentline(line).to_ical().decode()


def _text(value):
    """A TEXT value escaped as the library escapes it."""
    return icalendar.vText(value).to_ical().decode()


def _session_text(session, appearances, *, event, url, stamp, labels):
    """A session's VEVENT as `session_component(...).to_ical()` writes it, without building the
    component: an event's calendar of hundreds of sessions spent most of its time there."""
    lines = []
    if session.description:
        lines += [session.description, ""]
    if appearances:
        lines.append(labels["speakers"])
        lines += [
            f"- {name} ({labels['roles'].get(role, role)})" for role, _slug, name in appearances
        ]
        lines.append("")
    language = labels["language"] % {"language": labels["languages"].get(session.language, "")}
    if session.interpretation:
        language += f" ({session.interpretation})"
    lines += [language, url]
    tzid = event.time_zone
    starts = timezone.localtime(session.starts_at, event.tzinfo)
    ends = timezone.localtime(session.ends_at, event.tzinfo)
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            _line("SUMMARY", _text(session.title)),
            f"DTSTART;TZID={tzid}:{starts:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={tzid}:{ends:%Y%m%dT%H%M%S}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            _line("UID", session_uid(session)),
            _line("CATEGORIES", _text(labels["kinds"].get(session.kind, session.kind))),
            _line("DESCRIPTION", _text("\n".join(lines))),
            _line("LOCATION", _text(_place(event, session.room))),
            f"STATUS:{_status(event)}",
            _line("URL", url),
            "END:VEVENT",
        ]
    )


def event_calendar_bytes(event, sessions, appearances, *, build_url):
    """The event's calendar file with all `sessions` (each with its room at hand; `appearances`:
    (role, slug, name) by session id), as `build_calendar(event, sessions).to_ical()`."""
    from .models import Session, SessionSpeaker

    # The library writes the calendar, the event and the time zone the sessions use.
    calendar = build_calendar(event, [], build_url=build_url)
    if sessions:
        calendar.subcomponents.insert(
            len(calendar.timezones),
            icalendar.Timezone.from_tzid(event.time_zone, **_zone_range(event)),
        )
    stamp = calendar.walk("VEVENT")[0]["DTSTAMP"].dt
    labels = {
        "speakers": _("Speakers:"),
        "language": _("Language: %(language)s"),
        "roles": {value: str(label) for value, label in SessionSpeaker.Role.choices},
        "kinds": {value: str(label) for value, label in Session.Kind.choices},
        "languages": {
            value: str(label) for value, label in Session._meta.get_field("language").flatchoices
        },
    }
    before, after = build_url(reverse("events:session", args=[event.slug, "__slug__"])).split(
        "__slug__", 1
    )
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    parts = [
        _session_text(
            session,
            appearances.get(session.pk, ()),
            event=event,
            url=f"{before}{session.slug}{after}",
            stamp=stamp,
            labels=labels,
        )
        for session in sessions
    ]
    body = "".join(f"{part}\r\n" for part in parts).encode()
    return b"".join([head, body, b"END:VCALENDAR", end])


def calendar_response(calendar, filename):
    content = calendar if isinstance(calendar, bytes) else calendar.to_ical()
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def personal_calendar(sessions, *, build_url, name):
    """A person's own calendar: sessions of any events, each with SEQUENCE and LAST-MODIFIED so
    that a subscribed calendar follows a change of time or room (`sessions` with their event,
    room and appearances at hand)."""
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH", name=str(name))
    calendar.add("REFRESH-INTERVAL", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    first = last = None
    for session in sessions:
        component = session_component(session, build_url=build_url, stamp=stamp)
        component.add("SEQUENCE", session.sequence)
        component.add("LAST-MODIFIED", max(session.updated_at, session.event.updated_at))
        calendar.add_component(component)
        day = session.starts_at.date()
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is not None:
        calendar.add_missing_timezones(
            first_date=first - datetime.timedelta(days=366),
            last_date=last + datetime.timedelta(days=366),
        )
    return calendar
