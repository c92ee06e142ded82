"""In Chromium: a staff member signs in to the admin with a password and an app's code."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def _code(key):
    return f"{TOTP(key).token():06d}"


def _sign_in_with_password(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_staff_member_signs_in_with_a_totp_code(page):
    organizer = UserFactory(username="organizer", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=organizer, name="Authenticator app", confirmed=True)

    _sign_in_with_password(page)

    assert page.get_by_role("heading", name="Confirm your sign-in").is_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text("This code is not right").is_visible()
    TOTPDevice.objects.update(throttling_failure_timestamp=None)  # a few seconds later
    page.get_by_label("Code").fill(_code(device.bin_key))
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", name="Organizers' backend").is_visible()


def test_staff_member_sets_up_the_app_at_the_first_sign_in(page):
    UserFactory(username="organizer", is_staff=True, is_superuser=True)

    _sign_in_with_password(page)

    assert page.get_by_role("heading", name="Set up two-factor authentication").is_visible()
    assert page.get_by_role("img", name="QR code to scan with the authenticator app").is_visible()
    # What a person types into the app when they cannot scan.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill(_code(key))
    page.get_by_role("button", name="Confirm and continue").click()

    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    shown = re.findall(r"[a-z2-7]{8}", page.locator("#recovery-codes").inner_text())
    assert sorted(shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", name="Organizers' backend").is_visible()
