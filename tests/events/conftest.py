import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from events.models import SessionSpeaker
from tests.factories import (
    EventFactory,
    MembershipFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    StaffFactory,
    TrackFactory,
)

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(event, day, hour, minute=0, tz=ALMATY):
    """An aware datetime on the event's `day` (1-based) at local `hour:minute`."""
    date = event.start_date + datetime.timedelta(days=day - 1)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=tz)


@pytest.fixture
def forum(db):
    """A published three-day forum in Almaty, 28–30 January 2025, with a track and two rooms."""
    event = EventFactory(
        title_en="Fifth Forum",
        slug="fifth-forum",
        start_date=datetime.date(2025, 1, 28),
        end_date=datetime.date(2025, 1, 30),
        summary_en="Three days of civil society.",
        description_en="The forum in Almaty.",
    )
    event.track = TrackFactory(event=event, name_en="Climate")
    event.hall = RoomFactory(event=event, name_en="Plenary hall")
    event.workshop_room = RoomFactory(event=event, name_en="Workshop room B")
    return event


@pytest.fixture
def opening(forum):
    """A plenary at 10:00 Almaty time on the first day, with a keynote speaker."""
    session = SessionFactory(
        event=forum,
        title_en="Opening plenary",
        slug="opening",
        kind="plenary",
        track=forum.track,
        room=forum.hall,
        starts_at=at(forum, 1, 10),
        ends_at=at(forum, 1, 11, 30),
        language="en",
        interpretation_en="English–Russian interpretation",
    )
    speaker = SpeakerFactory(
        name="Aleška Simkić",
        slug="aleska-simkic",
        honorific="H.E.",
        position_en="Ambassador",
        institution_en="EU Delegation",
        precedence=10,
    )
    SessionSpeakerFactory(session=session, speaker=speaker, role=SessionSpeaker.Role.KEYNOTE)
    return session


@pytest.fixture
def organizer(db):
    """Staff in the Organizers group (with every permission on events)."""
    user = StaffFactory(username="organizer")
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="events"))
    user.groups.add(group)
    return user


def fill_agenda(event, count, speakers_per_session=2):
    """`count` sessions over the event's days, in two rooms, each with its own speakers."""
    rooms = [RoomFactory(event=event), RoomFactory(event=event)]
    track = TrackFactory(event=event)
    sessions = []
    for number in range(count):
        day, slot = divmod(number // 2, 8)
        starts_at = at(event, day % 3 + 1, 9) + datetime.timedelta(hours=slot)
        session = SessionFactory(
            event=event,
            room=rooms[number % 2],
            track=track,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=50),
        )
        for _ in range(speakers_per_session):
            SessionSpeakerFactory(session=session)
        sessions.append(session)
    return sessions


# --- Delegates ---------------------------------------------------------------------------------


@pytest.fixture
def open_forum(db):
    """A published forum 60 days ahead whose registration of delegates is open."""
    now = timezone.now()
    return EventFactory(
        title_en="Sixth Forum",
        slug="sixth-forum",
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=30),
        capacity=100,
    )


@pytest.fixture
def member(db):
    """The owner of an approved Kazakh organization, writing in English."""
    membership = MembershipFactory(
        organization__name="Alpha Steppe",
        organization__country="KZ",
        user__email="owner-a@example.org",
        user__first_name="Aigerim",
    )
    return membership.user


def delegate_values(**overrides):
    values = {
        "full_name": "Dana Nurlanovna",
        "email": "dana@example.org",
        "position": "Programme officer",
        "gender": "female",
        "age_band": "25-34",
        "language_needs": "",
        "accessibility_needs": "",
    }
    values.update(overrides)
    return values
