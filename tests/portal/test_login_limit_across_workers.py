"""The login lockout holds across worker processes: two gunicorn servers, each with its own
local-memory cache, share only the database, and guessing spread over both is stopped.

The servers read the test database: PostgreSQL's, or SQLite's test database file.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and "TEST" not in settings.DATABASES["default"],
        reason="other processes must reach the test database (an SQLite file or PostgreSQL)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 4


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{urllib.parse.quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def two_servers():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url(),
        "LOGIN_FAILURE_LIMIT": str(LIMIT),
        "CONN_MAX_AGE": "0",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    servers = []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "1", "--timeout", "30"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        pytest.fail(f"gunicorn at {url} did not start")
                    time.sleep(0.2)
        yield [url for _process, url in servers]
    finally:
        for process, _url in servers:
            process.terminate()
        for process, _url in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _sign_in(base, username, password):
    """One sign-in through the page, as a browser does (CSRF cookie and token); the status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_guessing_spread_over_two_servers_is_locked_on_both(two_servers):
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")  # nothing shared there
    UserFactory(username="aigerim@example.org", email="aigerim@example.org")
    first, second = two_servers
    # Signing in through either server works while nothing is locked.
    assert _sign_in(first, "aigerim@example.org", "correct-horse-battery") == 302
    assert _sign_in(second, "aigerim@example.org", "correct-horse-battery") == 302

    statuses = [
        _sign_in(two_servers[number % 2], "aigerim@example.org", "wrong")
        for number in range(LIMIT - 1)
    ]
    assert statuses == [200] * (LIMIT - 1)
    assert _sign_in(second, "aigerim@example.org", "wrong") == 429

    assert _sign_in(first, "aigerim@example.org", "correct-horse-battery") == 429
    assert _sign_in(second, "aigerim@example.org", "correct-horse-battery") == 429
