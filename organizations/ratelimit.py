"""A per-IP limit on registration, login and the other forms that send email.

Django's cache counts the requests in fixed windows, so several gunicorn workers share the count
when CACHE_URL points at Redis. Over the limit, the person gets a "try again later" page (429).
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

# scope: (requests, seconds). Override with the PORTAL_RATE_LIMITS setting.
DEFAULT_LIMITS = {
    "register": (10, 3600),
    "login": (10, 900),
    "verify": (20, 3600),
    "password_reset": (5, 3600),
    "resend_verification": (5, 3600),
    "join": (10, 3600),
}


def limit_for(scope):
    return {**DEFAULT_LIMITS, **getattr(settings, "PORTAL_RATE_LIMITS", {})}[scope]


def client_ip(request):
    """The client's address; behind our own reverse proxy, the one it saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in proxies:
        # The proxy appends the address it saw: the last entry is the only trustworthy one.
        return forwarded.split(",")[-1].strip()[:64]
    return remote


def _key(scope, request):
    period = limit_for(scope)[1]
    return f"ratelimit:{scope}:{client_ip(request)}:{int(time.time() // period)}"


def count(scope, request):
    """Count one request; True while the client is within its limit."""
    key = _key(scope, request)
    cache.add(key, 0, limit_for(scope)[1])
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit_for(scope)[1])
        used = 1
    return used <= limit_for(scope)[0]


def exceeded(scope, request):
    """Whether the client already used up its limit (without counting this request)."""
    return cache.get(_key(scope, request), 0) >= limit_for(scope)[0]


def too_many_requests(request, scope):
    period = limit_for(scope)[1]
    response = render(
        request,
        "registration/too_many_requests.html",
        {"minutes": max(1, period // 60)},
        status=429,
    )
    response["Retry-After"] = str(period)
    return response


def limit_posts(scope):
    """Decorator: count every POST of the view; over the limit, answer 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not count(scope, request):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
