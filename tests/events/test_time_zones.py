"""A session at 10:00 in Almaty is at 10:00 on every page, whatever the server's TIME_ZONE."""

import datetime
import re

import icalendar
import pytest
from django.urls import reverse

from tests.events.conftest import at
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

SERVER_ZONES = ["Asia/Almaty", "UTC", "America/New_York", "Pacific/Kiritimati"]


@pytest.fixture(params=SERVER_ZONES)
def server_time_zone(request, settings):
    settings.TIME_ZONE = request.param
    return request.param


def test_agenda_shows_local_event_time(client, server_time_zone, forum, opening):
    response = client.get(reverse("events:agenda", kwargs={"slug": forum.slug}))

    content = response.content.decode()
    assert '<time datetime="2025-01-28T10:00:00+05:00">10:00</time>' in content
    assert '<time datetime="2025-01-28T11:30:00+05:00">11:30</time>' in content
    assert "Times are Almaty time, UTC+5." in content
    assert [day["date"] for day in response.context["days"]] == [datetime.date(2025, 1, 28)]


def test_session_page_and_event_highlights_show_local_event_time(
    client, server_time_zone, forum, opening
):
    session_page = client.get(opening.get_absolute_url()).content.decode()
    event_page = client.get(forum.get_absolute_url()).content.decode()

    assert "28 January 2025, 10:00</time>–" in session_page
    assert "28 January 2025, 10:00</time>" in event_page


def test_session_calendar_gives_the_right_instant(client, server_time_zone, forum, opening):
    response = client.get(opening.get_calendar_url())

    calendar = icalendar.Calendar.from_ical(response.content)
    event = calendar.events[0]
    assert event.start.astimezone(datetime.UTC) == datetime.datetime(
        2025, 1, 28, 5, 0, tzinfo=datetime.UTC
    )
    assert event.end.astimezone(datetime.UTC) == datetime.datetime(
        2025, 1, 28, 6, 30, tzinfo=datetime.UTC
    )
    raw = response.content.decode()
    assert "DTSTART;TZID=Asia/Almaty:20250128T100000" in raw
    # The TZID refers to a VTIMEZONE in the file, and no bare local time is left.
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Almaty"]
    assert not re.search(r"^DT(START|END):\d{8}T\d{6}$", raw, re.MULTILINE)


def test_vtimezone_carries_almatys_offset_of_utc_plus_5(client, forum, opening):
    calendar = icalendar.Calendar.from_ical(client.get(opening.get_calendar_url()).content)

    zone = calendar.timezones[0].to_tz()
    assert zone.utcoffset(datetime.datetime(2025, 1, 28, 10)) == datetime.timedelta(hours=5)


def test_event_in_another_time_zone_uses_its_own(client, settings):
    settings.TIME_ZONE = "Asia/Almaty"
    bishkek = EventFactory(
        slug="bishkek",
        city_en="Bishkek",
        country="KG",
        time_zone="Asia/Bishkek",
        start_date=datetime.date(2027, 1, 27),
        end_date=datetime.date(2027, 1, 29),
    )
    session = SessionFactory(
        event=bishkek,
        starts_at=at(bishkek, 1, 10, tz=bishkek.tzinfo),
        ends_at=at(bishkek, 1, 11, tz=bishkek.tzinfo),
    )

    content = client.get(reverse("events:agenda", kwargs={"slug": "bishkek"})).content.decode()
    raw = client.get(session.get_calendar_url()).content.decode()

    assert ">10:00</time>" in content
    assert "Times are Bishkek time, UTC+6." in content
    assert "DTSTART;TZID=Asia/Bishkek:20270127T100000" in raw


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Almaty", "UTC+5"),
        ("UTC", "UTC"),
        ("Asia/Kolkata", "UTC+5:30"),
        ("America/New_York", "UTC−5"),
    ],
)
def test_utc_offset_label(zone, label):
    event = EventFactory.build(time_zone=zone, start_date=datetime.date(2025, 1, 28))

    assert event.utc_offset == label
