"""A per-address limit on registration, password reset and the other forms that send email.

The counts live in the database (portal.models.RateLimitCounter), in fixed windows, so every
gunicorn worker and every server sees the same count whatever the cache is, and a cache that is
down changes nothing. Over the limit, the person gets a "try again later" page (429). Failed
sign-ins are counted by django-axes (settings: AXES_*), per account and per address.
"""

import functools
import time

from django.conf import settings
from django.shortcuts import render

from portal.models import RateLimitCounter
from portal.security import client_ip

# scope: (requests, seconds). Override with the PORTAL_RATE_LIMITS setting.
DEFAULT_LIMITS = {
    "register": (10, 3600),
    "verify": (20, 3600),
    "password_reset": (5, 3600),
    "resend_verification": (5, 3600),
    "join": (10, 3600),
    "two_factor": (10, 900),
}


def limit_for(scope):
    return {**DEFAULT_LIMITS, **getattr(settings, "PORTAL_RATE_LIMITS", {})}[scope]


def _window(scope, request):
    period = limit_for(scope)[1]
    window = int(time.time() // period)
    return f"{scope}:{client_ip(request)[:64]}:{window}", (window + 1) * period


def count(scope, request):
    """Count one request; True while the client is within its limit."""
    key, ends = _window(scope, request)
    return RateLimitCounter.hit(key, ends) <= limit_for(scope)[0]


def exceeded(scope, request):
    """Whether the client already used up its limit (without counting this request)."""
    key, _ends = _window(scope, request)
    return RateLimitCounter.used(key) >= limit_for(scope)[0]


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
