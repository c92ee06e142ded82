"""The page cache forgets only what a change touched, renders a page once however many ask for
it at the same moment, and serves every page without the cache when the cache is down."""

import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import path, reverse

from events.services import delegate_register
from organizations.models import Organization
from portal import cache as page_cache
from portal.urls import urlpatterns as portal_urlpatterns
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    SessionSpeakerFactory,
)

pytestmark = pytest.mark.django_db

RENDERS = {"count": 0}
RENDERS_LOCK = threading.Lock()


def slow_page(request):
    with RENDERS_LOCK:
        RENDERS["count"] += 1
        number = RENDERS["count"]
    time.sleep(0.4)
    return HttpResponse(f"render {number}", content_type="text/plain")


urlpatterns = [path("events/slow-page/", slow_page), *portal_urlpatterns]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    yield
    page_cache._outage.update(until=0.0, logged=False)
    page_cache._generation.update(value=None)


@pytest.fixture
def content():
    organization = OrganizationFactory(name="Zhasyl Qala")
    forum, other = EventFactory(title_en="Sixth forum"), EventFactory(title_en="Youth summit")
    session = SessionFactory(event=forum, title_en="Opening plenary")
    SessionFactory(event=other, title_en="Youth panel")
    appearance = SessionSpeakerFactory(session=session)
    return {
        "organization": organization,
        "forum": forum,
        "other": other,
        "session": session,
        "speaker": appearance.speaker,
    }


def public_pages(content):
    forum, session = content["forum"], content["session"]
    return [
        reverse("home"),
        reverse("organizations:list"),
        reverse("organizations:list") + "?q=zhasyl",
        content["organization"].get_absolute_url(),
        reverse("organizations:country", args=["kz"]),
        reverse("organizations:network"),
        # Filtered: the whole directory's open data is a prepared file, outside the page cache.
        reverse("organizations:open-data-csv") + "?country=KZ",
        reverse("organizations:open-data-json") + "?country=KZ",
        reverse("events:list"),
        reverse("events:feed"),
        forum.get_absolute_url(),
        reverse("events:agenda", args=[forum.slug]),
        reverse("events:speakers", args=[forum.slug]),
        reverse("events:calendar", args=[forum.slug]),
        reverse("logistics:programme", args=[forum.slug]),
        session.get_absolute_url(),
        reverse("events:session-calendar", args=[forum.slug, session.slug]),
        content["speaker"].get_absolute_url(),
        reverse("sitemap"),
        reverse("robots"),
    ]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_served_from_cache(client, django_assert_num_queries, paths):
    for page in paths:
        # Each process reads the generation at most every two seconds: just read, not again.
        page_cache.current_generation()
        with django_assert_num_queries(0):
            assert client.get(page).status_code == 200, page


def test_a_change_to_one_event_leaves_the_other_event_and_the_directory_cached(
    client, content, django_assert_num_queries
):
    forum, other = content["forum"], content["other"]
    kept = [
        other.get_absolute_url(),
        reverse("events:agenda", args=[other.slug]),
        reverse("events:calendar", args=[other.slug]),
        reverse("logistics:programme", args=[other.slug]),
        reverse("organizations:list"),
        content["organization"].get_absolute_url(),
        reverse("organizations:network"),
    ]
    forum_agenda = reverse("events:agenda", args=[forum.slug])
    for page in [*kept, forum_agenda]:
        client.get(page)

    session = content["session"]
    session.title_en = "Opening plenary, moved to the morning"
    session.save()

    assert_served_from_cache(client, django_assert_num_queries, kept)
    assert "moved to the morning" in client.get(forum_agenda).content.decode()


def test_a_delegate_registration_leaves_every_public_page_cached(
    client, content, django_assert_num_queries
):
    pages = public_pages(content)
    for page in pages:
        client.get(page)
    membership = MembershipFactory(organization=content["organization"])
    forum = content["forum"]
    forum.registration_opens_at = None
    forum.capacity = 100

    delegate = delegate_register(
        event=forum,
        organization=content["organization"],
        by=membership.user,
        full_name="Aigerim Sadykova",
        email="aigerim@example.org",
        position="Coordinator",
        check_window=False,
    )

    assert delegate.pk
    assert_served_from_cache(client, django_assert_num_queries, pages)


def test_editing_a_profile_that_is_not_public_changes_no_public_page(
    client, content, django_assert_num_queries
):
    waiting = OrganizationFactory(status=Organization.Status.SUBMITTED, approved_at=None)
    pages = public_pages(content)
    for page in pages:
        client.get(page)

    waiting.description = "A new description, not reviewed yet."
    waiting.save()
    approved = content["organization"]
    approved.pending_changes = {"description": "Waits for the reviewer."}
    approved.save()

    assert_served_from_cache(client, django_assert_num_queries, pages)


def test_a_change_to_a_public_profile_shows_at_once_on_it_and_in_the_directory(client, content):
    organization = content["organization"]
    client.get(organization.get_absolute_url())
    client.get(reverse("organizations:list"))

    organization.name = "Zhasyl Qala Foundation"
    organization.save()

    assert "Zhasyl Qala Foundation" in client.get(organization.get_absolute_url()).content.decode()
    assert "Zhasyl Qala Foundation" in client.get(reverse("organizations:list")).content.decode()


def test_a_profiles_new_description_shows_where_texts_are_and_leaves_the_lists_cached(
    client, content, django_assert_num_queries
):
    organization = content["organization"]
    kept = [
        reverse("home"),
        reverse("organizations:list"),
        reverse("organizations:list") + "?country=KZ",
        reverse("organizations:country", args=["kz"]),
        reverse("organizations:network"),
        # Another country's texts.
        reverse("organizations:open-data-csv") + "?country=UZ",
        reverse("organizations:list") + "?q=steppe&country=UZ",
    ]
    search = reverse("organizations:list") + "?q=steppe+restoration"
    open_data = reverse("organizations:open-data-csv") + "?country=KZ"
    profile = organization.get_absolute_url()
    for page in [*kept, search, open_data, profile]:
        client.get(page)
    assert "Zhasyl Qala" not in client.get(search).content.decode()

    organization.description = "Steppe restoration with the villages of Almaty region."
    organization.website = "https://zhasyl-qala.example.org"
    organization.save()

    assert_served_from_cache(client, django_assert_num_queries, kept)
    assert "Steppe restoration" in client.get(profile).content.decode()
    assert "Zhasyl Qala" in client.get(search).content.decode()
    assert "zhasyl-qala.example.org" in body(client.get(open_data)).decode()

    # Any other field is on the lists too.
    organization.city = "Shymkent"
    organization.save()
    assert "Shymkent" in client.get(reverse("organizations:list")).content.decode()


def test_a_speaker_renamed_shows_on_the_agenda_of_the_events_they_speak_at(client, content):
    agenda = reverse("events:agenda", args=[content["forum"].slug])
    client.get(agenda)

    speaker = content["speaker"]
    speaker.name = "Dinara Renamed"
    speaker.save()

    assert "Dinara Renamed" in client.get(agenda).content.decode()


def test_a_lost_dependency_token_makes_its_pages_render_again(client, content):
    agenda = reverse("events:agenda", args=[content["forum"].slug])
    client.get(agenda)
    # The session changes behind the page cache's back, and Redis forgot the event's token.
    type(content["session"]).objects.filter(pk=content["session"].pk).update(title_en="Renamed")
    page_cache.cache.delete(page_cache._dependency_key(f"event:{content['forum'].slug}"))

    assert "Renamed" in client.get(agenda).content.decode()


@pytest.mark.urls(__name__)
def test_many_requests_at_once_render_a_missing_page_once(settings, client):
    settings.ALLOWED_HOSTS = ["testserver"]
    RENDERS["count"] = 0
    bodies = []

    def visit():
        from django.test import Client

        bodies.append(Client().get("/events/slow-page/").content)
        connection.close()

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert RENDERS["count"] == 1
    assert bodies == [b"render 1"] * 8


def visit_at_once(path, count=8):
    bodies = []

    def visit():
        from django.test import Client

        bodies.append(Client().get(path).content)
        connection.close()

    threads = [threading.Thread(target=visit) for _ in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    return bodies


@pytest.mark.urls(__name__)
def test_a_changed_page_renders_once_and_nobody_gets_the_copy_from_before_the_change(client):
    RENDERS["count"] = 0
    assert client.get("/events/slow-page/").content == b"render 1"
    page_cache.bump(["any"])

    bodies = visit_at_once("/events/slow-page/")

    # One render; the requests that came while it ran waited for it.
    assert RENDERS["count"] == 2
    assert bodies == [b"render 2"] * 8


@pytest.mark.urls(__name__)
def test_a_change_to_organizations_texts_serves_the_previous_copy_while_one_renders(
    client, monkeypatch
):
    """The search and filtered open data follow the texts one render later: nobody waits."""
    monkeypatch.setattr(
        page_cache.dependencies, "of_path", lambda path, query=None: ("all", "directory-text")
    )
    RENDERS["count"] = 0
    assert client.get("/events/slow-page/").content == b"render 1"
    page_cache.bump(["directory-text"])

    bodies = visit_at_once("/events/slow-page/")

    assert RENDERS["count"] == 2
    assert sorted(bodies) == [b"render 1"] * 7 + [b"render 2"]
    assert client.get("/events/slow-page/").content == b"render 2"
    # Any other dependency is waited for, as ever.
    page_cache.bump(["all"])
    assert visit_at_once("/events/slow-page/") == [b"render 3"] * 8


@pytest.mark.urls(__name__)
def test_a_render_slower_than_the_wait_serves_the_previous_copy_meanwhile(client, monkeypatch):
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 0.1)
    RENDERS["count"] = 0
    assert client.get("/events/slow-page/").content == b"render 1"
    page_cache.bump(["any"])

    bodies = visit_at_once("/events/slow-page/")

    # Still one render (0.4 s): the others got the previous copy after waiting 0.1 s.
    assert RENDERS["count"] == 2
    assert b"render 1" in bodies
    assert set(bodies) <= {b"render 1", b"render 2"}
    assert client.get("/events/slow-page/").content == b"render 2"


@pytest.mark.urls(__name__)
def test_a_page_only_past_its_time_is_served_while_its_successor_renders(client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    RENDERS["count"] = 0
    assert client.get("/events/slow-page/").content == b"render 1"
    time.sleep(1.1)  # nothing changed, the copy is only old

    bodies = visit_at_once("/events/slow-page/")

    assert RENDERS["count"] == 2
    assert b"render 1" in bodies
    assert set(bodies) <= {b"render 1", b"render 2"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield server, port
    if server.poll() is None:
        server.kill()
        server.wait()


def test_every_public_page_renders_with_the_cache_down(settings, client, content, redis_server):
    server, port = redis_server
    settings.CACHES = {
        "default": {
            # What production runs on Redis (portal/settings.py).
            "BACKEND": "portal.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    pages = public_pages(content)
    cached = {page: body(client.get(page)) for page in pages}
    assert body(client.get(pages[0])) == cached[pages[0]]  # Redis answers: a hit

    server.kill()
    server.wait()
    session = content["session"]
    session.title_en = "Changed while the cache is down"
    session.save()

    started = time.monotonic()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    # Rendered at once, not after waiting for a render that holds no lock.
    assert time.monotonic() - started < page_cache.WAIT_SECONDS * 2
    agenda = reverse("events:agenda", args=[content["forum"].slug])
    assert "Changed while the cache is down" in client.get(agenda).content.decode()
    assert page_cache.current_generation() >= 1  # the change went to the database instead
