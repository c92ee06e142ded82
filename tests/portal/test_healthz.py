import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


CLOSED_PORT = "127.0.0.1:1"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["healthz", "healthz-ready"])
def test_readiness_answers_ok_when_database_and_cache_answer(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "not configured"},
    }
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_liveness_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz-live"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_cache_down_is_degraded_not_unready(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://{CLOSED_PORT}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

    response = client.get(reverse("healthz-ready"))
    # The pages themselves still answer without the cache.
    page = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == "error"
    assert page.status_code == 200


@pytest.mark.django_db
def test_broker_down_is_degraded(client, settings):
    settings.CELERY_BROKER_URL = f"redis://{CLOSED_PORT}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz-ready"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "ok", "broker": "error"},
    }


@pytest.mark.django_db
def test_broker_that_answers_is_ok(client, settings):
    url = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {url}")
        pytest.skip(f"Redis does not answer at {url}")
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz-ready"))

    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_answers_503_when_database_is_unreachable(tmp_path):
    # A real unreachable database in a separate process: a directory that does not exist for
    # SQLite, a closed port for PostgreSQL.
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        unreachable = "postgres://postgres@127.0.0.1:1/portal"
    else:
        unreachable = f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "DATABASE_URL": unreachable, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["status"] == "unavailable"
    assert outcome["body"]["checks"]["database"] == "error"
