"""The printable programme: a PDF booklet of the event's days, rooms, sessions and speakers, read
back with pypdf (its text) and zxing-cpp (its QR code), in English and in Russian."""

import datetime

import pytest
from django.urls import reverse

from events.models import Event, Session, SessionSpeaker
from tests.events.conftest import at
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
)

from .conftest import pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    event = EventFactory(
        title_en="Fifth EU–Central Asia Civil Society Forum",
        title_ru="Пятый форум гражданского общества ЕС–Центральная Азия",
        slug="fifth-forum",
        start_date=datetime.date(2027, 1, 28),
        end_date=datetime.date(2027, 1, 30),
        venue="Rixos Almaty",
        venue_en="Rixos Almaty",
    )
    hall = RoomFactory(event=event, name_en="Grand hall", name_ru="Большой зал")
    studio = RoomFactory(event=event, name_en="Studio B", name_ru="Студия Б")
    digital = TrackFactory(event=event, name_en="Digital transformation")
    opening = SessionFactory(
        event=event,
        title_en="Opening plenary",
        title_ru="Пленарное открытие",
        kind=Session.Kind.PLENARY,
        room=hall,
        starts_at=at(event, 1, 9),
        ends_at=at(event, 1, 10, 30),
        interpretation_en="Russian interpretation",
    )
    SessionFactory(
        event=event,
        title_en="Coffee break",
        kind=Session.Kind.BREAK,
        room=hall,
        starts_at=at(event, 1, 10, 30),
        ends_at=at(event, 1, 11),
    )
    online = SessionFactory(
        event=event,
        title_en="E-government for CSOs",
        track=digital,
        room=studio,
        starts_at=at(event, 2, 14),
        ends_at=at(event, 2, 15, 30),
        online_url="https://video.example.org/delegates-only-room",
        online_access=Session.OnlineAccess.DELEGATES,
    )
    SessionSpeakerFactory(
        session=opening,
        speaker=SpeakerFactory(name="Aigerim Seitkali", institution_en="UNDP Kazakhstan"),
        role=SessionSpeaker.Role.KEYNOTE,
    )
    SessionSpeakerFactory(
        session=online,
        speaker=SpeakerFactory(name="Gʻulom Sharipov", institution_en="Tashkent IT Park"),
        role=SessionSpeaker.Role.MODERATOR,
    )
    return event


def programme_url(event):
    return reverse("logistics:programme", args=[event.slug])


def test_the_booklet_has_the_days_rooms_sessions_and_speakers(client, forum):
    response = client.get(programme_url(forum))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="fifth-forum-programme.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in (
        "Fifth EU–Central Asia Civil Society Forum",
        "Rixos Almaty",
        "Thursday, 28 January",
        "Friday, 29 January",
        "09:00–10:30",
        "Opening plenary",
        "Grand hall",
        "Russian interpretation",
        "Coffee break",
        "E-government for CSOs",
        "Studio B",
        "Digital transformation",
        "Aigerim Seitkali (keynote speaker)",
        "Gʻulom Sharipov (moderator)",
        "UNDP Kazakhstan",
        "UTC+5",
    ):
        assert expected in text, expected
    # A day without sessions has no heading; the speakers' index lists what each one speaks in.
    assert "Saturday, 30 January" not in text
    assert "E-government for CSOs (29 January, 14:00)" in " ".join(text.split())
    # The sessions in time order.
    assert text.index("Opening plenary") < text.index("Coffee break") < text.index("E-government")


def test_the_cover_links_to_the_agenda_online_and_no_online_link_is_printed(client, forum):
    content = client.get(programme_url(forum)).content

    agenda = "http://testserver" + reverse("events:agenda", args=[forum.slug])
    assert pdf_qr_codes(content, scale=2) == [agenda]
    assert "delegates-only-room" not in pdf_text(content)
    assert b"delegates-only-room" not in content


def test_the_booklet_is_in_the_language_of_the_page(client, forum):
    response = client.get(programme_url(forum), headers={"accept-language": "ru"})

    text = pdf_text(response.content)
    assert "Пятый форум гражданского общества ЕС–Центральная Азия" in text
    assert "Программа" in text
    assert "Четверг, 28 января" in text
    assert "Пленарное открытие" in text
    assert "Большой зал" in text
    # Untranslated content falls back, as on the agenda page.
    assert "E-government for CSOs" in text


def test_an_event_without_sessions_says_so(client):
    event = EventFactory(title_en="Youth summit")

    text = pdf_text(client.get(programme_url(event)).content)

    assert "Youth summit" in text
    assert "The programme has not been published yet." in text


def test_a_draft_event_has_no_programme_for_visitors(client, forum):
    Event.objects.filter(pk=forum.pk).update(status=Event.Status.DRAFT)

    assert client.get(programme_url(forum)).status_code == 404
    assert client.get("/events/no-such-event/programme.pdf").status_code == 404
    assert client.post(programme_url(forum)).status_code == 405


def test_the_booklet_reads_a_fixed_number_of_queries(client, forum, django_assert_max_num_queries):
    for number in range(40):
        session = SessionFactory(
            event=forum,
            room=RoomFactory(event=forum),
            starts_at=at(forum, 3, 9) + datetime.timedelta(minutes=15 * number),
            ends_at=at(forum, 3, 9, 15) + datetime.timedelta(minutes=15 * number),
        )
        SessionSpeakerFactory(session=session)

    with django_assert_max_num_queries(4):
        response = client.get(programme_url(forum))

    assert response.status_code == 200
    assert "Saturday, 30 January" in pdf_text(response.content)


def test_the_event_page_and_the_agenda_link_to_the_booklet(client, forum):
    for page in (forum.get_absolute_url(), reverse("events:agenda", args=[forum.slug])):
        content = client.get(page).content.decode()
        assert f'href="{programme_url(forum)}" type="application/pdf"' in content, page
        assert "Printable programme (PDF)" in content


def test_a_change_to_the_programme_shows_in_the_next_booklet(client, forum, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert "Opening plenary" in pdf_text(client.get(programme_url(forum)).content)

    opening = forum.sessions.get(title_en="Opening plenary")
    opening.title_en = "Opening plenary with the ministers"
    opening.save()

    assert "Opening plenary with the ministers" in pdf_text(
        client.get(programme_url(forum)).content
    )
