"""Two-factor authentication of staff: an authenticator app (TOTP) and recovery codes.

django-otp keeps the devices, checks the codes (and slows down guessing: each wrong code doubles
the wait before the next one is checked) and marks the session as verified. Here: the pages that
set a device up and ask for a code, and the middleware that sends a signed-in staff member there
until the session is verified, when STAFF_TWO_FACTOR_REQUIRED (on in production).
"""

import base64
import re
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations import ratelimit

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Paths a staff member reaches before the second step: the step itself, signing out, assets.
EXEMPT = re.compile(r"^/(?:accounts/two-factor/|accounts/logout/|static/|i18n/|healthz$)")


def needs_second_step(user):
    return (
        settings.STAFF_TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and user.is_staff
        and not user.is_verified()
    )


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_step(request.user) and not EXEMPT.match(request.path_info):
            target = "two-factor" if user_has_device(request.user) else "two-factor-setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request, default="/admin/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


WAIT = gettext_lazy(
    "Too many wrong codes in a row: wait a few seconds, then type the code your app shows."
)


def _check(user, code):
    """(device that accepts code or None, whether guessing is being slowed down): the app for
    six digits, a recovery code otherwise."""
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return device, False
    return None, throttled


def _new_recovery_codes(user):
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return device, codes


@never_cache
@login_required
@sensitive_post_parameters("code")
def verify(request):
    """The second step of signing in: a code from the app, or one recovery code."""
    if not user_has_device(request.user):
        return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next(request)})}")
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.count("two_factor", request):
            return ratelimit.too_many_requests(request, "two_factor")
        if form.is_valid():
            device, throttled = _check(request.user, form.cleaned_data["code"])
            if throttled:
                form.add_error("code", WAIT)
            elif device is not None:
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    messages.warning(
                        request,
                        _(
                            "You used a recovery code; %(count)s are left. Each works once: "
                            "make new ones when few are left."
                        )
                        % {"count": device.token_set.count()},
                    )
                return redirect(_next(request))
            else:
                form.add_error(
                    "code",
                    _(
                        "This code is not right, or it has expired. Type the code your app "
                        "shows now; after several wrong codes you wait a little before the "
                        "next try."
                    ),
                )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
def setup(request):
    """Link an authenticator app: scan the QR code (or type the key), confirm one code."""
    if user_has_device(request.user):
        return redirect(f"{reverse('two-factor')}?{urlencode({'next': _next(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.count("two_factor", request):
            return ratelimit.too_many_requests(request, "two_factor")
        if form.is_valid():
            if not device.verify_is_allowed()[0]:
                form.add_error("code", WAIT)
            elif device.verify_token(form.cleaned_data["code"]):
                with transaction.atomic():
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    _device, codes = _new_recovery_codes(request.user)
                otp_login(request, device)
                return render(
                    request,
                    "registration/two_factor_codes.html",
                    {"codes": codes, "next": _next(request), "first_time": True},
                )
            else:
                form.add_error(
                    "code",
                    _(
                        "This code is not right. Check the time on your phone and type the "
                        "new code."
                    ),
                )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr_code": qr.svg_data_uri(scale=5, border=2),
            "secret": " ".join(re.findall(".{1,4}", _base32(device))),
        },
    )


def _base32(device):
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes (the old ones stop working), for a verified session only."""
    if not user_has_device(request.user) or not request.user.is_verified():
        return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.path})}")
    if request.method != "POST":
        left = sum(
            device.token_set.count()
            for device in StaticDevice.objects.devices_for_user(request.user, confirmed=True)
        )
        return render(
            request,
            "registration/two_factor_new_codes.html",
            {"left": left, "next": _next(request)},
        )
    _device, codes = _new_recovery_codes(request.user)
    return render(
        request,
        "registration/two_factor_codes.html",
        {"codes": codes, "next": _next(request), "first_time": False},
    )
