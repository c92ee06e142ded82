"""Organizers author events in the admin: inlines, time zones, checks, warnings and actions."""

import datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, Session, SessionSpeaker
from tests.events.conftest import at
from tests.factories import EventFactory, SessionFactory, SessionSpeakerFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def _value(field, value):
    """A bound field's value as the browser would post it."""
    if isinstance(field.widget, forms.DateTimeInput):
        return field.widget.format_value(value) or ""
    if isinstance(field.widget, forms.SplitDateTimeWidget):
        date, time = field.widget.decompress(value)
        return {
            "_0": date.isoformat() if date else "",
            "_1": time.strftime("%H:%M") if time else "",
        }
    if isinstance(value, list | tuple):
        return [str(item.pk if hasattr(item, "pk") else item) for item in value]
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _form_fields(form, prefix=""):
    data = {}
    for name, field in form.fields.items():
        key = f"{prefix}{name}"
        value = _value(field, form[name].value())
        if isinstance(value, dict):
            data.update({f"{key}{suffix}": part for suffix, part in value.items()})
        elif value is not None:
            data[key] = value
    return data


def change_form_data(response):
    """What the admin's change form would post back unchanged: the form and every inline."""
    data = _form_fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(_form_fields(management, f"{formset.prefix}-"))
        for form in formset.forms:
            data.update(_form_fields(form, f"{form.prefix}-"))
    return data


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _session_data(event, **changes):
    data = {
        "event": event.pk,
        "title_en": "Youth panel",
        "title_ru": "",
        "slug": "youth-panel",
        "kind": "panel",
        "starts_at_0": "2025-01-29",
        "starts_at_1": "10:00",
        "ends_at_0": "2025-01-29",
        "ends_at_1": "11:00",
        "track": "",
        "room": event.hall.pk,
        "language": "en",
        "interpretation_en": "",
        "interpretation_ru": "",
        "description_en": "",
        "description_ru": "",
        "capacity": "",
        # Online and afterwards: what the form shows for a session without them.
        "online_url": "",
        "online_access": "public",
        "online_opens_minutes": "15",
        "recording_url": "",
        "appearances-TOTAL_FORMS": "0",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "admin:events_event_changelist",
        "admin:events_event_add",
        "admin:events_session_changelist",
        "admin:events_session_add",
        "admin:events_speaker_changelist",
        "admin:events_speaker_add",
    ],
)
def test_admin_pages_open(organizer_client, forum, opening, url):
    assert organizer_client.get(reverse(url)).status_code == 200


def test_event_page_holds_tracks_rooms_sessions_and_quotas_inline(organizer_client, forum, opening):
    response = organizer_client.get(reverse("admin:events_event_change", args=[forum.pk]))

    formsets = {
        inline.formset.prefix: inline for inline in response.context["inline_admin_formsets"]
    }
    assert set(formsets) == {"tracks", "rooms", "sessions", "country_quotas"}
    sessions = formsets["sessions"].formset
    assert [form.instance for form in sessions.forms] == [opening]
    # Only this event's tracks and rooms are offered; each session links to its full page.
    room_choices = list(sessions.forms[0].fields["room"].queryset)
    assert room_choices == [forum.hall, forum.workshop_room]
    assert reverse("admin:events_session_change", args=[opening.pk]) in response.content.decode()


def test_session_page_holds_speakers_with_role_order_and_autocomplete(
    organizer_client, forum, opening
):
    response = organizer_client.get(reverse("admin:events_session_change", args=[opening.pk]))

    [inline] = response.context["inline_admin_formsets"]
    assert list(inline.formset.forms[0].fields) >= ["speaker", "role", "order"]
    assert "admin-autocomplete" in response.content.decode()

    found = organizer_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "sessionspeaker",
            "field_name": "speaker",
            "term": "Aleš",
        },
    ).json()
    assert [result["text"] for result in found["results"]] == ["Aleška Simkić"]


def test_session_list_filters_by_event_day_track_and_kind(organizer_client, forum, opening):
    SessionFactory(event=forum, title_en="Day two", starts_at=at(forum, 2, 9))
    SessionFactory(event=EventFactory(), title_en="Elsewhere")
    url = reverse("admin:events_session_changelist")

    def titles(query):
        response = organizer_client.get(url, query)
        return sorted(s.title for s in response.context["cl"].result_list)

    assert titles({"event__id__exact": forum.pk}) == ["Day two", "Opening plenary"]
    assert titles({"event__id__exact": forum.pk, "day": "2025-01-29"}) == ["Day two"]
    assert titles({"event__id__exact": forum.pk, "track": forum.track.pk}) == ["Opening plenary"]
    assert titles({"kind__exact": "plenary"}) == ["Opening plenary"]
    response = organizer_client.get(url, {"event__id__exact": forum.pk})
    assert "Wednesday, 29 January" in response.content.decode()


# --- Checks that stop mistakes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ends_at_1": "09:00"},
            "ends_at",
            "The session must end after it starts.",
        ),
        (
            {"starts_at_0": "2025-02-03", "ends_at_0": "2025-02-03"},
            "starts_at",
            "The session must take place during the event, from 28 January 2025 to 30 January "
            "2025 (in the event&#x27;s time zone, Asia/Almaty).",
        ),
        (
            {"starts_at_0": "2025-01-28", "ends_at_0": "2025-01-28"},
            "room",
            "Plenary hall is already booked for “Opening plenary” on 28 January 2025 from 10:00 "
            "to 11:30.",
        ),
    ],
)
def test_session_admin_stops_each_mistake_and_keeps_the_input(
    organizer_client, forum, opening, changes, field, message
):
    response = organizer_client.post(
        reverse("admin:events_session_add"), _session_data(forum, **changes)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert message in response.content.decode()
    assert 'value="Youth panel"' in response.content.decode()
    assert not Session.objects.filter(slug="youth-panel").exists()


def test_session_admin_saves_a_good_session_in_event_time(organizer_client, settings, forum):
    settings.TIME_ZONE = "America/New_York"

    response = organizer_client.post(reverse("admin:events_session_add"), _session_data(forum))

    assert response.status_code == 302
    session = Session.objects.get(slug="youth-panel")
    assert session.starts_at == datetime.datetime(2025, 1, 29, 5, tzinfo=datetime.UTC)
    change = organizer_client.get(reverse("admin:events_session_change", args=[session.pk]))
    assert (
        'value="10:00:00"' in change.content.decode() or 'value="10:00"' in change.content.decode()
    )


def test_session_admin_warns_about_a_double_booked_speaker(organizer_client, forum, opening):
    speaker = opening.speakers.get()
    data = _session_data(
        forum,
        room=forum.workshop_room.pk,
        starts_at_0="2025-01-28",
        starts_at_1="11:00",
        ends_at_0="2025-01-28",
        ends_at_1="12:00",
        **{
            "appearances-TOTAL_FORMS": "1",
            "appearances-0-speaker": speaker.pk,
            "appearances-0-role": "speaker",
            "appearances-0-order": "0",
        },
    )

    response = organizer_client.post(reverse("admin:events_session_add"), data)

    assert response.status_code == 302
    assert SessionSpeaker.objects.filter(speaker=speaker).count() == 2
    warnings = [text for level, text in _messages(response) if level == "warning"]
    assert warnings == [
        "Aleška Simkić is also booked for “Opening plenary” (Fifth Forum) on 28 January 2025 "
        "from 10:00 to 11:30, which overlaps “Youth panel”."
    ]


def test_event_admin_checks_sessions_inline(organizer_client, forum, opening):
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    data["sessions-0-starts_at"] = "2025-02-05T10:00"
    data["sessions-0-ends_at"] = "2025-02-05T11:00"

    response = organizer_client.post(url, data)

    assert response.status_code == 200
    assert "The session must take place during the event" in response.content.decode()
    opening.refresh_from_db()
    assert opening.starts_at == at(forum, 1, 10)


def test_event_admin_stops_two_new_sessions_in_one_room_at_once(organizer_client, forum):
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    data["sessions-TOTAL_FORMS"] = "2"
    for number, slug in enumerate(["first", "second"]):
        data.update(
            {
                f"sessions-{number}-title_en": slug.capitalize(),
                f"sessions-{number}-slug": slug,
                f"sessions-{number}-kind": "panel",
                f"sessions-{number}-room": forum.hall.pk,
                f"sessions-{number}-starts_at": f"2025-01-29T1{number}:00",
                f"sessions-{number}-ends_at": "2025-01-29T12:00",
            }
        )

    response = organizer_client.post(url, data)

    assert response.status_code == 200
    assert "Plenary hall is already booked for “First” at that time." in response.content.decode()
    assert not forum.sessions.exists()


def test_event_admin_saves_and_warns_about_speakers_moved_into_a_clash(
    organizer_client, forum, opening
):
    speaker = opening.speakers.get()
    other = SessionFactory(
        event=forum,
        title_en="Afternoon",
        room=forum.workshop_room,
        starts_at=at(forum, 1, 15),
        ends_at=at(forum, 1, 16),
    )
    SessionSpeakerFactory(session=other, speaker=speaker)
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    index = next(
        n
        for n in range(int(data["sessions-TOTAL_FORMS"]))
        if data[f"sessions-{n}-id"] == str(other.pk)
    )
    data[f"sessions-{index}-starts_at"] = "2025-01-28T10:30"
    data[f"sessions-{index}-ends_at"] = "2025-01-28T11:00"

    response = organizer_client.post(url, data)

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.starts_at == at(forum, 1, 10, 30)
    assert any("Aleška Simkić is also booked" in text for _, text in _messages(response))


def test_event_admin_reports_event_mistakes(organizer_client, forum):
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    data.update({"end_date": "2025-01-27", "slug": "feed", "time_zone": "Mars/Olympus"})

    response = organizer_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"slug", "time_zone"}
    assert "“Mars/Olympus” is not a known time zone." in response.content.decode()


# --- Actions -----------------------------------------------------------------------------------


def _action(client, action, events, **extra):
    return client.post(
        reverse("admin:events_event_changelist"),
        {"action": action, "_selected_action": [event.pk for event in events], **extra},
    )


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("publish", "draft", "published", "2 events were published."),
        ("unpublish", "published", "draft", "2 events are drafts again."),
        ("cancel", "published", "cancelled", "2 events were cancelled"),
    ],
)
def test_status_actions(organizer_client, action, before, after, message):
    events = EventFactory.create_batch(2, status=before)

    response = _action(organizer_client, action, events)

    assert response.status_code == 302
    assert set(Event.objects.values_list("status", flat=True)) == {after}
    assert any(message in text for _, text in _messages(response))


def test_cancelled_event_is_shown_as_cancelled_to_visitors(organizer_client, client, forum):
    _action(organizer_client, "cancel", [forum])
    organizer_client.logout()

    response = client.get(forum.get_absolute_url())

    assert "This event has been cancelled." in response.content.decode()


def test_copy_as_next_edition_asks_then_creates_a_draft(organizer_client, forum, opening):
    forum.edition = 5
    forum.save()

    form_page = _action(organizer_client, "copy_as_next_edition", [forum])

    assert form_page.status_code == 200
    initial = form_page.context["form"].initial
    assert initial["start_date"] == datetime.date(2026, 1, 28)
    assert initial["slug"] == "fifth-forum-2026"

    response = _action(
        organizer_client,
        "copy_as_next_edition",
        [forum],
        apply="1",
        title_en="Sixth Forum",
        title_ru="Шестой форум",
        slug="sixth-forum",
        start_date="2027-01-27",
    )

    copy = Event.objects.get(slug="sixth-forum")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_event_change", args=[copy.pk])
    assert (copy.status, copy.edition, copy.start_date, copy.end_date) == (
        "draft",
        6,
        datetime.date(2027, 1, 27),
        datetime.date(2027, 1, 29),
    )
    assert copy.tracks.count() == 1 and copy.rooms.count() == 2 and not copy.sessions.exists()


def test_copy_as_next_edition_reports_a_taken_slug_and_keeps_the_input(organizer_client, forum):
    response = _action(
        organizer_client,
        "copy_as_next_edition",
        [forum],
        apply="1",
        title_en="Sixth Forum",
        slug=forum.slug,
        start_date="2027-01-27",
    )

    assert response.status_code == 200
    assert "Another event already has this slug." in response.content.decode()
    assert 'value="Sixth Forum"' in response.content.decode()
    assert Event.objects.count() == 1


def test_copy_as_next_edition_needs_exactly_one_event(organizer_client):
    response = _action(organizer_client, "copy_as_next_edition", EventFactory.create_batch(2))

    assert response.status_code == 302
    assert Event.objects.count() == 2
    assert any("exactly one event" in text for _, text in _messages(response))


def test_speaker_admin_orders_by_precedence(organizer_client):
    SpeakerFactory(name="Later", precedence=90)
    SpeakerFactory(name="First", precedence=5)

    response = organizer_client.get(reverse("admin:events_speaker_changelist"))

    assert [s.name for s in response.context["cl"].result_list] == ["First", "Later"]


def test_event_list_query_count_does_not_grow(organizer_client, forum, django_assert_num_queries):
    url = reverse("admin:events_event_changelist")
    organizer_client.get(url)  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        organizer_client.get(url)
    events = EventFactory.create_batch(5)
    for event in events:
        SessionFactory.create_batch(3, event=event)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organizer_client.get(url)

    rows = {event.pk: event for event in response.context["cl"].result_list}
    assert {event.pk for event in [forum, *events]} <= set(rows)
    assert all(rows[event.pk].session_count == 3 for event in events)
