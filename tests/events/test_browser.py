"""A visitor in Chromium browses the demo forum and takes its calendar home."""

import importlib
import re

import icalendar
import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

reference_data = importlib.import_module("organizations.migrations.0002_reference_data")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FORUM = "/events/fifth-eu-central-asia-civil-society-forum/"


@pytest.fixture
def demo(settings):
    settings.DEBUG = False  # no demo accounts: only the content
    # A transactional test before this one flushed the focus areas and goals that the data
    # migration created; the demo needs them (serialized_rollback does not survive Playwright's
    # event loop, which gives this thread a new database connection).
    reference_data.create(apps, schema_editor=None)
    call_command("seed_demo", verbosity=0)


def test_visitor_browses_the_demo_forum_and_downloads_its_calendar(page, demo, tmp_path):
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_violations.append(message.text)
        ),
    )

    page.goto("/events/")
    page.get_by_role("link", name="Fifth EU–Central Asia Civil Society Forum").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Fifth EU–Central Asia Civil Society Forum"
    )
    assert "28–30 January 2025" in page.locator("main").inner_text()
    json_ld = page.locator('script[type="application/ld+json"]').text_content()
    assert '"@type": "Event"' in json_ld

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").first.click()
    download = download_info.value
    assert download.suggested_filename == "fifth-eu-central-asia-civil-society-forum.ics"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    summaries = [entry["SUMMARY"] for entry in calendar.events]
    assert summaries[0] == "Fifth EU–Central Asia Civil Society Forum"
    assert "Opening plenary: civil society as a partner for sustainable development" in summaries
    opening = next(e for e in calendar.events if str(e["SUMMARY"]).startswith("Opening plenary"))
    assert opening.start.isoformat() == "2025-01-28T09:30:00+05:00"

    page.get_by_role("navigation", name="Event sections").get_by_role("link", name="Agenda").click()
    main = page.locator("main")
    assert "Times are Almaty time, UTC+5." in main.inner_text()
    day_titles = main.locator("h2.agenda-day-title").all_inner_texts()
    assert [re.sub(r"\s+", " ", title) for title in day_titles] == [
        "Day 1 · Tuesday, 28 January",
        "Day 2 · Wednesday, 29 January",
        "Day 3 · Thursday, 30 January",
    ]
    assert main.get_by_text("09:30", exact=True).first.is_visible()

    page.get_by_label("Day", exact=True).select_option("2025-01-29")
    page.get_by_label("Kind of session").select_option("plenary")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"day=2025-01-29.*kind=plenary"))
    assert main.locator("li.agenda-session").count() == 1

    page.get_by_role("link", name="Show all sessions").click()
    page.get_by_role(
        "link", name="Opening plenary: civil society as a partner for sustainable development"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Opening plenary")
    assert "28 January 2025, 09:30–11:00" in re.sub(r"\s+", " ", main.inner_text())
    speakers = page.get_by_role("region", name="Speakers").get_by_role("link").all_inner_texts()
    assert speakers == ["H.E. Aleška Simkić", "Roman Vassilenko", "Stephen O’Malley"]

    with page.expect_download() as session_download:
        page.get_by_role("link", name="Add to calendar").click()
    assert session_download.value.suggested_filename.endswith("-opening-plenary.ics")

    page.get_by_role("link", name="Stephen O’Malley").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Stephen O’Malley"
    sessions = page.get_by_role("region", name="Sessions")
    assert sessions.get_by_role("link", name=re.compile("Opening plenary")).is_visible()
    assert sessions.get_by_role("link", name=re.compile("Closing plenary")).is_visible()

    assert csp_violations == []


def test_agenda_filters_fold_behind_one_button_on_a_phone(page, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(FORUM + "agenda/")
    filters = page.locator("form.agenda-filters")
    assert not filters.is_visible()

    page.get_by_role("button", name="Filters").click()
    expect(filters).to_be_visible()
    page.get_by_label("Room").select_option(label="Workshop room B")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"room=\d+"))
    rooms = page.locator("li.agenda-session").all_inner_texts()
    assert rooms and all("Workshop room B" in text for text in rooms)
    # Filtered, the form stays open and the button says how many filters are set.
    assert filters.is_visible()
    assert page.get_by_role("button", name="Filters (1 set)").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 360

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(FORUM + "agenda/")
    assert filters.is_visible()
    assert not page.get_by_role("button", name="Filters").is_visible()


def test_agenda_prints_without_filters_and_navigation(page, demo):
    page.goto(FORUM + "agenda/")
    page.emulate_media(media="print")

    assert not page.locator("form.agenda-filters").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("li.agenda-session").first.is_visible()


def test_agenda_in_russian(page, demo):
    page.goto(FORUM + "agenda/")
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "ru"
    text = page.locator("main").inner_text()
    assert "Пятый Форум гражданского общества ЕС – Центральная Азия" in text
    assert "Вторник, 28 января" in text
    assert "Пленарное открытие: гражданское общество как партнёр устойчивого развития" in text


def test_event_pages_have_no_serious_accessibility_violations(page, demo):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    serious = {}
    for path in [
        "/events/",
        FORUM,
        FORUM + "agenda/",
        FORUM + "speakers/",
        FORUM + "sessions/opening-plenary/",
        "/speakers/stephen-omalley/",
    ]:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious[path] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    assert serious == dict.fromkeys(serious, [])
