import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event
from organizations.models import FocusArea
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    SessionFactory,
    SessionSpeakerFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_lists_published_events(client, forum):
    EventFactory(title_en="Draft forum", status=Event.Status.DRAFT)
    EventFactory(title_en="Called off", status=Event.Status.CANCELLED)

    response = client.get(reverse("events:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert sorted(titles) == ["Cancelled: Called off", "Fifth Forum"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    assert f"http://testserver{forum.get_absolute_url()}" in links
    summary = next(
        entry.find(f"{ATOM}summary").text
        for entry in feed.iter(f"{ATOM}entry")
        if entry.find(f"{ATOM}title").text == "Fifth Forum"
    )
    assert "28–30 January 2025" in summary and "Almaty, Kazakhstan" in summary


def test_feed_is_not_shadowed_by_an_event_slug(client):
    forum = EventFactory.build(slug="feed", title_en="x")

    with pytest.raises(Exception) as error:
        forum.full_clean()

    assert "slug" in error.value.message_dict


def test_sitemap_lists_public_pages_only(client, forum, opening):
    draft = EventFactory(slug="draft-forum", status=Event.Status.DRAFT)
    hidden_session = SessionFactory(event=draft, slug="hidden-session")
    SessionSpeakerFactory(session=hidden_session, speaker__slug="draft-only-speaker")
    public = OrganizationFactory(slug="green-steppe")
    OrganizationFactory(slug="hidden-org", visibility="hidden")
    OrganizationFactory(slug="submitted-org", status="submitted")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = {
        element.text.removeprefix("http://testserver")
        for element in ET.fromstring(response.content).iter(f"{SITEMAP}loc")  # noqa: S314
    }
    assert {
        "/",
        "/events/",
        forum.get_absolute_url(),
        reverse("events:agenda", kwargs={"slug": forum.slug}),
        reverse("events:speakers", kwargs={"slug": forum.slug}),
        opening.get_absolute_url(),
        opening.speakers.get().get_absolute_url(),
        public.get_absolute_url(),
    } <= locations
    leaks = [url for url in locations if re.search(r"draft|hidden|submitted", url)]
    assert leaks == []


def test_sitemap_query_count_does_not_grow(client, forum, opening, django_assert_num_queries):
    OrganizationFactory()
    # A count and a page for each kind of object; the event pages reuse no count; the news.
    with django_assert_num_queries(10):
        client.get("/sitemap.xml")
    organizations = OrganizationFactory.create_batch(5)
    events = EventFactory.create_batch(3)
    for event in events:
        SessionSpeakerFactory.create_batch(2, session__event=event)
    with django_assert_num_queries(10):
        response = client.get("/sitemap.xml")

    assert response.status_code == 200
    content = response.content.decode()
    for shown in [*organizations, *events, *(s for e in events for s in e.sessions.all())]:
        assert f"<loc>http://testserver{shown.get_absolute_url()}</loc>" in content


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def _json_ld(response):
    content = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_event_page_has_schema_org_event_json_ld(client, forum, opening):
    data = _json_ld(client.get(forum.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Fifth Forum"
    # The first session's start and the last one's end, with the event's offset.
    assert (data["startDate"], data["endDate"]) == (
        "2025-01-28T10:00+05:00",
        "2025-01-28T11:30+05:00",
    )
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Almaty",
        "addressCountry": "KZ",
    }
    assert data["performer"][0]["name"] == "Aleška Simkić"
    assert data["url"] == f"http://testserver{forum.get_absolute_url()}"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "EU–Central Asia Civil Society Portal",
        "url": "http://testserver/",
    }
    assert data["image"] == ["http://testserver/static/img/share.png"]


def test_event_without_sessions_spans_its_days_in_its_own_offset(client):
    event = EventFactory(
        slug="no-sessions",
        start_date=datetime.date(2027, 6, 9),
        end_date=datetime.date(2027, 6, 10),
        time_zone="Asia/Bishkek",
    )
    data = _json_ld(client.get(event.get_absolute_url()))
    assert (data["startDate"], data["endDate"]) == (
        "2027-06-09T00:00+06:00",
        "2027-06-10T23:59+06:00",
    )


def test_cancelled_event_json_ld_says_cancelled(client, forum):
    forum.status = Event.Status.CANCELLED
    forum.save()

    data = _json_ld(client.get(forum.get_absolute_url()))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_json_ld_cannot_break_out_of_its_script_element(client, forum):
    forum.title_en = "</script><script>alert(1)</script> & more"
    forum.save()

    response = client.get(forum.get_absolute_url())

    content = response.content.decode()
    assert "</script><script>alert(1)" not in content
    assert _json_ld(response)["name"] == "</script><script>alert(1)</script> & more"


def test_session_page_has_json_ld_with_local_times(client, forum, opening):
    data = _json_ld(client.get(opening.get_absolute_url()))

    assert data["startDate"] == "2025-01-28T10:00:00+05:00"
    assert data["superEvent"]["name"] == "Fifth Forum"
    assert data["performer"][0]["name"] == "Aleška Simkić"


def test_event_pages_need_no_inline_script_for_the_strict_csp(client, forum, opening):
    response = client.get(forum.get_absolute_url())

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert all('src="' in attrs or 'type="application/ld+json"' in attrs for attrs in scripts)


def test_feed_query_count_does_not_grow(client, forum, django_assert_num_queries):
    themes = list(FocusArea.objects.all()[:2])
    forum.themes.set(themes)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("events:feed"))
    for event in EventFactory.create_batch(5):
        event.themes.set(themes)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("events:feed"))

    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == 6
    assert all(
        {category.get("term") for category in entry.iter(f"{ATOM}category")}
        == {str(theme.name) for theme in themes}
        for entry in entries
    )
