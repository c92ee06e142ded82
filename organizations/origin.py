"""The address the portal is served on, for links in emails.

During a request, emails link to the scheme and host that request came in on (a host
ALLOWED_HOSTS accepts), so a link works wherever the portal runs. Outside a request (the
shell, a management command) they use PORTAL_URL, or its default. A PORTAL_URL set in the
environment always wins: the operator knows the public address behind a proxy.
"""

import contextvars

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_origin = contextvars.ContextVar("portal_request_origin", default=None)


def portal_url():
    if settings.PORTAL_URL:
        return settings.PORTAL_URL
    return _request_origin.get() or settings.PORTAL_DEFAULT_URL


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = None
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)


def keeping_origin(func):
    """`func` to run later (after the commit) with the address of the request that asked for
    it, whenever it runs."""
    origin = _request_origin.get()

    def run():
        token = _request_origin.set(origin)
        try:
            return func()
        finally:
            _request_origin.reset(token)

    return run
