"""schema.org JSON-LD for event and session pages.

Served in <script type="application/ld+json">: browsers never execute that type, so the strict
Content-Security-Policy (script-src 'self') does not block it, and search engines read it.
"""

import datetime
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe

# As in django.utils.html.json_script: text inside <script> must never close the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 - every character that could end the element is escaped
        f'<script type="application/ld+json">{payload.translate(_SCRIPT_ESCAPES)}</script>'
    )


def _place(event, room=None):
    address = {
        "@type": "PostalAddress",
        "addressLocality": event.city,
        "addressCountry": event.country.code,
    }
    if event.address:
        address["streetAddress"] = event.address
    place = {"@type": "Place", "name": event.venue or event.city, "address": address}
    if room is not None:
        place["name"] = ", ".join(str(part) for part in (room, event.venue) if part)
    if event.has_map:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(event.latitude),
            "longitude": float(event.longitude),
        }
    return place


def _organizer(build_url):
    return {"@type": "Organization", "name": str(settings.PORTAL_NAME), "url": build_url("/")}


def _image(build_url):
    return build_url(static("img/share.png"))


def _event_bounds(event, starts_at=None, ends_at=None):
    """The event's start and end as instants with the event's own offset: its first session's
    start and last session's end, otherwise its first and last day whole."""
    tz = event.tzinfo
    if starts_at is None:
        starts_at = event.day_bounds(event.start_date)[0]
    if ends_at is None:
        ends_at = event.day_bounds(event.end_date)[1] - datetime.timedelta(minutes=1)
    return timezone.localtime(starts_at, tz), timezone.localtime(ends_at, tz)


def _status(event):
    if event.is_cancelled:
        return "https://schema.org/EventCancelled"
    return "https://schema.org/EventScheduled"


def _person(speaker, build_url):
    person = {"@type": "Person", "name": speaker.name, "url": build_url(speaker.get_absolute_url())}
    if speaker.position:
        person["jobTitle"] = speaker.position
    if speaker.institution:
        person["affiliation"] = {"@type": "Organization", "name": speaker.institution}
    return person


def event_data(event, *, build_url, performers=(), starts_at=None, ends_at=None):
    """`starts_at` and `ends_at`: the first session's start and the last one's end, if any."""
    start, end = _event_bounds(event, starts_at, ends_at)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": build_url(event.get_absolute_url()),
        "startDate": start.isoformat(timespec="minutes"),
        "endDate": end.isoformat(timespec="minutes"),
        "eventStatus": _status(event),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(event),
        "organizer": _organizer(build_url),
        "image": [_image(build_url)],
    }
    if event.summary or event.description:
        data["description"] = event.summary or event.description
    if performers:
        data["performer"] = [_person(speaker, build_url) for speaker in performers]
    return data


def session_data(session, *, build_url):
    event = session.event
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "url": build_url(session.get_absolute_url()),
        "startDate": timezone.localtime(session.starts_at, event.tzinfo).isoformat(),
        "endDate": timezone.localtime(session.ends_at, event.tzinfo).isoformat(),
        "eventStatus": _status(event),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": session.language,
        "location": _place(event, session.room),
        "organizer": _organizer(build_url),
        "image": [_image(build_url)],
        "superEvent": {
            "@type": "Event",
            "name": event.title,
            "url": build_url(event.get_absolute_url()),
        },
    }
    if session.description:
        data["description"] = session.description
    if session.has_public_online_link:
        # Only a link for everyone: a delegates-only or later-shown link never reaches a page.
        data["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
        data["location"] = [
            data["location"],
            {"@type": "VirtualLocation", "url": session.online_url},
        ]
    speakers = [appearance.speaker for appearance in session.appearances.all()]
    if speakers:
        data["performer"] = [_person(speaker, build_url) for speaker in speakers]
    return data
