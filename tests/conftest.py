import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    # Django's test setup swaps EMAIL_BACKEND for locmem; the portal's mail goes through the
    # outbox as in production, and the outbox delivers to locmem (tests/settings.py).
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache: one test's requests must not throttle the next test.
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request in Russian leaves Russian active in this thread; each test starts in English.
    with translation.override("en"):
        yield


@pytest.fixture
def focus_areas(db):
    return [factories.FocusAreaFactory(slug=slug) for slug in ("climate", "youth", "digital")]


@pytest.fixture
def reference_data(db):
    """The focus areas and SDGs that a data migration creates: transactional tests (the browser
    tests) flush them, so a test that needs them after one asks for this fixture."""
    from django.apps import apps

    importlib.import_module("organizations.migrations.0002_reference_data").create(apps, None)


@pytest.fixture(scope="session")
def playwright():
    """Playwright, once per test process: its sync API cannot be started a second time while
    it runs, so a test that needs a Chromium of its own (other launch flags) launches it here."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        tab.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(Path(__file__).resolve().parent.parent / "test-artifacts" / "media", True)


@pytest.fixture
def steady_generation(db, monkeypatch):
    """The page cache's generation read once, before the test: the queries a test counts then
    never include its re-reading (every two seconds per process, so on a busy machine within a
    render)."""
    from portal import cache as page_cache

    monkeypatch.setattr(page_cache, "GENERATION_SECONDS", float("inf"))
    page_cache._generation.update(value=None)
    page_cache.current_generation()
    yield
    page_cache._generation.update(value=None)
