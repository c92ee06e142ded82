import datetime

import icalendar
import pytest
from django.urls import reverse

from events.models import Event
from tests.events.conftest import at
from tests.factories import SessionFactory

# The queries they count never include the page cache's re-reading of its generation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_generation")]


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def test_session_calendar_is_valid_and_complete(client, forum, opening):
    response, calendar = _calendar(client, opening.get_calendar_url())

    assert response["Content-Disposition"] == 'attachment; filename="fifth-forum-opening.ics"'
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    [event] = calendar.events
    assert event["UID"] == f"session-{opening.uid}@eu-central-asia-cso-portal"
    assert isinstance(event.DTSTAMP, datetime.datetime)
    assert event.DTSTAMP.tzinfo is not None
    assert event["SUMMARY"] == "Opening plenary"
    assert event["LOCATION"] == "Plenary hall, Almaty, Kazakhstan"
    assert event["URL"] == f"http://testserver{opening.get_absolute_url()}"
    assert "H.E. Aleška Simkić (Keynote speaker)" in event["DESCRIPTION"]
    assert "English–Russian interpretation" in event["DESCRIPTION"]
    assert event["STATUS"] == "CONFIRMED"


def test_session_uid_is_stable_across_downloads_and_hosts(client, forum, opening):
    _, first = _calendar(client, opening.get_calendar_url())
    second = icalendar.Calendar.from_ical(
        client.get(opening.get_calendar_url(), HTTP_HOST="127.0.0.1").content
    )

    assert first.events[0]["UID"] == second.events[0]["UID"]


def test_event_calendar_holds_the_event_and_its_sessions_but_not_breaks(client, forum, opening):
    SessionFactory(
        event=forum,
        title_en="Lunch",
        kind="break",
        starts_at=at(forum, 1, 13),
        ends_at=at(forum, 1, 14),
    )
    workshop = SessionFactory(
        event=forum,
        title_en="Workshop",
        kind="workshop",
        room=forum.workshop_room,
        starts_at=at(forum, 2, 14),
        ends_at=at(forum, 2, 15),
    )

    response, calendar = _calendar(client, reverse("events:calendar", kwargs={"slug": forum.slug}))

    assert response["Content-Disposition"] == 'attachment; filename="fifth-forum.ics"'
    whole, *sessions = calendar.events
    assert whole["SUMMARY"] == "Fifth Forum"
    assert whole.start == datetime.date(2025, 1, 28)
    assert whole.end == datetime.date(2025, 1, 31)  # DTEND of an all-day entry is exclusive
    assert whole["UID"] == f"event-{forum.uid}@eu-central-asia-cso-portal"
    assert [s["SUMMARY"] for s in sessions] == ["Opening plenary", "Workshop"]
    assert {s["UID"] for s in sessions} == {
        f"session-{opening.uid}@eu-central-asia-cso-portal",
        f"session-{workshop.uid}@eu-central-asia-cso-portal",
    }
    assert all("DTSTAMP" in entry for entry in calendar.events)
    assert calendar.timezones[0].tz_name == "Asia/Almaty"


def test_cancelled_event_calendar_marks_entries_cancelled(client, forum, opening):
    forum.status = Event.Status.CANCELLED
    forum.save()

    _, calendar = _calendar(client, reverse("events:calendar", kwargs={"slug": forum.slug}))

    assert {entry["STATUS"] for entry in calendar.events} == {"CANCELLED"}


def test_calendar_query_count_does_not_grow(client, forum, django_assert_num_queries):
    from tests.events.conftest import fill_agenda

    fill_agenda(forum, 2)
    url = reverse("events:calendar", kwargs={"slug": forum.slug})
    with django_assert_num_queries(3):
        client.get(url)
    fill_agenda(forum, 20)
    with django_assert_num_queries(3):
        _, calendar = _calendar(client, url)

    sessions = forum.sessions.exclude(kind="break")
    assert sessions.count() >= 22
    assert {f"session-{s.uid}@eu-central-asia-cso-portal" for s in sessions} <= {
        str(entry["UID"]) for entry in calendar.events
    }


def test_calendar_of_unknown_session_is_404(client, forum):
    url = reverse("events:session-calendar", kwargs={"event_slug": forum.slug, "slug": "none"})

    assert client.get(url).status_code == 404
