"""The schedule for conference apps: frab's schedule.xml and the schedule.json of pretalx and
the c3voc tools (read by Giggity, ConfClerk and others).

Both are built from one dictionary. Ids are the sessions' own primary keys, guids UUID5s made
from them, so an app that loads the schedule again updates its entries instead of duplicating
them; the version is a digest of the content and changes exactly when something in it does.
Breaks are left out, as in the calendar file; so is every online link that is not public.
"""

import hashlib
import json
import re
import uuid
import xml.etree.ElementTree as ET

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import Session, SessionSpeaker

GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "eu-central-asia-cso-portal")
TIMESLOT = "00:15"


def session_guid(session):
    return str(uuid.uuid5(GUID_NAMESPACE, f"session:{session.pk}"))


def room_guid(room):
    return str(uuid.uuid5(GUID_NAMESPACE, f"room:{room.pk}"))


def speaker_guid(speaker):
    return str(uuid.uuid5(GUID_NAMESPACE, f"speaker:{speaker.pk}"))


def acronym(event):
    """The event's slug in the form the formats allow (lower case, digits and underscores)."""
    return re.sub(r"[^a-z0-9_]", "_", event.slug.lower()) or f"event_{event.pk}"


def _hh_mm(delta):
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _sessions(event):
    return list(
        event.sessions.exclude(kind=Session.Kind.BREAK)
        .select_related("room", "track")
        .prefetch_related(
            Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())
        )
        .order_by("starts_at", "room__name", "pk")
    )


def _session_data(session, *, event, build_url, no_room):
    tz = event.tzinfo
    starts = timezone.localtime(session.starts_at, tz)
    links = []
    if session.has_public_online_link:
        links.append({"url": session.online_url, "title": "Online"})
    if session.recording_url:
        links.append({"url": session.recording_url, "title": "Recording"})
    attachments = []
    if session.materials:
        attachments.append({"url": build_url(session.materials.url), "title": "Materials (PDF)"})
    return {
        "id": session.pk,
        "guid": session_guid(session),
        "date": starts.isoformat(),
        "start": f"{starts:%H:%M}",
        "duration": _hh_mm(session.ends_at - session.starts_at),
        "room": session.room.name if session.room else no_room,
        "slug": session.slug.lower(),
        "url": build_url(session.get_absolute_url()),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track else None,
        "type": session.kind,
        "language": session.language,
        "abstract": session.interpretation,
        "description": session.description,
        "persons": [
            {
                "id": appearance.speaker.pk,
                "guid": speaker_guid(appearance.speaker),
                "public_name": appearance.speaker.full_name,
            }
            for appearance in session.appearances.all()
        ],
        "links": links,
        "attachments": attachments,
    }


def schedule_data(event, *, build_url):
    sessions = _sessions(event)
    rooms = list(event.rooms.order_by("name"))
    no_room = event.venue or event.city
    tz = event.tzinfo
    days = []
    for index, day in enumerate(event.days, start=1):
        day_start, day_end = event.day_bounds(day)
        by_room = {}
        for session in sessions:
            if timezone.localtime(session.starts_at, tz).date() != day:
                continue
            data = _session_data(session, event=event, build_url=build_url, no_room=no_room)
            by_room.setdefault(data["room"], []).append(data)
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": day_end.isoformat(),
                "rooms": by_room,
            }
        )
    conference = {
        "acronym": acronym(event),
        "title": event.title,
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": len(event.days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": event.time_zone,
        "url": build_url(event.get_absolute_url()),
        "rooms": [{"name": room.name, "guid": room_guid(room)} for room in rooms]
        + (
            [{"name": no_room, "guid": str(uuid.uuid5(GUID_NAMESPACE, f"venue:{event.pk}"))}]
            if any(session.room_id is None for session in sessions)
            else []
        ),
        "tracks": [{"name": track.name} for track in event.tracks.all()],
        "days": days,
    }
    digest = hashlib.sha256(
        json.dumps(conference, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return {
        "schedule": {
            "version": digest[:16],
            "base_url": build_url("/"),
            "conference": conference,
        }
    }


def schedule_json(data):
    generator = {"name": str(settings.PORTAL_NAME), "url": data["schedule"]["base_url"]}
    return json.dumps(
        {"$schema": "https://c3voc.de/schedule/schema.json", "generator": generator, **data},
        ensure_ascii=False,
        indent=1,
    )


def _sub(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def schedule_xml(data):
    """frab's schedule.xml from the same data."""
    schedule = data["schedule"]
    conference = schedule["conference"]
    root = ET.Element("schedule")
    _sub(root, "generator", name=str(settings.PORTAL_NAME), version="1")
    _sub(root, "version", schedule["version"])
    element = _sub(root, "conference")
    _sub(element, "title", conference["title"])
    _sub(element, "acronym", conference["acronym"])
    _sub(element, "start", conference["start"])
    _sub(element, "end", conference["end"])
    _sub(element, "days", conference["daysCount"])
    _sub(element, "timeslot_duration", conference["timeslot_duration"])
    _sub(element, "base_url", schedule["base_url"])
    _sub(element, "time_zone_name", conference["time_zone_name"])
    for day in conference["days"]:
        day_element = _sub(
            root,
            "day",
            index=day["index"],
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, events in day["rooms"].items():
            room_element = _sub(day_element, "room", name=room_name)
            for event in events:
                item = _sub(room_element, "event", id=event["id"], guid=event["guid"])
                _sub(item, "date", event["date"])
                _sub(item, "start", event["start"])
                _sub(item, "duration", event["duration"])
                _sub(item, "room", event["room"])
                _sub(item, "slug", event["slug"])
                _sub(item, "url", event["url"])
                _sub(item, "title", event["title"])
                _sub(item, "subtitle", event["subtitle"])
                _sub(item, "track", event["track"] or "")
                _sub(item, "type", event["type"])
                _sub(item, "language", event["language"])
                _sub(item, "abstract", event["abstract"])
                _sub(item, "description", event["description"])
                persons = _sub(item, "persons")
                for person in event["persons"]:
                    _sub(persons, "person", person["public_name"], id=person["id"])
                links = _sub(item, "links")
                for link in event["links"]:
                    _sub(links, "link", link["title"], href=link["url"])
                attachments = _sub(item, "attachments")
                for attachment in event["attachments"]:
                    _sub(attachments, "attachment", attachment["title"], href=attachment["url"])
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
