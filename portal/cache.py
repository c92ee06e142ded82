"""Caching of anonymous public pages, invalidated by any change to the content they show.

A page is cached only when nothing in it can belong to one person: the visitor is anonymous, has
no session or pending messages, the response sets no cookie and renders no CSRF token. The key
holds the content generation (bumped by every save or delete in the organizations and events
apps), the language, today's date and the full path. So an organizer's change shows on the very
next request, one language is never served for another, and a signed-in person never gets a
cached page.

A cache that fails (Redis down or hanging) costs speed, never a page: the failure is logged once,
pages are served uncached, and the cache is left alone for CACHE_RETRY_SECONDS before the next
try; the health check reports it as degraded.
"""

import gzip
import hashlib
import logging
import re
import threading
import time

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from simple_history.models import HistoricalChanges

from .models import PageCacheGeneration

CONTENT_APPS = {"organizations", "events"}
MAX_BYTES = 5 * 1024 * 1024
# Public pages that show nothing personal to an anonymous visitor.
CACHEABLE = re.compile(
    r"^/(?:$"
    r"|organizations/$|organizations/(?!register/|join/)[\w-]+/$"
    r"|countries/[a-z]{2}/$|network/$|open-data/"
    r"|events/|speakers/[\w-]+/$|sitemap\.xml$|robots\.txt$)"
)
UNCACHED_HEADERS = {"set-cookie", "content-length"}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/atom+xml")
CACHE_RETRY_SECONDS = 10

logger = logging.getLogger(__name__)
_outage = {"until": 0.0, "logged": False}
_outage_lock = threading.Lock()


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


def current_generation():
    return PageCacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump_generation():
    if not PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        PageCacheGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


def _content_changed(sender, **kwargs):
    # Migrations' historical models live in their own registry: their rows predate any cache.
    # The history of changes shows on no public page: its rows change nothing there.
    if (
        sender._meta.app_label in CONTENT_APPS
        and sender._meta.apps is global_apps
        and not issubclass(sender, HistoricalChanges)
    ):
        bump_generation()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"page-cache-{id(signal)}")


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and CACHEABLE.match(request.path_info) is not None
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
        try:
            generation = current_generation()
        except DatabaseError:
            return self.get_response(request)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = (
            f"page:{generation}:{request.LANGUAGE_CODE}:{timezone.localdate():%Y%m%d}:"
            f"{request.get_host()}:{path}"
        )
        cached = _cache("get", key)
        if cached is not None:
            replayed = self._replay(request, key, *cached)
            if replayed is not None:
                return replayed

        response = self.get_response(request)
        if _may_store(request, response):
            content = b"".join(response.streaming_content) if response.streaming else None
            body = content if content is not None else response.content
            if content is not None:
                response = self._rebuild(response, body)
            if len(body) <= MAX_BYTES:
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in UNCACHED_HEADERS
                ]
                compressed = _compress(response, body)
                # Each body under its own key: a hit reads (and unpickles) only the one it sends.
                _cache(
                    "set_many",
                    {f"{key}:identity": body, f"{key}:gzip": compressed},
                    settings.PAGE_CACHE_SECONDS,
                )
                _cache(
                    "set",
                    key,
                    (response.status_code, headers, compressed is not None),
                    settings.PAGE_CACHE_SECONDS,
                )
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _rebuild(response, body):
        rebuilt = HttpResponse(body, status=response.status_code)
        for name, value in response.items():
            if name.lower() != "content-length":
                rebuilt[name] = value
        return rebuilt

    @staticmethod
    def _replay(request, key, status, headers, compressed):
        header_map = dict(headers)
        not_modified = get_conditional_response(request, etag=header_map.get("ETag"))
        if not_modified is not None:
            return not_modified
        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        send_gzip = compressed and accepts_gzip
        body = _cache("get", f"{key}:{'gzip' if send_gzip else 'identity'}")
        if body is None:  # evicted apart from its headers: render afresh
            return None
        response = HttpResponse(body, status=status)
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
