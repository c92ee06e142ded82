"""The agenda's rows and the event's calendar file are built by hand for speed: they must stay
exactly what the template and the iCalendar library make of the same sessions."""

import re

import pytest
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from events import ical
from events.agenda import AgendaRows, appearances_by_session
from events.models import Session, SessionSpeaker
from tests.events.conftest import at
from tests.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(forum, opening):
    """Sessions with and without track, room, speakers, interpretation; a break; markup."""
    SessionFactory(
        event=forum,
        title_en="Coffee <break> & talk",
        kind=Session.Kind.BREAK,
        room=forum.hall,
        starts_at=at(forum, 1, 11, 30),
        ends_at=at(forum, 1, 12),
    )
    workshop = SessionFactory(
        event=forum,
        title_en='Workshop "Data, maps; and rights"',
        kind=Session.Kind.WORKSHOP,
        track=forum.track,
        room=forum.workshop_room,
        language="ru",
        description_en="Line one;\nline two, with a comma and a very long sentence that folds.",
        starts_at=at(forum, 2, 23, 30),
        ends_at=at(forum, 3, 0, 30),
    )
    for order, name in enumerate(["Zarina <b>Bold</b>", "Ömer Çelik"]):
        SessionSpeakerFactory(
            session=workshop,
            speaker=SpeakerFactory(name=name),
            role=SessionSpeaker.Role.MODERATOR if order else SessionSpeaker.Role.SPEAKER,
            order=order,
        )
    SessionFactory(event=forum, title_en="Panel without room", starts_at=at(forum, 3, 9))
    return forum.sessions.select_related("track", "room").order_by("starts_at", "pk")


def _without_layout_whitespace(html):
    return re.sub(r"\s*\n\s*", "", html)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_agenda_rows_are_the_session_item_template(forum, sessions, language):
    with translation.override(language), timezone.override(forum.tzinfo):
        expected = "".join(
            render_to_string(
                "events/includes/_session_item.html", {"event": forum, "session": session}
            )
            for session in sessions.prefetch_related(
                Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())
            )
        )
        rows = AgendaRows(forum, list(forum.tracks.all()), appearances_by_session(sessions))

        built = rows(list(sessions))

    assert built == _without_layout_whitespace(expected)
    assert "Coffee &lt;break&gt; &amp; talk" in built


def _without_stamp(calendar):
    return re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:-", calendar)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_event_calendar_is_what_the_icalendar_library_writes(forum, sessions, language):
    build_url = RequestFactory().get("/").build_absolute_uri
    with translation.override(language):
        listed = [session for session in sessions if session.kind != Session.Kind.BREAK]
        for session in listed:
            session.event = forum
        expected = ical.build_calendar(forum, listed, build_url=build_url).to_ical()

        built = ical.event_calendar_bytes(
            forum, listed, appearances_by_session(sessions), build_url=build_url
        )

    assert _without_stamp(built) == _without_stamp(expected)
    assert b"Data\\, maps\\; and rights" in built


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_event_cards_are_the_event_card_template(forum, focus_areas, language):
    from events.agenda import event_cards, with_theme_lists
    from events.models import Event
    from tests.factories import EventFactory

    forum.themes.set(focus_areas[:2])
    other = EventFactory(
        title_en="Cancelled <summit>", status=Event.Status.CANCELLED, city_en="Osh"
    )
    other.themes.set(focus_areas[::-1])
    # The template's themes from a prefetch, the built cards' from with_theme_lists.
    events = with_theme_lists(Event.objects.prefetch_related("themes").order_by("start_date"))
    with translation.override(language):
        expected = [
            render_to_string("events/includes/_event_card.html", {"event": event})
            for event in events
        ]
        built = [event.card for event in event_cards(events)]

    for card, template in zip(built, expected, strict=True):
        assert card == _without_layout_whitespace(template)
    assert any("Cancelled &lt;summit&gt;" in card for card in built)


def test_a_signed_in_persons_rows_are_the_template_with_their_stars(forum, sessions):
    starred = {sessions[1].pk}
    context = {"stars": starred, "csrf_token": "token&1", "next_url": "/events/?a=1&b=2"}
    with timezone.override(forum.tzinfo):
        expected = "".join(
            render_to_string(
                "events/includes/_session_item.html",
                {"event": forum, "session": session, **context},
            )
            for session in sessions.prefetch_related(
                Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())
            )
        )
        rows = AgendaRows(
            forum,
            list(forum.tracks.all()),
            appearances_by_session(sessions),
            stars=starred,
            csrf_token=context["csrf_token"],
            next_url=context["next_url"],
        )
        built = rows(list(sessions))

    assert built == _without_layout_whitespace(expected)
    assert built.count('aria-pressed="true"') == 1
    assert 'value="/events/?a=1&amp;b=2"' in built
