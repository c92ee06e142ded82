"""Test configuration: the portal's settings plus test-only speedups.

The database comes from DATABASE_URL as in production, so the same suite runs on SQLite and
on PostgreSQL.
"""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS_ONLY", "0")

from portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail goes through the outbox as in production (see the conftest), then to locmem.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ARTIFACTS = BASE_DIR / "test-artifacts"  # noqa: F405
ARTIFACTS.mkdir(exist_ok=True)
MEDIA_ROOT = ARTIFACTS / "media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: threads then share it and wait for its write lock (IMMEDIATE
    # transactions, see portal/settings.py) as web workers do, so the overbooking test runs
    # here too. pytest-xdist gives each worker its own file (test_portal_gw0, ...).
    DATABASES["default"]["TEST"] = {"NAME": str(ARTIFACTS / "test_portal")}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The page cache adds a query per request: off, but in the tests that are about it.
PAGE_CACHE_SECONDS = 0
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# On SQLite, a test database in a file rather than in memory: the outbox's worker tests start
# a real Celery worker process that must see the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artifacts" / "test.sqlite3")}  # noqa: F405
# Prepared open data checks the data on every request (tests/exports/ turn this on).
OPEN_DATA_CHECK_SECONDS = 0
# Staff sign in with a second step in production; the tests about it turn it on.
STAFF_TWO_FACTOR_REQUIRED = False
