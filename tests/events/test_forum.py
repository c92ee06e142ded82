"""During the forum: stars and My agenda, the private calendar, online links, materials and
feedback (views on the real database and templates)."""

import datetime
import io
import json

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from events import forum as forum_logic
from events import reports
from events.materials import validate_pdf
from events.models import CalendarFeed, Session, SessionFeedback, SessionStar
from tests.events.conftest import at
from tests.factories import (
    DelegateFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)

# The queries they count never include the page cache's re-reading of its generation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_generation")]

SECRET_LINK = "https://call.example.org/delegates-only-7f3a"


@pytest.fixture
def person(db):
    return UserFactory(username="aigerim", email="aigerim@example.org")


@pytest.fixture
def workshop(forum):
    return SessionFactory(
        event=forum,
        title_en="Workshop on data",
        slug="data-workshop",
        kind=Session.Kind.WORKSHOP,
        room=forum.workshop_room,
        track=forum.track,
        starts_at=at(forum, 2, 14),
        ends_at=at(forum, 2, 15, 30),
        capacity=20,
    )


def _star_url(session):
    return reverse("events:session-star", args=[session.event.slug, session.slug])


# --- Stars --------------------------------------------------------------------------------------


def test_a_visitors_agenda_has_stars_as_forms_and_nothing_personal(client, forum, opening):
    html = client.get(reverse("events:agenda", args=[forum.slug])).content.decode()

    assert f'method="get" action="{_star_url(opening)}" data-session="{opening.pk}"' in html
    assert 'aria-pressed="false"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "data-csrf" not in html
    assert f'data-start="{timezone.localtime(opening.starts_at, forum.tzinfo).isoformat()}"' in html


def test_a_signed_in_person_sees_their_stars_and_posts_them(
    client, forum, opening, workshop, person
):
    SessionStar.objects.create(user=person, session=opening)
    client.force_login(person)
    html = client.get(reverse("events:agenda", args=[forum.slug])).content.decode()

    assert html.count('method="post"') >= 2
    assert html.count('aria-pressed="true"') == 1
    assert "csrfmiddlewaretoken" in html
    assert f'data-star-merge="{reverse("events:my-agenda-merge")}"' in html


def test_star_without_javascript_asks_a_visitor_to_sign_in_then_adds_it(client, opening, person):
    response = client.get(_star_url(opening))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.force_login(person)
    page = client.get(_star_url(opening) + "?next=/events/fifth-forum/agenda/")
    assert page.status_code == 200
    assert "Add “Opening plenary” to your agenda?" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]

    done = client.post(_star_url(opening), {"starred": "1", "next": "/events/fifth-forum/agenda/"})
    assert done.status_code == 302 and done["Location"] == "/events/fifth-forum/agenda/"
    assert SessionStar.objects.filter(user=person, session=opening).exists()


def test_star_toggles_as_json_and_refuses_another_site_as_next(client, opening, person):
    client.force_login(person)
    answer = client.post(_star_url(opening), headers={"accept": "application/json"})
    assert answer.json() == {"session": opening.pk, "starred": True}
    again = client.post(_star_url(opening), headers={"accept": "application/json"})
    assert again.json() == {"session": opening.pk, "starred": False}
    elsewhere = client.post(_star_url(opening), {"next": "https://evil.example/"})
    assert elsewhere["Location"] == opening.get_absolute_url()
    assert SessionStar.objects.filter(user=person).count() == 1


def test_star_needs_csrf(opening, person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(_star_url(opening)).status_code == 403
    assert not SessionStar.objects.exists()


def test_a_draft_session_cannot_be_starred(client, opening, person):
    opening.event.status = "draft"
    opening.event.save()
    client.force_login(person)
    assert client.post(_star_url(opening)).status_code == 404


def test_merge_adds_the_visitors_stars_once_and_ignores_junk(client, opening, workshop, person):
    SessionStar.objects.create(user=person, session=opening)
    client.force_login(person)
    url = reverse("events:my-agenda-merge")
    payload = {"sessions": [opening.pk, workshop.pk, "x", 999999, None]}

    answer = client.post(url, json.dumps(payload), content_type="application/json")

    assert answer.json() == {"starred": sorted([opening.pk, workshop.pk])}
    assert SessionStar.objects.filter(user=person).count() == 2
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    client.logout()
    assert client.post(url, "{}", content_type="application/json").status_code == 403


def test_session_summaries_give_public_facts_only(client, forum, opening):
    draft = SessionFactory(event__status="draft", title_en="Secret draft session")
    answer = client.get(reverse("events:my-agenda-sessions"), {"ids": f"{opening.pk},{draft.pk},x"})
    sessions = answer.json()["sessions"]
    assert [session["title"] for session in sessions] == ["Opening plenary"]
    assert sessions[0]["room"] == "Plenary hall"
    assert sessions[0]["start"] == "2025-01-28T10:00:00+05:00"


# --- My agenda and the private calendar ---------------------------------------------------------


def test_my_agenda_for_a_visitor_is_drawn_by_the_browser(client):
    response = client.get(reverse("events:my-agenda"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="visitor-agenda"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.fixture
def delegate_person(forum, workshop, person):
    """`person` is a confirmed delegate of the forum with a seat in the workshop."""
    delegate = DelegateFactory(event=forum, email="AIGERIM@example.org")
    SessionBookingFactory(session=workshop, delegate=delegate)
    return delegate


def test_my_agenda_lists_stars_and_booked_seats(
    client, forum, opening, workshop, person, delegate_person, django_assert_max_num_queries
):
    SessionStar.objects.create(user=person, session=opening)
    SessionFactory(event=forum, title_en="Not mine", starts_at=at(forum, 3, 9))
    client.force_login(person)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:my-agenda"))

    html = response.content.decode()
    assert "Opening plenary" in html and "Workshop on data" in html
    assert "Not mine" not in html
    assert "2 sessions" in html


def test_my_agenda_queries_do_not_grow_with_sessions(
    client, forum, person, django_assert_max_num_queries
):
    for hour in range(8, 20):
        session = SessionFactory(event=forum, starts_at=at(forum, 1, hour))
        SessionStar.objects.create(user=person, session=session)
    client.force_login(person)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:my-agenda"))
    assert response.content.decode().count('class="agenda-session') == 12


def test_private_calendar_is_created_revoked_and_follows_a_room_change(
    client, forum, opening, workshop, person, delegate_person
):
    SessionStar.objects.create(user=person, session=opening)
    client.force_login(person)
    client.post(reverse("events:my-agenda-calendar"))
    feed = CalendarFeed.objects.get(user=person)
    client.logout()  # calendar apps carry no cookie

    calendar = icalendar.Calendar.from_ical(client.get(feed.get_absolute_url()).content)
    entries = {str(entry["SUMMARY"]): entry for entry in calendar.events}
    assert set(entries) == {"Opening plenary", "Workshop on data"}
    assert entries["Opening plenary"].start.isoformat() == "2025-01-28T10:00:00+05:00"
    assert int(entries["Opening plenary"]["SEQUENCE"]) == 0
    uid = str(entries["Opening plenary"]["UID"])

    opening.room = forum.workshop_room
    opening.starts_at = at(forum, 1, 16)
    opening.ends_at = at(forum, 1, 17)
    opening.save()
    response = client.get(feed.get_absolute_url())
    assert response["Cache-Control"] == "private, max-age=0"
    moved = next(
        entry
        for entry in icalendar.Calendar.from_ical(response.content).events
        if str(entry["SUMMARY"]) == "Opening plenary"
    )
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) == 1
    assert "Workshop room B" in str(moved["LOCATION"])
    assert moved.start.isoformat() == "2025-01-28T16:00:00+05:00"
    assert "LAST-MODIFIED" in moved and "DTSTAMP" in moved

    old = feed.get_absolute_url()
    client.force_login(person)
    client.post(reverse("events:my-agenda-calendar"))
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(CalendarFeed.objects.get(user=person).get_absolute_url()).status_code == 200


def test_private_calendar_of_an_unknown_token_is_404(client):
    assert client.get(reverse("events:private-calendar", args=["nope"])).status_code == 404


# --- Online links -------------------------------------------------------------------------------


@pytest.fixture
def hybrid(opening):
    opening.online_url = SECRET_LINK
    opening.online_access = Session.OnlineAccess.DELEGATES
    opening.recording_url = "https://video.example.org/opening"
    opening.save()
    return opening


def test_a_delegates_only_link_never_reaches_a_visitor(client, forum, hybrid):
    online = reverse("events:session-online", args=[forum.slug, hybrid.slug])
    pages = [
        hybrid.get_absolute_url(),
        reverse("events:agenda", args=[forum.slug]),
        reverse("events:calendar", args=[forum.slug]),
        reverse("events:session-calendar", args=[forum.slug, hybrid.slug]),
        reverse("events:schedule-xml", args=[forum.slug]),
        reverse("events:schedule-json", args=[forum.slug]),
        reverse("events:now", args=[forum.slug]),
        online,
    ]
    for page in pages:
        assert SECRET_LINK not in client.get(page).content.decode(), page
    answer = client.get(online, headers={"accept": "application/json"}).json()
    assert answer["state"] == "sign_in" and "url" not in answer
    assert (
        "https://video.example.org/opening"
        in client.get(hybrid.get_absolute_url()).content.decode()
    )


def test_a_delegates_only_link_for_delegates_and_no_one_else(client, forum, hybrid, person):
    online = reverse("events:session-online", args=[forum.slug, hybrid.slug])
    client.force_login(person)
    response = client.get(online, headers={"accept": "application/json"})
    assert response.json()["state"] == "delegates"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    DelegateFactory(event=forum, email=person.email)
    assert client.get(online, headers={"accept": "application/json"}).json()["url"] == SECRET_LINK
    assert SECRET_LINK in client.get(online).content.decode()
    # Still never in the session page, whoever reads it.
    assert SECRET_LINK not in client.get(hybrid.get_absolute_url()).content.decode()


def test_a_link_shown_before_the_start_and_a_public_link(client, forum, hybrid):
    hybrid.online_access = Session.OnlineAccess.BEFORE_START
    hybrid.online_opens_minutes = 30
    hybrid.save()
    visitor = AnonymousUser()
    assert forum_logic.online_state(hybrid, visitor, now=at(forum, 1, 9, 29)) == ("later", None)
    assert forum_logic.online_state(hybrid, visitor, now=at(forum, 1, 9, 30)) == (
        "open",
        SECRET_LINK,
    )
    hybrid.online_access = Session.OnlineAccess.PUBLIC
    hybrid.save()
    html = client.get(hybrid.get_absolute_url()).content.decode()
    assert SECRET_LINK in html
    assert "VirtualLocation" in html


def _pdf():
    from pypdf import PdfWriter

    writer, output = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(output)
    return output.getvalue()


PDF = _pdf()


def test_materials_must_be_a_readable_pdf_within_the_limit(settings):
    validate_pdf(SimpleUploadedFile("slides.pdf", PDF))
    with pytest.raises(Exception, match="not a PDF"):
        validate_pdf(SimpleUploadedFile("slides.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100))
    with pytest.raises(Exception, match="cannot be read|no pages"):
        validate_pdf(SimpleUploadedFile("slides.pdf", b"%PDF-1.4\nnothing else"))
    settings.SESSION_MATERIALS_MAX_BYTES = 100
    with pytest.raises(Exception, match="too large"):
        validate_pdf(SimpleUploadedFile("slides.pdf", PDF))


def test_materials_show_on_the_session_page_and_the_admin_offers_the_fields(
    client, forum, opening, organizer
):
    client.force_login(organizer)
    form = (
        client.get(reverse("admin:events_session_change", args=[opening.pk]))
        .context["adminform"]
        .form
    )
    assert {"online_url", "online_access", "recording_url", "materials"} <= set(form.fields)
    Session._meta.get_field("materials").save_form_data(
        opening, SimpleUploadedFile("slides.pdf", PDF)
    )
    opening.save()
    client.logout()
    assert "Materials (PDF)" in client.get(opening.get_absolute_url()).content.decode()


# --- Feedback -----------------------------------------------------------------------------------


def _feedback_url(session):
    return reverse("events:session-feedback", args=[session.event.slug, session.slug])


def test_confirmed_delegates_rate_an_ended_session_once_and_edit_it_for_a_while(
    client, forum, opening, person, settings
):
    DelegateFactory(event=forum, email=person.email)
    client.force_login(person)
    assert client.get(_feedback_url(opening)).status_code == 200

    bad = client.post(_feedback_url(opening), {"rating": "9", "comment": "x"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert "x</textarea>" in bad.content.decode()

    client.post(_feedback_url(opening), {"rating": "4", "comment": "Useful."})
    client.post(_feedback_url(opening), {"rating": "5", "comment": "Very useful."})
    feedback = SessionFeedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Very useful.")

    SessionFeedback.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    closed = client.post(_feedback_url(opening), {"rating": "1"})
    assert closed.status_code == 403
    assert SessionFeedback.objects.get().rating == 5


def test_feedback_is_for_confirmed_delegates_after_the_end(client, forum, person):
    later = SessionFactory(
        event=forum,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    assert client.get(_feedback_url(later)).status_code == 302  # sign in first
    client.force_login(person)
    assert (
        "Only the event's confirmed delegates"
        in client.get(
            _feedback_url(SessionFactory(event=forum, starts_at=at(forum, 3, 9)))
        ).content.decode()
    )
    DelegateFactory(event=forum, email=person.email)
    assert "opens when the session has ended" in client.get(_feedback_url(later)).content.decode()
    assert client.post(_feedback_url(later), {"rating": "5"}).status_code == 403
    assert not SessionFeedback.objects.exists()


def test_results_per_session_and_track_in_the_admin_and_the_report(
    client, forum, opening, workshop, organizer
):
    for rating, user in [(5, "a"), (3, "b")]:
        SessionFeedback.objects.create(
            session=opening, user=UserFactory(username=user), rating=rating
        )
    SessionFeedback.objects.create(
        session=workshop, user=UserFactory(username="c"), rating=4, comment="Good hands-on."
    )
    untracked = SessionFactory(event=forum, starts_at=at(forum, 3, 9))
    SessionFeedback.objects.create(session=untracked, user=UserFactory(username="d"), rating=2)

    tracks = reports.feedback_by_track(forum)
    assert [(row["label"], row["count"], row["average"]) for row in tracks] == [
        ("Climate", 3, 4.0),
        ("No track", 1, 2.0),
    ]
    client.force_login(organizer)
    page = client.get(reverse("admin:events_sessionfeedback_results", args=[forum.pk]))
    html = page.content.decode()
    assert "Good hands-on." in html and "average 3.50 of 5" in html
    report = client.get(reverse("admin:events_delegate_report", args=[forum.pk])).content.decode()
    assert 'id="report-feedback"' in report


@override_settings(PAGE_CACHE_SECONDS=300)
def test_a_cached_agenda_never_serves_one_persons_stars_to_another(client, forum, opening, person):
    agenda = reverse("events:agenda", args=[forum.slug])
    client.get(agenda)  # cached for visitors
    SessionStar.objects.create(user=person, session=opening)
    client.force_login(person)
    assert 'aria-pressed="true"' in client.get(agenda).content.decode()
    client.logout()
    visitor = client.get(agenda).content.decode()
    assert 'aria-pressed="true"' not in visitor and "csrfmiddlewaretoken" not in visitor


def test_a_persons_stars_and_feedback_are_in_their_export_and_go_with_their_account(
    forum, opening, person
):
    from portal.personal_data import account_erase, account_export_data

    SessionStar.objects.create(user=person, session=opening)
    CalendarFeed.objects.create(user=person)
    SessionFeedback.objects.create(session=opening, user=person, rating=4, comment="My words.")

    data = account_export_data(person)
    assert data["my_agenda"] == [{"event": "Fifth Forum", "session": "Opening plenary"}]
    assert data["private_calendar"] is True
    assert data["session_feedback"][0]["comment"] == "My words."

    account_erase(user=person, by=person)
    assert not SessionStar.objects.exists() and not CalendarFeed.objects.exists()
    feedback = SessionFeedback.objects.get()
    assert (feedback.user, feedback.rating, feedback.comment) == (None, 4, "")
