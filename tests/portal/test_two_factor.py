"""Staff confirm each sign-in with an authenticator app's code or a recovery code."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def code_for(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def organizer(db):
    return UserFactory(username="organizer", is_staff=True, is_superuser=True)


@pytest.fixture
def organizer_with_app(organizer):
    device = TOTPDevice.objects.create(user=organizer, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=organizer, name="Recovery codes")
    StaticToken.objects.create(device=recovery, token="abcd2345ef")
    return organizer, device


def sign_in(client, username="organizer", url="/admin/login/?next=/admin/"):
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_staff_without_a_device_are_sent_to_set_one_up(client, organizer):
    sign_in(client)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fadmin%2F"


def test_setting_up_the_app_shows_qr_and_key_then_recovery_codes(client, organizer):
    sign_in(client)
    page = client.get("/accounts/two-factor/setup/?next=/admin/")
    content = page.content.decode()
    assert 'src="data:image/svg+xml' in content
    device = TOTPDevice.objects.get(user=organizer, confirmed=False)
    key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', content).group(1)
    assert len(key.replace(" ", "")) == 32

    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/admin/"})
    assert "This code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    too_soon = client.post("/accounts/two-factor/setup/", {"code": code_for(device)})
    assert "Too many wrong codes in a row: wait a few seconds" in too_soon.content.decode()
    TOTPDevice.objects.update(throttling_failure_timestamp=None)  # a few seconds later

    done = client.post("/accounts/two-factor/setup/", {"code": code_for(device), "next": "/admin/"})

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_staff_member_with_the_app_types_its_code(client, organizer_with_app):
    _organizer, device = organizer_with_app
    sign_in(client)
    asked = client.get("/admin/")
    assert asked["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    assert client.get("/my/").status_code == 302  # nothing else either, until the code

    response = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_next_to_the_field(client, organizer_with_app):
    sign_in(client)

    response = client.post("/accounts/two-factor/", {"code": "123456", "next": "/admin/"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"][0].startswith("This code is not right")
    assert 'value="123456"' in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client, organizer_with_app):
    sign_in(client)

    used = client.post("/accounts/two-factor/", {"code": "ABCD 2345 EF", "next": "/admin/"})
    assert used["Location"] == "/admin/"
    client.post("/accounts/logout/")
    sign_in(client)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    again = client.post("/accounts/two-factor/", {"code": "abcd2345ef", "next": "/admin/"})

    assert again.status_code == 200
    assert not StaticToken.objects.exists()


def test_new_recovery_codes_replace_the_old_ones(client, organizer_with_app):
    _organizer, device = organizer_with_app
    sign_in(client)
    client.post("/accounts/two-factor/", {"code": code_for(device)})

    admin = client.get("/admin/").content.decode()
    assert 'href="/accounts/two-factor/recovery-codes/"' in admin
    page = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert "You have 1 unused recovery code." in page

    response = client.post("/accounts/two-factor/recovery-codes/")

    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="abcd2345ef").exists()


def test_the_code_page_never_sends_elsewhere(client, organizer_with_app):
    _organizer, device = organizer_with_app
    sign_in(client)

    response = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/admin/"


def test_members_and_organizers_in_development_have_no_second_step(client, settings):
    UserFactory(username="member@example.org", email="member@example.org")
    sign_in(client, "member@example.org", url="/accounts/login/")
    assert client.get("/my/").status_code in (200, 302)
    assert not client.get("/my/").get("Location", "").startswith("/accounts/two-factor/")

    settings.STAFF_TWO_FACTOR_REQUIRED = False
    UserFactory(username="organizer", is_staff=True, is_superuser=True)
    client.post("/accounts/logout/")
    sign_in(client)
    assert client.get("/admin/").status_code == 200


def test_organizers_remove_a_lost_device_in_the_admin(admin_client, organizer_with_app, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False  # admin_client skips the second step
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 200
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 200
