"""Caching of anonymous public pages, forgetting only what a change touched.

A page is cached only when nothing in it can belong to one person: the visitor is anonymous, has
no session or pending messages, the response sets no cookie and renders no CSRF token. The key
holds the language, today's date, the host and the full path; the entry holds the tokens of the
page's dependencies (portal/dependencies.py) as they were before it rendered. A change replaces
the tokens it touches, so an organizer's change shows on the very next request while every
other page stays cached; one language is never served for another, and a signed-in person never
gets a cached page.

A hit costs one round trip to the cache (two for a client that does not take gzip) and no
database query. When an entry is missing or
stale, one request renders it (it holds a short lock in the cache) while the others wait for
that render, up to WAIT_SECONDS: never a crowd of renders of the same page at once. A copy that
is only past its time (nothing it shows changed) is served meanwhile instead; a copy that a
change made stale is served only if the render takes longer than WAIT_SECONDS, so that a person
does not see a page from before their own change.

A cache that fails (Redis down or hanging) costs speed, never a page: the failure is logged
once, pages are served uncached, and the cache is left alone for CACHE_RETRY_SECONDS before the
next try. A change that could not reach the cache bumps the generation in the database instead,
which every worker reads at most every GENERATION_SECONDS and which starts a new set of keys: a
page cached before an outage is never served after a change made during it.
"""

import gzip
import hashlib
import logging
import re
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

from . import dependencies
from .models import PageCacheGeneration

MAX_BYTES = 5 * 1024 * 1024
# Public pages that show nothing personal to an anonymous visitor.
CACHEABLE = re.compile(
    r"^/(?:$"
    r"|organizations/$|organizations/(?!register/|join/)[\w-]+/$"
    r"|countries/[a-z]{2}/$|network/$|open-data/"
    r"|events/|speakers/[\w-]+/$|news/|sitemap\.xml$|robots\.txt$)"
)
# The whole directory's open data is a prepared file with its own gzip copy
# (exports/opendata_files.py): the cache would only hold a second copy of it.
PREPARED_FILES = re.compile(r"^/open-data/organizations\.(?:csv|json)$")
UNCACHED_HEADERS = {"set-cookie", "content-length"}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/atom+xml")


CACHE_RETRY_SECONDS = 10
GENERATION_SECONDS = 2
# How long one render may hold a page's lock; others meanwhile wait or get the previous copy.
LOCK_SECONDS = 10
# How long a request waits for another's render of a page that has no copy or a changed one.
WAIT_SECONDS = 3
WAIT_STEP = 0.02
# A copy is kept a little past PAGE_CACHE_SECONDS, to be served while its successor renders.
STALE_KEEP_SECONDS = 60
# How long a replaced copy's plain body stays for the readers that took its entry just before.
STALE_COPY_SECONDS = 10
FAILED = object()

logger = logging.getLogger(__name__)
_outage = {"until": 0.0, "logged": False}
_outage_lock = threading.Lock()
_generation = {"value": None, "read_at": 0.0}


def _cache(method, *args, default=None):
    """cache.<method>(*args), or default while the cache fails."""
    if time.monotonic() < _outage["until"]:
        return default
    try:
        result = getattr(cache, method)(*args)
    except Exception:  # any backend's failure: redis.ConnectionError, TimeoutError, OSError...
        with _outage_lock:
            _outage["until"] = time.monotonic() + CACHE_RETRY_SECONDS
            if not _outage["logged"]:
                _outage["logged"] = True
                logger.warning("Page cache unavailable: pages are served uncached", exc_info=True)
        return default
    if _outage["logged"]:
        with _outage_lock:
            if _outage["logged"]:
                _outage["logged"] = False
                logger.warning("Page cache available again")
    return result


def cache_status():
    """'ok' when the cache answers, 'degraded' when pages are being served without it."""
    if time.monotonic() < _outage["until"]:
        return "degraded"
    probe = "healthz:probe"
    _cache("set", probe, "1", 30)
    return "ok" if _cache("get", probe) == "1" else "degraded"


# --- The generation: bumped only when a change could not reach the cache ------------------------


def current_generation():
    """The database's generation, read at most every GENERATION_SECONDS by each process."""
    now = time.monotonic()
    if _generation["value"] is None or now - _generation["read_at"] >= GENERATION_SECONDS:
        _generation["value"] = (
            PageCacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        )
        _generation["read_at"] = now
    return _generation["value"]


def bump_generation():
    if not PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageCacheGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    _generation["value"] = None


# --- Dependency tokens ---------------------------------------------------------------------------


def _token():
    return secrets.token_hex(8)


def _dependency_key(name):
    return f"pagedep:{name}"


def bump(names):
    """New tokens for `names`: every page cached under the old ones is stale from now on."""
    tokens = {_dependency_key(name): _token() for name in names}
    failed = _cache("set_many", tokens, None, default=FAILED)
    # The resilient Redis backend (portal/cache_backends.py) drops a write when Redis is down
    # and says nothing: read one token back to know that the change reached the cache.
    key, token = next(iter(tokens.items()))
    if failed is FAILED or failed or _cache("get", key) != token:
        try:
            bump_generation()
        except DatabaseError:
            logger.exception("Page cache: a change reached neither the cache nor the database")


def forget_every_page():
    """Every cached page is stale from now on (after changes that send no signal)."""
    bump([dependencies.ALL, dependencies.ANY])


def _tokens(names, found):
    """The current tokens of `names` from `found` (a get_many), giving a missing one its first."""
    tokens = []
    for name in names:
        key = _dependency_key(name)
        token = found.get(key)
        if token is None:  # never set, or evicted: whatever was cached under it is stale
            token = _token()
            if not _cache("add", key, token, None, default=False):
                token = _cache("get", key) or token
        tokens.append(token)
    return tuple(tokens)


def remember(names, key, compute, seconds=None):
    """compute()'s value, kept in the cache until a change touches one of `names`.

    For what every render of a page would otherwise work out again from the same data (the
    directory's facet counts, the network's figures): a render that misses the page cache, or
    runs with it off (PAGE_CACHE_SECONDS=0), pays for it once per change rather than once per
    request. The value is kept under the dependencies' tokens as they were before computing it,
    so a change made meanwhile leaves it behind; with the cache down, compute() runs each time.
    `key` names what is computed and its parameters; the value must pickle.
    """
    names = (dependencies.ALL, *names)
    try:
        generation = current_generation()
    except DatabaseError:
        return compute()
    found = _cache("get_many", list(map(_dependency_key, names)), default=None)
    if found is None:
        return compute()
    tokens = ":".join(_tokens(names, found))
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    entry_key = f"memo:{generation}:{digest}:{tokens}"
    value = _cache("get", entry_key, default=None)
    if value is not None:
        return value[0]
    value = compute()
    seconds = settings.MEMO_CACHE_SECONDS if seconds is None else seconds
    if seconds > 0:
        _cache("set", entry_key, (value,), seconds)
    return value


def connect_signals():
    dependencies.connect_signals()


# --- The middleware ------------------------------------------------------------------------------


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and CACHEABLE.match(request.path_info) is not None
        and not (PREPARED_FILES.match(request.path_info) and not request.META.get("QUERY_STRING"))
    )


def _may_store(request, response):
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (messages is not None and messages.used)
        and not getattr(response, "_page_cache_skip", False)
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        names = dependencies.of_path(request.path_info, request.GET)
        if names is None:
            return self.get_response(request)
        try:
            generation = current_generation()
        except DatabaseError:
            return self.get_response(request)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = (
            f"page:{generation}:{request.LANGUAGE_CODE}:{timezone.localdate():%Y%m%d}:"
            f"{request.get_host()}:{path}"
        )
        found = _cache("get_many", [key, *map(_dependency_key, names)], default=None)
        if found is None:  # the cache fails: render, keep nothing
            return self._render(request)
        tokens = _tokens(names, found)
        entry = found.get(key)
        lock = f"{key}:lock"
        # Changed: a change touched the page since its copy was rendered. A change only to the
        # dependencies that may show one render later (organizations' texts on the search)
        # lets the copy be served while another request renders its successor.
        if entry is None:
            touched = []
        elif len(entry["tokens"]) != len(tokens):  # kept under other dependencies: all changed
            touched = list(names)
        else:
            touched = [
                name
                for name, old, new in zip(names, entry["tokens"], tokens, strict=True)
                if old != new
            ]
        changed = bool(touched) and not all(map(dependencies.may_show_later, touched))
        fresh = entry is not None and not touched and time.time() < entry["fresh_until"]
        claimed = not fresh and _cache("add", lock, 1, LOCK_SECONDS, default=True)
        if entry is not None and not changed and not claimed:
            # Fresh; or only past its time while another request renders its successor.
            replayed = self._replay(request, key, entry)
            if replayed is not None:
                return replayed
        elif not claimed:
            # No copy, or one older than a change: wait for the render another request is
            # making, so that nobody is shown the page as it was before a change they may have
            # made themselves; only a render slower than WAIT_SECONDS gets the previous copy.
            waited = self._wait_for(request, key, tokens)
            if waited is None and changed and _cache("get", lock) is not None:
                waited = self._replay(request, key, entry)
            if waited is not None:
                return waited
        try:
            return self._render_and_store(request, key, tokens, entry)
        finally:
            if claimed:
                _cache("delete", lock)

    def _render(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        return response

    def _wait_for(self, request, key, tokens):
        """The copy another request is rendering, once it is there (None after WAIT_SECONDS)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            # No lock (that render ended without a copy, or the cache does not answer): render.
            if _cache("get", f"{key}:lock") is None:
                return None
            time.sleep(WAIT_STEP)
            entry = _cache("get", key)
            if entry is not None and entry["tokens"] == tokens:
                return self._replay(request, key, entry)
        return None

    def _render_and_store(self, request, key, tokens, previous=None):
        response = self.get_response(request)
        if _may_store(request, response):
            content = b"".join(response.streaming_content) if response.streaming else None
            body = content if content is not None else response.content
            if content is not None:
                response = self._rebuild(response, body)
            if len(body) <= MAX_BYTES:
                self._store(key, tokens, response, body)
                if previous is not None:
                    # Readers that just took the previous entry still find its body a while.
                    _cache("touch", f"{key}:{previous['copy']}:identity", STALE_COPY_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _store(key, tokens, response, body):
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNCACHED_HEADERS
        ]
        compressed = _compress(response, body)
        keep = settings.PAGE_CACHE_SECONDS + STALE_KEEP_SECONDS
        # The gzip copy, which nearly every client takes, travels in the entry itself: a hit is
        # one round trip to the cache (the entry and the tokens it is checked against). The
        # plain body, for the few that do not accept gzip, is kept under a key of its own copy,
        # written before the entry that points at it, so that nobody reads a half-written one.
        copy = _token()
        _cache("set", f"{key}:{copy}:identity", body, keep)
        entry = {
            "status": response.status_code,
            "headers": headers,
            "gzip": compressed,
            "tokens": tokens,
            "fresh_until": time.time() + settings.PAGE_CACHE_SECONDS,
            "copy": copy,
        }
        _cache("set", key, entry, keep)

    @staticmethod
    def _rebuild(response, body):
        rebuilt = HttpResponse(body, status=response.status_code)
        for name, value in response.items():
            if name.lower() != "content-length":
                rebuilt[name] = value
        return rebuilt

    @staticmethod
    def _replay(request, key, entry):
        headers = entry["headers"]
        header_map = dict(headers)
        not_modified = get_conditional_response(request, etag=header_map.get("ETag"))
        if not_modified is not None:
            return not_modified
        compressed = entry["gzip"] is not None
        send_gzip = compressed and "gzip" in request.headers.get("Accept-Encoding", "")
        if send_gzip:
            body = entry["gzip"]
        else:
            body = _cache("get", f"{key}:{entry['copy']}:identity")
            if body is None:  # evicted apart from its entry: render afresh
                return None
        response = HttpResponse(body, status=entry["status"])
        for name, value in headers:
            response[name] = value
        if compressed:
            patch_vary_headers(response, ["Accept-Encoding"])
            if send_gzip:
                response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Cookie"])
        return response


def _compress(response, body):
    """A gzip copy, made once when the page is cached, of a text body worth compressing.

    Cached pages hold no secret (no CSRF token, nothing personal), so compression cannot leak
    one (BREACH)."""
    content_type = response.get("Content-Type", "")
    if (
        len(body) < 1024
        or response.has_header("Content-Encoding")
        or not content_type.startswith(COMPRESSIBLE)
    ):
        return None
    return gzip.compress(body, compresslevel=6, mtime=0)
