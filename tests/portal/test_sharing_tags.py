"""Structured data and sharing tags as an independent extractor (extruct) reads them: the event's
schema.org Event (organizer, postal address, start and end with their offset, image) and the
Open Graph and Twitter card tags of every public page, with the default picture."""

import re

import extruct
import pytest
from django.core.management import call_command
from lxml import html as lxml_html

from events.models import Event, Session, Speaker
from organizations.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

FORUM = "/events/fifth-eu-central-asia-civil-society-forum/"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$")


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _extract(client, path, syntaxes):
    response = client.get(path)
    assert response.status_code == 200, path
    return response, extruct.extract(
        response.content.decode(),
        base_url=f"http://testserver{path}",
        syntaxes=syntaxes,
        uniform=True,
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_extruct_finds_the_event_with_organizer_address_and_offsets(client, demo, language):
    client.cookies["django_language"] = language
    _response, data = _extract(client, FORUM, ["json-ld"])
    (event,) = [item for item in data["json-ld"] if item.get("@type") == "Event"]

    assert event["organizer"]["@type"] == "Organization"
    assert event["organizer"]["name"]
    address = event["location"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressCountry"] == "KZ"
    assert address["streetAddress"] == (
        "50 Abai Avenue, Almaty 050000" if language == "en" else "проспект Абая, 50, Алматы 050000"
    )
    assert address["addressLocality"] == ("Almaty" if language == "en" else "Алматы")
    assert event["location"]["geo"]["latitude"] == pytest.approx(43.24072)
    assert OFFSET.match(event["startDate"]) and event["startDate"].endswith("+05:00")
    assert OFFSET.match(event["endDate"]) and event["endDate"].startswith("2025-01-30T")
    assert event["image"] == ["http://testserver/static/img/share.png"]


def test_extruct_finds_the_session_with_organizer_and_offsets(client, demo):
    session = Session.objects.filter(event__slug=FORUM.split("/")[2], kind="plenary").first()
    _response, data = _extract(client, session.get_absolute_url(), ["json-ld"])
    (item,) = data["json-ld"]
    assert item["@type"] == "Event"
    assert item["organizer"]["@type"] == "Organization"
    assert OFFSET.match(item["startDate"]) and OFFSET.match(item["endDate"])
    # The demo's opening plenary was also streamed for everyone: a place and a virtual location.
    locations = item["location"] if isinstance(item["location"], list) else [item["location"]]
    place = next(location for location in locations if location["@type"] == "Place")
    assert place["address"]["@type"] == "PostalAddress"


def _public_pages():
    forum = Event.objects.get(slug=FORUM.split("/")[2])
    return [
        "/",
        "/organizations/",
        Organization.objects.public().filter(logo="").first().get_absolute_url(),
        "/network/",
        "/countries/uz/",
        "/events/",
        FORUM,
        FORUM + "agenda/",
        FORUM + "speakers/",
        forum.sessions.first().get_absolute_url(),
        Speaker.objects.first().get_absolute_url(),
        "/accounts/login/",
        "/organizations/register/",
    ]


def test_every_public_page_has_open_graph_and_twitter_tags_with_a_default_image(client, demo):
    missing = {}
    for path in _public_pages():
        response, data = _extract(client, path, ["opengraph"])
        (graph,) = data["opengraph"]
        tree = lxml_html.fromstring(response.content)
        twitter = {
            meta.get("name"): meta.get("content")
            for meta in tree.xpath("//head/meta[starts-with(@name, 'twitter:')]")
        }
        problems = [
            key
            for key in ("og:title", "og:description", "og:url", "og:image")
            if not graph.get(key)
        ]
        if graph.get("og:image") != "http://testserver/static/img/share.png":
            problems.append("default og:image")
        if not graph.get("og:url", "").startswith("http://testserver/"):
            problems.append("og:url")
        if twitter.get("twitter:card") != "summary_large_image":
            problems.append("twitter:card")
        for key in ("twitter:title", "twitter:description", "twitter:image"):
            if not twitter.get(key):
                problems.append(key)
        if problems:
            missing[path] = problems
    assert missing == {}


def test_sharing_title_is_the_page_title(client, demo):
    response, data = _extract(client, FORUM, ["opengraph"])
    (graph,) = data["opengraph"]
    assert graph["og:title"] == "Fifth EU–Central Asia Civil Society Forum"
    assert graph["@type"] == "event"
    _response, data = _extract(client, "/events/", ["opengraph"])
    assert data["opengraph"][0]["og:title"] == "Events"
