import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k8Yq2vP9rT4wZ7mN1bX6cJ3hF5sD0gL8aQ2eR7uI9oK4tW1yV6nM3",
    "ALLOWED_HOSTS": "portal.example",
    # Production has a cache shared by its processes (a local one is warned about, below).
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def run_manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    for test_only in ("HTTPS_ONLY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        clean.pop(test_only, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_start_without_secret_key_fails_with_clear_message():
    env = {**PRODUCTION, "SECRET_KEY": ""}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_without_allowed_hosts_fails_with_clear_message():
    env = {**PRODUCTION, "ALLOWED_HOSTS": ""}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_local_development_writes_each_log_line_once():
    code = "import logging; logging.getLogger('django.request').warning('logged-once-marker')"

    result = run_manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("logged-once-marker") == 1


def test_defaults_the_readme_gives():
    # PORTAL_URL is empty by default (emails link to the request's address); outside a request
    # the default address is used.
    code = (
        "from django.conf import settings; "
        "print(settings.PORTAL_URL or '-', settings.PORTAL_DEFAULT_URL, settings.MEDIA_ROOT)"
    )

    local = run_manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"})
    production = run_manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION, "HTTPS_ONLY": "1"}
    )

    assert local.stdout.split() == ["-", "http://127.0.0.1:8000", str(ROOT / "media")]
    assert production.stdout.split() == ["-", "https://portal.example", str(ROOT / "media")]


def test_tasks_run_in_process_without_a_broker_and_on_the_broker_with_one():
    code = (
        "from django.conf import settings; from portal.celery import app; "
        "print(settings.EMAIL_BACKEND, settings.OUTBOX_DELIVERY_BACKEND, "
        "app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)"
    )
    env = {"DEBUG": "1", "EMAIL_URL": "smtp://127.0.0.1:25"}

    alone = run_manage("shell", "--no-imports", "-c", code, env=env)
    with_redis = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={**env, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "CELERY_QUEUE": "cso"},
    )

    smtp = "django.core.mail.backends.smtp.EmailBackend"
    outbox = "outbox.backends.OutboxBackend"
    assert alone.stdout.split() == [outbox, smtp, "True", "memory://", "portal"]
    assert with_redis.stdout.split() == [
        outbox, smtp, "False", "redis://127.0.0.1:6379/0", "cso",
    ]  # fmt: skip


def test_check_deploy_warns_of_a_cache_local_to_each_process():
    env = {**PRODUCTION, "CACHE_URL": "locmemcache://portal"}

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "portal.W001" in result.stderr + result.stdout


def test_settings_for_several_machines():
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'],"
        " s.STORAGES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "portal.cache_backends.ResilientRedisCache",
        "django.core.files.storage.FileSystemStorage",
        "True",
    ]


def test_media_on_object_storage_when_a_bucket_is_configured():
    env = {
        **PRODUCTION,
        "S3_BUCKET": "portal-media",
        "S3_ENDPOINT_URL": "https://objects.example",
        "S3_ACCESS_KEY_ID": "key-id",
        "S3_SECRET_ACCESS_KEY": "secret",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
    }
    script = (
        "from django.conf import settings as s;"
        "from django.core.files.storage import default_storage, storages;"
        "exports = storages['exports'];"
        "print(type(storages['default']).__name__, default_storage.bucket_name,"
        " default_storage.location, default_storage.url('logos/a.png'),"
        " exports.location, exports.default_acl, exports.querystring_auth,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "portal-media",
        "media",
        "https://objects.example/portal-media/media/logos/a.png",
        "private",
        "private",
        "True",
        "https://objects.example",
        "False",
    ]


def test_production_requires_two_factor_for_staff_and_counts_failed_logins():
    script = (
        "from django.conf import settings as s; "
        "print(s.STAFF_TWO_FACTOR_REQUIRED, s.AXES_FAILURE_LIMIT, s.LOGIN_LOCKOUT_MINUTES, "
        "s.TRUSTED_PROXY_HOPS, s.REQUEST_MAX_BYTES)"
    )

    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "10", "15", "0", str(6 * 1024 * 1024)]
