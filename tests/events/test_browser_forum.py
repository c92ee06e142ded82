"""During the forum, in Chromium: a visitor stars sessions, signs in and finds them in My agenda
and in their private calendar; now and next at a faked time; a delegates-only link that an
anonymous visitor never gets."""

import datetime
import re

import icalendar
import pytest
from playwright.sync_api import expect

from events.models import CalendarFeed, Session, SessionStar
from tests.events.conftest import ALMATY, at
from tests.factories import DelegateFactory, SessionFactory, UserFactory
from tests.logistics.conftest import pdf_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password
SECRET_LINK = "https://call.example.org/delegates-only-42"


@pytest.fixture
def programme(forum, opening):
    sessions = {
        "opening": opening,
        "panel": SessionFactory(
            event=forum,
            title_en="Panel on water",
            slug="water-panel",
            room=forum.hall,
            starts_at=at(forum, 1, 12),
            ends_at=at(forum, 1, 13),
        ),
        "workshop": SessionFactory(
            event=forum,
            title_en="Workshop on open data",
            slug="open-data",
            kind=Session.Kind.WORKSHOP,
            room=forum.workshop_room,
            starts_at=at(forum, 1, 10),
            ends_at=at(forum, 1, 11),
            online_url=SECRET_LINK,
            online_access=Session.OnlineAccess.DELEGATES,
        ),
        "tomorrow": SessionFactory(
            event=forum,
            title_en="Day two plenary",
            slug="day-two",
            room=forum.hall,
            starts_at=at(forum, 2, 10),
            ends_at=at(forum, 2, 11),
        ),
    }
    return forum, sessions


def _csp_watch(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    return violations


def _star(page, title):
    return page.get_by_role("button", name=f"My agenda: {title}")


def _log_in(page, email, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_visitor_stars_signs_in_and_finds_them_in_my_agenda_and_the_calendar(
    page, programme, live_server
):
    forum, sessions = programme
    person = UserFactory(username="aigerim", email="aigerim@example.org")
    violations = _csp_watch(page)

    page.goto(f"/events/{forum.slug}/agenda/")
    _star(page, "Opening plenary").click()
    _star(page, "Workshop on open data").click()
    expect(_star(page, "Opening plenary")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(_star(page, "Workshop on open data")).to_have_attribute("aria-pressed", "true")
    expect(_star(page, "Panel on water")).to_have_attribute("aria-pressed", "false")
    assert not SessionStar.objects.exists()  # a visitor's stars stay in their browser

    page.get_by_role("link", name="My agenda").first.click()
    visitor_list = page.locator("#visitor-agenda")
    expect(visitor_list.get_by_role("link", name="Opening plenary")).to_be_visible()
    expect(visitor_list.get_by_role("link", name="Workshop on open data")).to_be_visible()
    expect(visitor_list.get_by_role("link", name="Panel on water")).to_have_count(0)

    _log_in(page, person.email, "/my/agenda/")
    page.wait_for_url(re.compile(r"/my/agenda/$"))
    main = page.locator("main")
    expect(main.get_by_role("link", name="Workshop on open data")).to_be_visible()
    expect(main.get_by_role("link", name="Opening plenary")).to_be_visible()
    assert set(SessionStar.objects.values_list("session__slug", flat=True)) == {
        "opening",
        "open-data",
    }
    assert page.evaluate("window.localStorage.getItem('portal.agenda.stars')") is None

    # Signed in, a star goes to the server.
    page.goto(f"/events/{forum.slug}/agenda/")
    _star(page, "Panel on water").click()
    expect(_star(page, "Panel on water")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => true")
    _star(page, "Opening plenary").click()
    expect(_star(page, "Opening plenary")).to_have_attribute("aria-pressed", "false")

    page.goto("/my/agenda/")
    page.get_by_role("button", name="Create my private calendar").click()
    feed_url = page.get_by_label("Private calendar address").input_value()
    assert feed_url == f"{live_server.url}{CalendarFeed.objects.get().get_absolute_url()}"
    calendar = icalendar.Calendar.from_ical(page.request.get(feed_url).body())
    assert {str(entry["SUMMARY"]) for entry in calendar.events} == {
        "Workshop on open data",
        "Panel on water",
    }

    panel = sessions["panel"]
    panel.room = forum.workshop_room
    panel.save()
    moved = icalendar.Calendar.from_ical(page.request.get(feed_url).body())
    entry = next(e for e in moved.events if str(e["SUMMARY"]) == "Panel on water")
    assert "Workshop room B" in str(entry["LOCATION"])
    assert int(entry["SEQUENCE"]) == 1
    assert violations == []


def test_at_a_faked_now_the_running_sessions_are_marked_and_the_mark_moves(page, programme):
    forum, _sessions = programme
    violations = _csp_watch(page)
    page.clock.install(time=datetime.datetime(2025, 1, 28, 10, 15, tzinfo=ALMATY))

    page.goto(f"/events/{forum.slug}/agenda/")
    now_rows = page.locator(".agenda-session.is-now")
    expect(now_rows).to_have_count(2)  # one in each room
    expect(now_rows.filter(has_text="Opening plenary")).to_contain_text("Now")
    expect(now_rows.filter(has_text="Workshop on open data")).to_have_count(1)
    expect(page.locator(".agenda-session.is-next")).to_have_count(1)
    expect(page.locator(".agenda-session.is-next")).to_contain_text("Panel on water")
    expect(page.locator(".agenda-day.is-today")).to_have_count(1)
    expect(page.locator(".agenda-day.is-today h2")).to_contain_text("Day 1")

    # Two hours later, without a reload.
    page.clock.fast_forward("02:00:00")
    expect(page.locator(".agenda-session.is-now")).to_have_count(1)
    expect(page.locator(".agenda-session.is-now")).to_contain_text("Panel on water")

    page.goto(f"/events/{forum.slug}/now/")
    board = page.locator("[data-now-board]")
    expect(board.get_by_role("link", name="Panel on water")).to_be_visible()
    expect(board.get_by_role("link", name="Day two plenary")).to_be_visible()  # next in the hall
    expect(board.get_by_role("link", name="Opening plenary")).to_be_hidden()
    assert violations == []


def test_an_anonymous_visitor_never_sees_a_delegates_only_link(page, programme):
    forum, sessions = programme
    workshop = sessions["workshop"]
    violations = _csp_watch(page)

    page.goto(workshop.get_absolute_url())
    online = page.locator(".session-online")
    expect(online).to_contain_text("sign in to see it")
    assert SECRET_LINK not in page.content()
    json_ld = page.locator('script[type="application/ld+json"]').text_content()
    assert SECRET_LINK not in json_ld
    for path in [
        f"/events/{forum.slug}/calendar.ics",
        f"/events/{forum.slug}/sessions/{workshop.slug}/calendar.ics",
        f"/events/{forum.slug}/schedule.json",
        f"/events/{forum.slug}/schedule.xml",
        f"/events/{forum.slug}/sessions/{workshop.slug}/online/",
    ]:
        response = page.request.get(path)
        assert response.ok, path
        assert SECRET_LINK not in response.text(), path

    # A confirmed delegate signed in gets it, from the uncached address only.
    delegate = UserFactory(username="delegate", email="delegate@example.org")
    DelegateFactory(event=forum, email=delegate.email)
    _log_in(page, delegate.email, workshop.get_absolute_url())
    page.wait_for_url(re.compile(re.escape(workshop.get_absolute_url())))
    expect(page.get_by_role("link", name="Join online")).to_have_attribute("href", SECRET_LINK)
    assert violations == []


def test_a_visitor_opens_the_printable_programme_from_the_agenda(page, programme):
    forum, sessions = programme
    page.goto(f"/events/{forum.slug}/agenda/")
    link = page.get_by_role("link", name="Printable programme (PDF)")
    expect(link).to_have_attribute("type", "application/pdf")

    with page.expect_response(lambda response: response.url.endswith("/programme.pdf")) as info:
        link.click()
    assert info.value.status == 200
    page.wait_for_url(re.compile(r"/programme\.pdf$"))
    # Chromium shows it in its PDF viewer; the bytes it was sent, fetched again in its session:
    response = page.request.get(page.url)
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="{forum.slug}-programme.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.body())
    for session in sessions.values():
        assert session.title in text, session.title
    # The delegates-only link is not printed either.
    assert SECRET_LINK not in text
