import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, SessionSpeaker
from tests.events.conftest import at, fill_agenda
from tests.factories import (
    EventFactory,
    FocusAreaFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    StaffFactory,
)

# The queries they count never include the page cache's re-reading of its generation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_generation")]


def shown_titles(event, response):
    """The titles of the sessions the agenda shows, day by day, in its order."""
    titles = dict(event.sessions.values_list("slug", "title"))
    return [titles[slug] for day in response.context["days"] for slug in day["slugs"]]


def _text(response):
    """The page's main content as plain text, whitespace collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# --- Event list ---------------------------------------------------------------------------------


def test_event_list_splits_upcoming_and_past(client):
    today = timezone.localdate()
    EventFactory(title_en="Next forum", start_date=today + datetime.timedelta(days=30))
    EventFactory(title_en="Old forum", start_date=today - datetime.timedelta(days=400))
    EventFactory(title_en="Secret forum", status=Event.Status.DRAFT)

    response = client.get(reverse("events:list"))

    assert [e.title for e in response.context["upcoming_events"]] == ["Next forum"]
    assert [e.title for e in response.context["past_events"]] == ["Old forum"]
    assert "Secret forum" not in response.content.decode()


def test_event_list_shows_dates_city_country_themes_and_cancelled_badge(client):
    theme = FocusAreaFactory(slug="youth", name="Youth", name_en="Youth")
    event = EventFactory(
        title_en="Bishkek forum",
        city_en="Bishkek",
        country="KG",
        start_date=datetime.date(2027, 1, 27),
        end_date=datetime.date(2027, 1, 29),
        status=Event.Status.CANCELLED,
    )
    event.themes.add(theme)

    text = _text(client.get(reverse("events:list")))

    assert "27–29 January 2027" in text
    assert "Bishkek, Kyrgyz Republic" in text
    assert "Youth" in text
    assert "Cancelled" in text


def test_event_list_links_the_atom_feed(client):
    content = client.get(reverse("events:list")).content.decode()

    assert 'type="application/atom+xml"' in content
    assert reverse("events:feed") in content


def test_event_list_query_count_does_not_grow(client, django_assert_num_queries):
    theme = FocusAreaFactory()
    EventFactory().themes.add(theme)
    # The events, then the pairs of event and theme, then each theme once (events/agenda.py).
    with django_assert_num_queries(3):
        client.get(reverse("events:list"))
    for event in EventFactory.create_batch(6):
        event.themes.add(theme)
    with django_assert_num_queries(3):
        response = client.get(reverse("events:list"))
    assert len(response.context["upcoming_events"]) == 7


# --- Event page ---------------------------------------------------------------------------------


def test_event_page_shows_dates_venue_description_highlights_and_links(client, forum, opening):
    forum.venue_en = "Congress hall"
    forum.how_to_take_part_en = "Register your delegates from your dashboard."
    forum.save()

    response = client.get(forum.get_absolute_url())

    text = _text(response)
    assert "28–30 January 2025" in text
    assert "Almaty, Kazakhstan" in text
    assert "Congress hall" in text
    assert "The forum in Almaty." in text
    assert "Register your delegates from your dashboard." in text
    assert response.context["keynote_speakers"] == [opening.speakers.get()]
    # The plenaries, each with its day and time in the event's time zone and its room.
    plenaries = response.context["plenaries"]
    assert plenaries.count("<li ") == 1
    assert f'<a href="{opening.get_absolute_url()}">Opening plenary</a>' in plenaries
    assert '<time datetime="2025-01-28T10:00:00+05:00">28 January 2025, 10:00</time>' in plenaries
    assert "H.E. Aleška Simkić" in text
    assert "Opening plenary" in text
    content = response.content.decode()
    for name in ("events:agenda", "events:speakers", "events:calendar"):
        assert reverse(name, kwargs={"slug": forum.slug}) in content
    assert "Add to calendar" in text


def test_event_page_query_count_does_not_grow(client, forum, django_assert_num_queries):
    fill_agenda(forum, 2)
    SessionSpeakerFactory(session=SessionFactory(event=forum, kind="plenary"), role="keynote")
    # The event with its counts, themes, plenaries, keynote speakers, its news.
    with django_assert_num_queries(5):
        client.get(forum.get_absolute_url())
    for session in SessionFactory.create_batch(5, event=forum, kind="plenary"):
        SessionSpeakerFactory.create_batch(2, session=session, role="keynote")
    fill_agenda(forum, 10)
    with django_assert_num_queries(5):
        response = client.get(forum.get_absolute_url())
    assert response.context["plenaries"].count("<li ") == 6
    assert len(response.context["keynote_speakers"]) == 11


def test_draft_event_is_404_for_visitors_and_members(client, forum):
    forum.status = Event.Status.DRAFT
    forum.save()
    SessionFactory(event=forum, slug="opening")
    urls = [
        forum.get_absolute_url(),
        reverse("events:agenda", kwargs={"slug": forum.slug}),
        reverse("events:speakers", kwargs={"slug": forum.slug}),
        reverse("events:calendar", kwargs={"slug": forum.slug}),
        reverse("events:session", kwargs={"event_slug": forum.slug, "slug": "opening"}),
        reverse("events:session-calendar", kwargs={"event_slug": forum.slug, "slug": "opening"}),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 6

    # A staff account without the right to read events (not an organizer) is a visitor here.
    client.force_login(StaffFactory())
    assert [client.get(url).status_code for url in urls] == [404] * 6


def test_draft_event_is_shown_to_organizers_with_a_banner(client, forum, organizer):
    forum.status = Event.Status.DRAFT
    forum.save()
    client.force_login(organizer)

    response = client.get(forum.get_absolute_url())

    assert response.status_code == 200
    assert "Draft." in _text(response)
    assert reverse("admin:events_event_change", args=[forum.pk]) in response.content.decode()
    agenda = client.get(reverse("events:agenda", kwargs={"slug": forum.slug}))
    assert "Draft." in _text(agenda)


def test_cancelled_event_is_visible_with_a_notice(client, forum, opening):
    forum.status = Event.Status.CANCELLED
    forum.save()

    response = client.get(forum.get_absolute_url())
    agenda = client.get(reverse("events:agenda", kwargs={"slug": forum.slug}))
    session = client.get(opening.get_absolute_url())

    for page in (response, agenda, session):
        assert page.status_code == 200
        assert "This event has been cancelled." in _text(page)
    assert "registration is closed" in _text(response)


def test_unknown_event_is_404(client):
    assert client.get(reverse("events:detail", kwargs={"slug": "nothing"})).status_code == 404


def test_open_registration_is_announced(client):
    now = timezone.now()
    event = EventFactory(
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=10),
    )

    text = _text(client.get(event.get_absolute_url()))

    assert "Registration of delegates is open until" in text
    assert "Register your organization" in text


# --- Agenda ------------------------------------------------------------------------------------


def test_agenda_groups_sessions_by_day_and_shows_their_details(client, forum, opening):
    SessionFactory(
        event=forum,
        title_en="Youth workshop",
        kind="workshop",
        room=forum.workshop_room,
        starts_at=at(forum, 2, 14),
        ends_at=at(forum, 2, 15, 30),
        language="ru",
    )

    response = client.get(reverse("events:agenda", kwargs={"slug": forum.slug}))

    days = response.context["days"]
    assert [day["date"] for day in days] == [datetime.date(2025, 1, 28), datetime.date(2025, 1, 29)]
    assert [day["number"] for day in days] == [1, 2]
    text = _text(response)
    assert "Times are Almaty time, UTC+5." in text
    assert "Day 1 · Tuesday, 28 January" in text
    assert "10:00 – 11:30 Opening plenary" in text
    assert "Plenary" in text and "Climate" in text and "Plenary hall" in text
    assert "English , English–Russian interpretation" in text
    assert "H.E. Aleška Simkić (keynote speaker)" in text
    assert "14:00 – 15:30 Youth workshop" in text and "Russian" in text
    assert opening.speakers.get().get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("day=2025-01-29", ["Day two panel", "Day two workshop"]),
        ("kind=workshop", ["Day two workshop"]),
        ("day=2025-01-28&kind=plenary", ["Opening plenary"]),
        ("track={track}", ["Opening plenary", "Day two panel"]),
        ("room={room}", ["Day two workshop"]),
        ("room={hall}&day=2025-01-28", ["Opening plenary"]),
    ],
)
def test_agenda_filters_by_day_track_room_and_kind(client, forum, opening, query, titles):
    SessionFactory(
        event=forum, title_en="Day two panel", track=forum.track, starts_at=at(forum, 2, 9)
    )
    SessionFactory(
        event=forum,
        title_en="Day two workshop",
        kind="workshop",
        room=forum.workshop_room,
        starts_at=at(forum, 2, 11),
    )
    url = reverse("events:agenda", kwargs={"slug": forum.slug})

    response = client.get(
        f"{url}?"
        + query.format(track=forum.track.pk, room=forum.workshop_room.pk, hall=forum.hall.pk)
    )

    assert shown_titles(forum, response) == titles
    assert response.context["form"].is_filtered


def test_agenda_day_boundaries_follow_the_event_time_zone(client, forum):
    """00:30 on the second day in Almaty is still the first day in UTC: it belongs to day 2."""
    SessionFactory(event=forum, title_en="Night owl", starts_at=at(forum, 2, 0, 30))
    url = reverse("events:agenda", kwargs={"slug": forum.slug})

    response = client.get(f"{url}?day=2025-01-29")

    assert shown_titles(forum, response) == ["Night owl"]


def test_agenda_ignores_invalid_filters_and_says_so(client, forum, opening):
    url = reverse("events:agenda", kwargs={"slug": forum.slug})

    response = client.get(f"{url}?day=1999-01-01&track=abc&kind=party")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"day", "track", "kind"}
    assert response.context["session_count"] == 1
    assert "Select a valid choice" in response.content.decode()


def test_agenda_filter_form_is_accessible_and_shareable(client, forum):
    content = client.get(reverse("events:agenda", kwargs={"slug": forum.slug})).content.decode()

    assert 'method="get"' in content
    for name in ("day", "track", "room", "kind"):
        assert f'<label for="id_{name}"' in re.sub(r"\s+", " ", content).replace(
            "< label", "<label"
        )
        assert f'name="{name}"' in content


def test_agenda_without_sessions_says_so(client, forum):
    response = client.get(reverse("events:agenda", kwargs={"slug": forum.slug}))

    assert "The agenda has not been published yet." in _text(response)


@pytest.mark.parametrize("count", [1, 40])
def test_agenda_query_count_is_the_same_for_1_and_40_sessions(
    client, forum, count, django_assert_num_queries
):
    track = fill_agenda(forum, count)[0].track
    url = reverse("events:agenda", kwargs={"slug": forum.slug})

    # The event, its tracks and rooms (for the filters), the sessions, their speakers.
    with django_assert_num_queries(5):
        response = client.get(url)
    with django_assert_num_queries(5):
        filtered = client.get(f"{url}?day=2025-01-28&kind=panel&track={track.pk}")

    assert response.context["session_count"] == count
    assert filtered.context["session_count"] == min(count, 16)


def test_agenda_has_a_print_style_sheet(client, forum):
    content = client.get(reverse("events:agenda", kwargs={"slug": forum.slug})).content.decode()

    assert 'href="/static/css/print.css" media="print"' in content
    assert 'class="agenda-filters no-print' in content


# --- Session page ------------------------------------------------------------------------------


def test_session_page_shows_time_room_language_speakers_and_calendar_link(client, forum, opening):
    opening.description_en = "Welcome addresses."
    opening.capacity = 300
    opening.save()
    moderator = SpeakerFactory(name="Moderator Person", precedence=50)
    SessionSpeakerFactory(session=opening, speaker=moderator, role=SessionSpeaker.Role.MODERATOR)

    response = client.get(opening.get_absolute_url())

    text = _text(response)
    assert "Opening plenary" in text
    assert "28 January 2025, 10:00 – 11:30" in text
    assert "Almaty time, UTC+5" in text
    assert "Plenary hall, Almaty" in text
    assert "English ; English–Russian interpretation" in text
    assert "Welcome addresses." in text
    assert "300" in text
    assert [a.speaker.name for a in response.context["appearances"]] == [
        "Aleška Simkić",
        "Moderator Person",
    ]
    assert opening.get_calendar_url() in response.content.decode()


def test_session_of_another_event_is_404(client, forum, opening):
    other = EventFactory()
    url = reverse("events:session", kwargs={"event_slug": other.slug, "slug": opening.slug})

    assert client.get(url).status_code == 404


def test_session_page_query_count_does_not_grow(client, forum, django_assert_num_queries):
    session = fill_agenda(forum, 1, speakers_per_session=1)[0]
    with django_assert_num_queries(2):
        client.get(session.get_absolute_url())
    SessionSpeakerFactory.create_batch(6, session=session)
    with django_assert_num_queries(2):
        response = client.get(session.get_absolute_url())
    assert len(response.context["appearances"]) == 7


# --- Speakers ----------------------------------------------------------------------------------


def test_event_speakers_are_in_protocol_order(client, forum):
    session = SessionFactory(event=forum)
    later = SessionFactory(event=forum, starts_at=at(forum, 2, 10))
    ambassador = SpeakerFactory(name="Zora Ambassador", precedence=10, honorific="H.E.")
    moderator = SpeakerFactory(name="Anna Moderator", precedence=50)
    keynote = SpeakerFactory(name="Boris Keynote", precedence=50)
    panellist = SpeakerFactory(name="Carl Panellist", precedence=50)
    SessionSpeakerFactory(session=session, speaker=moderator, role="moderator")
    SessionSpeakerFactory(session=session, speaker=panellist, role="speaker")
    SessionSpeakerFactory(session=session, speaker=ambassador, role="speaker")
    SessionSpeakerFactory(session=session, speaker=keynote, role="speaker")
    SessionSpeakerFactory(session=later, speaker=keynote, role="keynote")
    SessionSpeakerFactory(session=SessionFactory(), speaker=SpeakerFactory(name="Elsewhere"))

    response = client.get(reverse("events:speakers", kwargs={"slug": forum.slug}))

    speakers = response.context["speakers"]
    assert [s.name for s in speakers] == [
        "Zora Ambassador",
        "Boris Keynote",
        "Carl Panellist",
        "Anna Moderator",
    ]
    assert [s.role_label for s in speakers] == [
        "Speaker",
        "Keynote speaker",
        "Speaker",
        "Moderator",
    ]
    assert len(speakers[1].event_appearances) == 2
    text = _text(response)
    assert "H.E. Zora Ambassador" in text
    assert "Director" in text and "Example Institute" in text


def test_speaker_without_photo_gets_a_neutral_placeholder_and_with_photo_alt_text(
    client, forum, opening
):
    speaker = opening.speakers.get()
    content = client.get(reverse("events:speakers", kwargs={"slug": forum.slug})).content.decode()
    assert '<span class="speaker-photo speaker-placeholder" aria-hidden="true">AS</span>' in content

    speaker.photo = "speakers/aleska.jpg"
    speaker.save()
    content = client.get(reverse("events:speakers", kwargs={"slug": forum.slug})).content.decode()
    assert 'alt="Photo of Aleška Simkić"' in content


def test_event_speakers_query_count_does_not_grow(client, forum, django_assert_num_queries):
    fill_agenda(forum, 1)
    url = reverse("events:speakers", kwargs={"slug": forum.slug})
    with django_assert_num_queries(3):
        client.get(url)
    fill_agenda(forum, 12)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(response.context["speakers"]) == 26


def test_speaker_page_lists_sessions_across_published_events_only(client, forum, opening):
    speaker = opening.speakers.get()
    next_forum = EventFactory(title_en="Sixth Forum", start_date=datetime.date(2027, 1, 27))
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(event=next_forum, title_en="Sixth opening")
    )
    draft = EventFactory(title_en="Draft forum", status=Event.Status.DRAFT)
    SessionSpeakerFactory(speaker=speaker, session=SessionFactory(event=draft, title_en="Hidden"))

    response = client.get(speaker.get_absolute_url())

    text = _text(response)
    assert "H.E. Aleška Simkić" in text
    assert "Ambassador" in text and "EU Delegation" in text
    assert [a.session.title for a in response.context["speaker"].public_appearances] == [
        "Sixth opening",
        "Opening plenary",
    ]
    assert "Hidden" not in text and "Draft forum" not in text
    assert "Opening plenary" in text and "28 January 2025, 10:00" in text


def test_speaker_only_in_a_draft_event_is_404_to_visitors(client, organizer):
    draft = EventFactory(status=Event.Status.DRAFT)
    appearance = SessionSpeakerFactory(session=SessionFactory(event=draft))

    assert client.get(appearance.speaker.get_absolute_url()).status_code == 404
    client.force_login(organizer)
    assert client.get(appearance.speaker.get_absolute_url()).status_code == 200


def test_speaker_page_query_count_does_not_grow(client, forum, django_assert_num_queries):
    speaker = SpeakerFactory()
    SessionSpeakerFactory(speaker=speaker, session=SessionFactory(event=forum))
    with django_assert_num_queries(2):
        client.get(speaker.get_absolute_url())
    for number in range(5):
        SessionSpeakerFactory(
            speaker=speaker, session=SessionFactory(event=forum, starts_at=at(forum, 2, number))
        )
        SessionSpeakerFactory(speaker=speaker, session=SessionFactory())
    with django_assert_num_queries(2):
        response = client.get(speaker.get_absolute_url())
    assert len(response.context["speaker"].public_appearances) == 11


def test_speaker_links_to_a_public_organization_only(client, forum, opening):
    from tests.factories import OrganizationFactory

    speaker = opening.speakers.get()
    speaker.organization = OrganizationFactory(name="Green Steppe", visibility="hidden")
    speaker.save()
    assert "Green Steppe" not in client.get(speaker.get_absolute_url()).content.decode()

    speaker.organization.visibility = "public"
    speaker.organization.save()
    content = client.get(speaker.get_absolute_url()).content.decode()
    assert speaker.organization.get_absolute_url() in content


def test_home_page_keeps_showing_event_cards(client):
    EventFactory(
        title_en="Sixth forum", start_date=timezone.localdate() + datetime.timedelta(days=10)
    )
    EventFactory(
        title_en="Seventh forum", start_date=timezone.localdate() + datetime.timedelta(days=400)
    )

    content = client.get(reverse("home")).content.decode()

    assert "Seventh forum" in content and 'class="card h-100 event-card"' in content
