"""The Redis cache backend with a real Redis that stops: misses instead of errors."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.cache_backends import ResilientRedisCache

REDIS = shutil.which("redis-server")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port):
    process = subprocess.Popen(  # noqa: S603
        [REDIS, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return process


@pytest.fixture
def redis_server():
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    port = _free_port()
    process = _start_redis(port)
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.kill()
        process.wait(5)


def _cache(backend, url):
    return backend(url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})


def test_redis_that_stops_costs_misses_not_errors(redis_server):
    process, url = redis_server
    cache = _cache(ResilientRedisCache, url)
    cache.set("page", b"body", 60)
    cache.add("count", 0, 60)
    assert cache.get("page") == b"body"
    assert cache.incr("count") == 1
    cache.ping()

    process.kill()  # Redis is gone
    process.wait(5)

    assert cache.get("page", "missing") == "missing"
    assert cache.get_many(["page"]) == {}
    assert cache.add("other", 1, 60) is False
    cache.set("page", b"new", 60)
    cache.set_many({"a": 1}, 60)
    cache.delete("page")
    with pytest.raises(ValueError):
        cache.incr("count")  # what callers already handle for a missing key
    # The health check asks Redis itself and sees it down.
    with pytest.raises(Exception):  # noqa: B017 (redis-py's connection error)
        cache.ping()


def test_django_own_backend_would_fail_the_request(redis_server):
    """Why the portal's backend exists: Django's raises on every call."""
    process, url = redis_server
    cache = _cache(RedisCache, url)
    process.kill()
    process.wait(5)

    with pytest.raises(Exception):  # noqa: B017
        cache.get("page")


@pytest.mark.django_db
def test_pages_and_sessions_work_while_the_cache_is_down(client, settings, redis_server):
    from tests.factories import MembershipFactory

    process, url = redis_server
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    member = MembershipFactory().user
    client.force_login(member)
    process.kill()
    process.wait(5)

    dashboard = client.get("/my/")
    home = client.get("/")

    assert dashboard.status_code == 200  # the session came from the database
    assert dashboard.context["user"] == member
    assert home.status_code == 200


def test_one_client_serves_every_call_and_finds_a_restarted_redis(redis_server):
    process, url = redis_server
    cache = _cache(ResilientRedisCache, url)
    cache.set("page", b"body", 60)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # made once, not per call

    process.kill()
    process.wait(5)
    assert cache.get("page", "missing") == "missing"
    again = _start_redis(int(url.rsplit(":", 1)[1].split("/")[0]))
    try:
        cache._cache._down_until = 0.0  # past the quiet time after the failure
        cache.set("page", b"after the restart", 60)
        assert cache.get("page") == b"after the restart"
        assert cache._cache.get_client() is client
    finally:
        again.kill()
        again.wait(5)
