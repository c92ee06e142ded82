"""Who the client is, and what a locked-out sign-in answers.

The client's address comes from the connection, or from X-Forwarded-For as our own reverse
proxies wrote it: each of the TRUSTED_PROXY_HOPS proxies appends the address it saw, so the
client is the entry that many places from the right. Whatever a client writes in the header
itself stands further left and is never read.
"""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [entry.strip() for entry in forwarded.split(",") if entry.strip()] + [remote]
    # chain[-1] is the proxy next to us, chain[-1 - hops] the address the outermost one saw.
    # Fewer entries than proxies: the request skipped one of them; its address is the leftmost
    # one a proxy of ours wrote.
    candidate = chain[0] if len(chain) <= hops else chain[-1 - hops]
    return _valid(candidate) or remote


def login_username(request, credentials):
    """The account a sign-in is for, as axes counts it: "John@X.org" and "john@x.org" alike."""
    username = (credentials or {}).get("username") or ""
    if not username and request is not None:
        username = request.POST.get("username", "")
    return str(username).strip().lower()[:150]


def locked_out(request, original_response=None, credentials=None):
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
