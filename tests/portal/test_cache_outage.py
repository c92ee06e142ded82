"""A cache that goes down costs speed, never a page: a real redis-server, killed mid-run."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from portal import cache as page_cache
from tests.factories import OrganizationFactory, UserFactory
from tests.organizations.registration_helpers import registration_data

pytestmark = pytest.mark.django_db

REDIS = shutil.which("redis-server")
PAGES = ["/", "/organizations/", "/network/", "/events/", "/countries/kz/"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server():
    if REDIS is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: apt-get install -y redis-server")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start")
    yield process, port
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.kill()
    process.wait(timeout=10)


@pytest.fixture
def on_redis(settings, redis_server):
    process, port = redis_server
    settings.PAGE_CACHE_SECONDS = 300
    # As portal/settings.py configures a CACHE_URL on Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_on_timeout": False,
            },
        }
    }
    page_cache._outage.update(until=0.0, logged=False)
    yield process
    page_cache._outage.update(until=0.0, logged=False)


def _all_pages_answer(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path


def test_killing_redis_mid_run_costs_no_page(client, on_redis, caplog):
    OrganizationFactory(name="Steppe Voices", country="KZ")
    UserFactory(username="aigerim@example.org", email="aigerim@example.org")
    _all_pages_answer(client)
    assert any(key.startswith(b":1:page:") for key in cache._cache.get_client().keys("*"))
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"

    on_redis.kill()
    on_redis.wait(timeout=10)
    caplog.set_level(logging.WARNING, logger="portal.cache")

    _all_pages_answer(client)
    assert "Steppe Voices" in client.get("/organizations/").content.decode()
    login = client.post(
        "/accounts/login/", {"username": "aigerim@example.org", "password": "wrong"}
    )
    assert login.status_code == 200
    assert "Please enter a correct email address and password" in login.content.decode()
    register = client.post("/organizations/register/", registration_data(name=""))
    assert register.status_code == 200
    signed_in = client.post(
        "/accounts/login/", {"username": "aigerim@example.org", "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"] == "error"
    warnings = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not once a request


def test_a_hanging_redis_costs_at_most_a_moment(client, on_redis):
    OrganizationFactory(name="Steppe Voices")
    client.get("/organizations/")
    os.kill(on_redis.pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        started = time.monotonic()
        for _ in range(5):
            assert client.get("/organizations/").status_code == 200
        elapsed = time.monotonic() - started
    finally:
        os.kill(on_redis.pid, signal.SIGCONT)

    # The first request waits for the socket timeout; the next ones skip the cache.
    assert elapsed < 3


def test_the_cache_is_used_again_once_redis_is_back(client, on_redis, monkeypatch):
    monkeypatch.setattr(page_cache, "CACHE_RETRY_SECONDS", 0)
    page_cache._outage.update(until=time.monotonic() + 60, logged=True)
    client.get("/organizations/")
    assert not any(key.startswith(b":1:page:") for key in cache._cache.get_client().keys("*"))

    page_cache._outage.update(until=0.0)

    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
    client.get("/organizations/")
    assert any(key.startswith(b":1:page:") for key in cache._cache.get_client().keys("*"))
