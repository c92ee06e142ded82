"""Every public query parameter, fed generated bad input (tests/fuzz.py): never a server error."""

import pytest
from hypothesis import given

from tests import fuzz
from tests.factories import EventFactory, OrganizationFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

DIRECTORY_PARAMETERS = ["q", "country", "focus_area", "sdg", "legal_form", "founded", "page"]


@pytest.fixture
def content(reference_data):
    OrganizationFactory(name="Zhasyl Qala", country="KZ")
    event = EventFactory(slug="fifth-forum")
    SessionFactory(event=event, slug="opening")
    SpeakerFactory(slug="aleska")
    return event


@given(pairs=fuzz.form_data(DIRECTORY_PARAMETERS, extra=("format", "ordering")))
def test_directory_and_open_data(client, content, pairs):
    for url in (
        "/organizations/",
        "/open-data/organizations.csv",
        "/open-data/organizations.json",
    ):
        fuzz.assert_no_server_error(fuzz.get(client, url, pairs), url)


@given(pairs=fuzz.form_data(["day", "track", "kind"], extra=("room", "page")))
def test_agenda_filters(client, content, pairs):
    fuzz.assert_no_server_error(fuzz.get(client, "/events/fifth-forum/agenda/", pairs), "agenda")


@given(pairs=fuzz.form_data(["page", "next", "q", "lang", "utm_source"]))
def test_every_other_public_page_with_any_query(client, content, pairs):
    for url in (
        "/",
        "/events/",
        "/events/feed/",
        "/events/fifth-forum/",
        "/events/fifth-forum/speakers/",
        "/events/fifth-forum/calendar.ics",
        "/events/fifth-forum/sessions/opening/",
        "/speakers/aleska/",
        "/network/",
        "/countries/kz/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/accounts/login/",
        "/organizations/register/",
    ):
        fuzz.assert_no_server_error(fuzz.get(client, url, pairs), url)
