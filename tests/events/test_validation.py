"""The model checks behind the admin: each mistake gets a clear message on the right field."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from events.models import SessionSpeaker
from tests.events.conftest import ALMATY, at
from tests.factories import EventFactory, RoomFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _errors(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_well_planned_session_is_valid(forum, opening):
    opening.full_clean()


def test_session_ending_before_it_starts(forum):
    session = SessionFactory.build(
        event=forum, starts_at=at(forum, 1, 11), ends_at=at(forum, 1, 10)
    )

    assert _errors(session) == {"ends_at": ["The session must end after it starts."]}


def test_session_before_the_event(forum):
    session = SessionFactory.build(
        event=forum, starts_at=at(forum, 0, 10), ends_at=at(forum, 0, 11)
    )

    assert _errors(session)["starts_at"] == [
        "The session must take place during the event, from 28 January 2025 to 30 January 2025 "
        "(in the event's time zone, Asia/Almaty)."
    ]


def test_session_after_the_event(forum):
    session = SessionFactory.build(
        event=forum, starts_at=at(forum, 4, 10), ends_at=at(forum, 4, 11)
    )

    assert "starts_at" in _errors(session)


def test_session_running_past_the_last_day(forum):
    session = SessionFactory.build(event=forum, starts_at=at(forum, 3, 23), ends_at=at(forum, 4, 1))

    assert "ends_at" in _errors(session)


def test_event_dates_are_checked_in_the_event_time_zone(forum):
    """09:00 on 28 January in Almaty is 04:00 UTC the same day, but 23:30 on the 27th in
    Almaty is 18:30 UTC: outside, although in UTC it is still the 27th either way."""
    inside = SessionFactory.build(
        event=forum,
        starts_at=datetime.datetime(2025, 1, 27, 19, 30, tzinfo=datetime.UTC),  # 00:30 Almaty
        ends_at=datetime.datetime(2025, 1, 27, 20, 30, tzinfo=datetime.UTC),
    )
    outside = SessionFactory.build(
        event=forum,
        starts_at=datetime.datetime(2025, 1, 27, 23, 30, tzinfo=ALMATY),
        ends_at=datetime.datetime(2025, 1, 28, 0, 30, tzinfo=ALMATY),
    )

    inside.full_clean()
    assert "starts_at" in _errors(outside)


def test_session_overlapping_another_in_the_same_room(forum, opening):
    clash = SessionFactory.build(
        event=forum,
        title_en="Clash",
        room=forum.hall,
        starts_at=at(forum, 1, 11),
        ends_at=at(forum, 1, 12),
    )

    assert _errors(clash) == {
        "room": [
            "Plenary hall is already booked for “Opening plenary” on 28 January 2025 from 10:00 "
            "to 11:30."
        ]
    }


def test_back_to_back_sessions_and_other_rooms_are_fine(forum, opening):
    SessionFactory.build(
        event=forum, room=forum.hall, starts_at=at(forum, 1, 11, 30), ends_at=at(forum, 1, 12)
    ).full_clean()
    SessionFactory.build(
        event=forum, room=forum.workshop_room, starts_at=at(forum, 1, 10), ends_at=at(forum, 1, 11)
    ).full_clean()


def test_a_session_does_not_clash_with_itself(forum, opening):
    opening.ends_at = at(forum, 1, 12)

    opening.full_clean()


def test_track_and_room_of_another_event(forum):
    other = EventFactory()
    session = SessionFactory.build(
        event=forum, track=TrackFactory(event=other), room=RoomFactory(event=other)
    )

    errors = _errors(session)

    assert errors["track"] == ["Choose a track of this event."]
    assert errors["room"] == ["Choose a room of this event."]


def test_event_checks(forum):
    forum.end_date = forum.start_date - datetime.timedelta(days=1)
    forum.registration_opens_at = at(forum, 1, 10)
    forum.registration_closes_at = at(forum, 1, 9)

    errors = _errors(forum)

    assert errors["end_date"] == ["The last day cannot be before the first day."]
    assert errors["registration_closes_at"] == ["Registration must close after it opens."]


def test_event_with_an_unknown_time_zone(forum):
    forum.time_zone = "Asia/Atlantis"
    session = SessionFactory.build(event=forum)

    assert "time_zone" in _errors(forum)
    session.clean()  # the session's own checks do not crash on the event's mistake


def test_double_booked_speaker_is_found(forum, opening):
    speaker = opening.speakers.get()
    parallel = SessionFactory(
        event=forum, room=forum.workshop_room, starts_at=at(forum, 1, 11), ends_at=at(forum, 1, 12)
    )
    later = SessionFactory(event=forum, starts_at=at(forum, 2, 11), ends_at=at(forum, 2, 12))
    SessionSpeaker.objects.create(session=parallel, speaker=speaker)
    SessionSpeaker.objects.create(session=later, speaker=speaker)

    clashes = SessionSpeaker.objects.clashing_with(opening)

    assert [(c.speaker, c.session) for c in clashes] == [(speaker, parallel)]
