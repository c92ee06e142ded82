"""The page cache never serves a stale page, another person's page or the wrong language."""

import gzip
import re

import pytest
from django.urls import reverse

from events.models import Event
from events.services import event_publish
from organizations.models import Organization
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_second_visit_is_served_from_the_cache_without_a_query(client, django_assert_num_queries):
    OrganizationFactory(name="Zhasyl Qala")
    first = client.get(reverse("organizations:list"))

    with django_assert_num_queries(0):
        second = client.get(reverse("organizations:list"))

    assert second.status_code == 200
    assert second.content == first.content
    assert "Zhasyl Qala" in second.content.decode()
    assert "Cookie" in second.headers["Vary"]


def test_publishing_an_event_shows_on_the_next_request(client):
    event = EventFactory(title_en="Sixth forum", status=Event.Status.DRAFT)
    assert "Sixth forum" not in client.get(reverse("events:list")).content.decode()

    event_publish(event=event)

    assert "Sixth forum" in client.get(reverse("events:list")).content.decode()


def test_hiding_an_organization_removes_it_from_cached_pages(client):
    organization = OrganizationFactory(name="Steppe Voices")
    assert "Steppe Voices" in client.get(reverse("organizations:list")).content.decode()
    assert client.get(organization.get_absolute_url()).status_code == 200

    organization.visibility = Organization.Visibility.HIDDEN
    organization.save()

    assert "Steppe Voices" not in client.get(reverse("organizations:list")).content.decode()
    assert client.get(organization.get_absolute_url()).status_code == 404


def test_switching_language_never_serves_the_cached_english_page(client):
    english = client.get(reverse("home")).content.decode()
    assert "The network in figures" in english

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    russian = client.get(reverse("home")).content.decode()

    assert "Сеть в цифрах" in russian
    assert "The network in figures" not in russian


def test_signed_in_person_never_gets_the_anonymous_page_nor_leaves_theirs(client):
    membership = MembershipFactory()
    client.get(reverse("home"))  # cached for anonymous visitors

    client.force_login(membership.user)
    signed_in = client.get(reverse("home")).content.decode()
    assert "Log out" in signed_in

    client.logout()
    anonymous = client.get(reverse("home")).content.decode()
    assert "Log out" not in anonymous
    assert "Log in" in anonymous


def test_pages_with_a_form_are_rendered_afresh_for_each_visit(client):
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]
        for response in (
            client.get(reverse("organizations:register")),
            client.get(reverse("organizations:register")),
        )
    ]

    # Each rendering masks the token anew: the same token twice would mean a cached page.
    assert tokens[0] != tokens[1]


def test_conditional_request_to_cached_open_data_answers_304(client):
    OrganizationFactory()
    first = client.get(reverse("organizations:open-data-csv"))
    etag = first.headers["ETag"]
    client.get(reverse("organizations:open-data-csv"))  # from the cache

    again = client.get(reverse("organizations:open-data-csv"), headers={"if-none-match": etag})

    assert again.status_code == 304


def test_cached_pages_are_served_compressed_to_clients_that_accept_gzip(client):
    OrganizationFactory.create_batch(3, country="KZ")
    # A filtered export: built for the request, so cached by the page cache (the whole
    # directory is a prepared file with its own gzip copy, tests/exports/).
    url = reverse("organizations:open-data-csv") + "?country=KZ"
    plain = client.get(url)
    body = plain.getvalue()

    compressed = client.get(url, headers={"accept-encoding": "gzip, br"})
    uncompressed = client.get(url)

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert gzip.decompress(compressed.content) == body
    assert uncompressed.content == body
    assert "Content-Encoding" not in uncompressed.headers
