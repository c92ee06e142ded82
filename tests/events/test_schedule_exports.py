"""schedule.xml (frab) and schedule.json (pretalx, c3voc), read back with parsers of their own:
lxml against an XML Schema and jsonschema against a JSON Schema, both written here from the
formats' documentation (the c3voc schedule validator's required elements and attributes)."""

import json
import uuid

import jsonschema
import pytest
from django.urls import reverse
from lxml import etree

from events.models import Session
from tests.events.conftest import at
from tests.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory

# The queries they count never include the page cache's re-reading of its generation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_generation")]

SECRET_LINK = "https://call.example.org/delegates-only"

# What frab's schedule.xml holds, as the c3voc validator documents it.
SCHEDULE_XSD = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="hhmm"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9]{1,2}:[0-9]{2}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="zonedDateTime"><xs:restriction base="xs:dateTime">
    <xs:pattern value=".+(Z|[+\\-][0-9]{2}:[0-9]{2})"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="guid"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"/></xs:restriction></xs:simpleType>
  <xs:complexType name="texts"><xs:sequence>
    <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="event">
    <xs:all>
      <xs:element name="date" type="zonedDateTime"/>
      <xs:element name="start" type="hhmm"/>
      <xs:element name="duration" type="hhmm"/>
      <xs:element name="room" type="xs:string"/>
      <xs:element name="slug" type="xs:string"/>
      <xs:element name="url" type="xs:anyURI" minOccurs="0"/>
      <xs:element name="title" type="xs:string"/>
      <xs:element name="subtitle" type="xs:string"/>
      <xs:element name="track" type="xs:string"/>
      <xs:element name="type" type="xs:string"/>
      <xs:element name="language" type="xs:string" minOccurs="0"/>
      <xs:element name="abstract" type="xs:string"/>
      <xs:element name="description" type="xs:string" minOccurs="0"/>
      <xs:element name="persons" type="texts" minOccurs="0"/>
      <xs:element name="links" type="texts" minOccurs="0"/>
      <xs:element name="attachments" type="texts" minOccurs="0"/>
    </xs:all>
    <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
    <xs:attribute name="guid" type="guid" use="required"/>
  </xs:complexType>
  <xs:element name="schedule">
    <xs:complexType><xs:sequence>
      <xs:element name="generator" minOccurs="0"><xs:complexType>
        <xs:attribute name="name" type="xs:string"/><xs:attribute name="version" type="xs:string"/>
      </xs:complexType></xs:element>
      <xs:element name="version" type="xs:string"/>
      <xs:element name="conference"><xs:complexType><xs:all>
        <xs:element name="title" type="xs:string"/>
        <xs:element name="acronym" type="xs:string"/>
        <xs:element name="start" type="xs:date" minOccurs="0"/>
        <xs:element name="end" type="xs:date" minOccurs="0"/>
        <xs:element name="days" type="xs:integer" minOccurs="0"/>
        <xs:element name="timeslot_duration" type="hhmm" minOccurs="0"/>
        <xs:element name="base_url" type="xs:anyURI" minOccurs="0"/>
        <xs:element name="time_zone_name" type="xs:string" minOccurs="0"/>
      </xs:all></xs:complexType></xs:element>
      <xs:element name="day" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="room" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
          <xs:element name="event" type="event" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence><xs:attribute name="name" type="xs:string"/></xs:complexType></xs:element>
      </xs:sequence>
        <xs:attribute name="index" type="xs:positiveInteger" use="required"/>
        <xs:attribute name="date" type="xs:date" use="required"/>
        <xs:attribute name="start" type="zonedDateTime" use="required"/>
        <xs:attribute name="end" type="zonedDateTime" use="required"/>
      </xs:complexType></xs:element>
    </xs:sequence></xs:complexType>
    <xs:unique name="event-ids">
      <xs:selector xpath="day/room/event"/><xs:field xpath="@id"/>
    </xs:unique>
    <xs:unique name="event-guids">
      <xs:selector xpath="day/room/event"/><xs:field xpath="@guid"/>
    </xs:unique>
  </xs:element>
</xs:schema>
"""

HHMM = {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}
ZONED = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"}
LINK = {
    "type": "object",
    "required": ["url", "title"],
    "properties": {"url": {"type": "string"}, "title": {"type": "string"}},
}
# What pretalx's schedule.json holds, as the c3voc schema documents it.
SCHEDULE_SCHEMA = {
    "type": "object",
    "required": ["schedule"],
    "properties": {
        "schedule": {
            "type": "object",
            "required": ["version", "base_url", "conference"],
            "properties": {
                "version": {"type": "string", "minLength": 1},
                "base_url": {"type": "string", "pattern": "^https?://"},
                "conference": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "acronym",
                        "title",
                        "start",
                        "end",
                        "daysCount",
                        "timeslot_duration",
                        "days",
                    ],
                    "properties": {
                        "acronym": {"type": "string", "pattern": "^[a-z0-9_-][a-z0-9_]{3,}$"},
                        "title": {"type": "string"},
                        "start": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "end": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "daysCount": {"type": "integer"},
                        "timeslot_duration": HHMM,
                        "time_zone_name": {
                            "type": "string",
                            "pattern": "^[A-Z][a-z]+/[A-Z][a-z]+$",
                        },
                        "url": {"type": "string"},
                        "rooms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name", "guid"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string"},
                                    "guid": {"type": "string", "format": "uuid"},
                                },
                            },
                        },
                        "tracks": {
                            "type": "array",
                            "items": {"type": "object", "required": ["name"]},
                        },
                        "days": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["index", "date", "day_start", "day_end", "rooms"],
                                "properties": {
                                    "index": {"type": "integer"},
                                    "date": {"type": "string"},
                                    "day_start": ZONED,
                                    "day_end": ZONED,
                                    "rooms": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "type": "array",
                                            "items": {"$ref": "#/$defs/event"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        }
    },
    "$defs": {
        "event": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "id",
                "guid",
                "date",
                "start",
                "duration",
                "room",
                "slug",
                "url",
                "title",
                "subtitle",
                "track",
                "type",
                "language",
                "abstract",
                "description",
                "persons",
                "links",
                "attachments",
            ],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "guid": {"type": "string", "format": "uuid"},
                "date": ZONED,
                "start": HHMM,
                "duration": HHMM,
                "room": {"type": "string"},
                "slug": {"type": "string", "pattern": "^[a-z0-9_-]+[a-z0-9]$"},
                "url": {"type": "string"},
                "title": {"type": "string"},
                "subtitle": {"type": ["string", "null"]},
                "track": {"type": ["string", "null"]},
                "type": {"type": "string"},
                "language": {"type": "string"},
                "abstract": {"type": ["string", "null"]},
                "description": {"type": ["string", "null"]},
                "persons": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "guid", "public_name"],
                        "properties": {
                            "id": {"type": "integer"},
                            "guid": {"type": "string", "format": "uuid"},
                            "public_name": {"type": "string"},
                        },
                    },
                },
                "links": {"type": "array", "items": LINK},
                "attachments": {"type": "array", "items": LINK},
            },
        }
    },
}


@pytest.fixture
def programme(forum, opening):
    workshop = SessionFactory(
        event=forum,
        title_en="Night workshop",
        slug="night-workshop",
        kind=Session.Kind.WORKSHOP,
        room=forum.workshop_room,
        starts_at=at(forum, 2, 23, 15),
        ends_at=at(forum, 3, 1, 0),
        language="ru",
        online_url=SECRET_LINK,
        online_access=Session.OnlineAccess.DELEGATES,
        recording_url="https://video.example.org/night",
    )
    SessionSpeakerFactory(session=workshop, speaker=SpeakerFactory(name="Zarina Moderator"))
    SessionFactory(
        event=forum,
        title_en="Coffee",
        kind=Session.Kind.BREAK,
        room=forum.hall,
        starts_at=at(forum, 1, 11, 30),
        ends_at=at(forum, 1, 12),
    )
    return opening, workshop


def _xml(client, forum):
    return client.get(reverse("events:schedule-xml", args=[forum.slug]))


def _json(client, forum):
    return client.get(reverse("events:schedule-json", args=[forum.slug]))


def test_schedule_xml_is_valid_frab_with_local_times_and_durations(client, forum, programme):
    opening, workshop = programme
    response = _xml(client, forum)
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.fromstring(SCHEDULE_XSD))
    assert schema.validate(document), schema.error_log

    assert document.findtext("conference/time_zone_name") == "Asia/Almaty"
    assert document.findtext("conference/days") == "3"
    assert document.findtext("conference/start") == "2025-01-28"
    days = document.findall("day")
    assert [day.get("date") for day in days] == ["2025-01-28", "2025-01-29", "2025-01-30"]
    assert days[0].get("start") == "2025-01-28T00:00:00+05:00"
    first = days[0].find("room[@name='Plenary hall']/event")
    assert first.get("id") == str(opening.pk)
    assert first.findtext("title") == "Opening plenary"
    assert first.findtext("date") == "2025-01-28T10:00:00+05:00"
    assert (first.findtext("start"), first.findtext("duration")) == ("10:00", "01:30")
    assert first.findtext("persons/person") == "H.E. Aleška Simkić"
    night = days[1].find("room[@name='Workshop room B']/event")
    # Across midnight: on the day it starts, lasting 1 h 45.
    assert (night.findtext("start"), night.findtext("duration")) == ("23:15", "01:45")
    assert night.findtext("language") == "ru"
    assert night.find("links/link").get("href") == "https://video.example.org/night"
    assert "Coffee" not in response.content.decode()
    assert SECRET_LINK not in response.content.decode()


def test_schedule_json_follows_the_documented_structure(client, forum, programme):
    opening, workshop = programme
    response = _json(client, forum)
    data = json.loads(response.content)
    jsonschema.validate(
        data, SCHEDULE_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    conference = data["schedule"]["conference"]
    assert conference["acronym"] == "fifth_forum"
    assert conference["daysCount"] == 3 and conference["time_zone_name"] == "Asia/Almaty"
    assert [room["name"] for room in conference["rooms"]] == ["Plenary hall", "Workshop room B"]
    assert conference["tracks"] == [{"name": "Climate"}]
    event = conference["days"][0]["rooms"]["Plenary hall"][0]
    assert event["id"] == opening.pk
    assert uuid.UUID(event["guid"]).version == 5
    assert event["date"] == "2025-01-28T10:00:00+05:00"
    assert (event["start"], event["duration"], event["track"]) == ("10:00", "01:30", "Climate")
    assert event["persons"][0]["public_name"] == "H.E. Aleška Simkić"
    assert event["url"] == f"http://testserver{opening.get_absolute_url()}"
    night = conference["days"][1]["rooms"]["Workshop room B"][0]
    assert night["duration"] == "01:45" and night["language"] == "ru"
    assert SECRET_LINK not in response.content.decode()


def test_ids_stay_and_the_version_changes_only_with_the_content(client, forum, programme):
    opening, _workshop = programme
    first, second = (
        json.loads(_json(client, forum).content),
        json.loads(_json(client, forum).content),
    )
    assert first == second
    xml_guids = [e.get("guid") for e in etree.fromstring(_xml(client, forum).content).iter("event")]
    json_guids = [
        event["guid"]
        for day in first["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]
    assert sorted(xml_guids) == sorted(json_guids)

    opening.room = forum.workshop_room
    opening.save()
    moved = json.loads(_json(client, forum).content)
    assert moved["schedule"]["version"] != first["schedule"]["version"]
    event = moved["schedule"]["conference"]["days"][0]["rooms"]["Workshop room B"][0]
    assert (
        event["guid"]
        == first["schedule"]["conference"]["days"][0]["rooms"]["Plenary hall"][0]["guid"]
    )
    assert (
        etree.fromstring(_xml(client, forum).content).findtext("version")
        == moved["schedule"]["version"]
    )


def test_exports_of_a_draft_are_404_and_their_queries_are_pinned(
    client, forum, programme, django_assert_max_num_queries
):
    for _ in range(20):
        session = SessionFactory(event=forum, starts_at=at(forum, 3, 8))
        SessionSpeakerFactory(session=session)
    with django_assert_max_num_queries(8):
        assert _json(client, forum).status_code == 200
    with django_assert_max_num_queries(8):
        assert _xml(client, forum).status_code == 200
    forum.status = "draft"
    forum.save()
    assert _json(client, forum).status_code == 404
    assert _xml(client, forum).status_code == 404
