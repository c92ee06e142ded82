"""Every form of the organizations' pages and the accounts, fed generated bad input (tests/fuzz.py):
never a server error, and a refused form shows again what was typed."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given

from organizations import services
from organizations.forms import OrganizationForm, RegistrationForm
from organizations.models import Invitation
from tests import fuzz
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits(settings, focus_areas):
    # The limits would answer 429 after a few examples and hide the forms from the fuzzing.
    settings.PORTAL_RATE_LIMITS = dict.fromkeys(
        ("register", "password_reset", "resend_verification", "join", "two_factor"),
        (10**9, 3600),
    )
    settings.AXES_FAILURE_LIMIT = 10**9


REGISTRATION_FIELDS = [*RegistrationForm.base_fields, "logo_token"]
PROFILE_FIELDS = [*OrganizationForm.base_fields, "logo_token"]


def _check_form(client, url, fields, sentinel, pairs, typed):
    """Post the generated pairs plus one plainly typed field; no 500; refused: typed is kept."""
    others = [(name, value) for name, value in pairs if name.decode() != sentinel]
    response = fuzz.post(client, url, [*others, (sentinel.encode(), typed.encode())])
    fuzz.assert_no_server_error(response, url)
    if response.status_code == 200 and response.context and "form" in response.context:
        form = response.context["form"]
        if form is not None and form.is_bound and form.errors:
            assert fuzz.shown_again(response, typed), f"{sentinel} lost on {url}"
    return response


@given(pairs=fuzz.form_data([f for f in REGISTRATION_FIELDS if f != "city"]), typed=fuzz.plain_text)
def test_registration(client, pairs, typed):
    _check_form(client, "/organizations/register/", REGISTRATION_FIELDS, "city", pairs, typed)


@given(pairs=fuzz.form_data(["password", "next"]), typed=fuzz.plain_text)
def test_login(client, pairs, typed):
    _check_form(client, "/accounts/login/", ["username", "password"], "username", pairs, typed)


@given(pairs=fuzz.form_data(["password", "next", "this_is_the_login_form"]))
def test_admin_login(client, pairs):
    fuzz.assert_no_server_error(fuzz.post(client, "/admin/login/", pairs), "admin login")


@given(pairs=fuzz.form_data(["unknown"]), typed=fuzz.plain_text)
def test_password_reset(client, pairs, typed):
    _check_form(client, "/accounts/password_reset/", ["email"], "email", pairs, typed)


@given(pairs=fuzz.form_data(["unknown"]), typed=fuzz.plain_text)
def test_resend_verification(client, pairs, typed):
    _check_form(client, "/organizations/register/resend/", ["email"], "email", pairs, typed)


@pytest.fixture
def invitation_url(db):
    owner = MembershipFactory()
    invitation = Invitation.objects.create(
        organization=owner.organization, email="invited@example.org", invited_by=owner.user
    )
    return f"/organizations/join/{services.invitation_token(invitation)}/"


@given(pairs=fuzz.form_data(["last_name", "password1", "password2"]), typed=fuzz.plain_text)
def test_join(client, invitation_url, pairs, typed):
    _check_form(client, invitation_url, [], "first_name", pairs, typed)


@given(token=fuzz.text_values)
def test_join_and_verify_links_with_any_token(client, token):
    for prefix in ("/organizations/join/", "/organizations/register/verify/"):
        path = f"{prefix}{token.encode('utf-8', 'surrogatepass').hex()[:200] or 'x'}/"
        fuzz.assert_no_server_error(client.get(path), prefix)
        fuzz.assert_no_server_error(client.post(path, {}), prefix)


@pytest.fixture
def owner_client(client):
    membership = MembershipFactory(user__email="owner@example.org")
    client.force_login(membership.user)
    return client


@given(pairs=fuzz.form_data([f for f in PROFILE_FIELDS if f != "city"]), typed=fuzz.plain_text)
def test_my_edit(owner_client, pairs, typed):
    _check_form(owner_client, "/my/edit/", PROFILE_FIELDS, "city", pairs, typed)


@given(pairs=fuzz.form_data(["unknown"]), typed=fuzz.plain_text)
def test_my_invite(owner_client, pairs, typed):
    _check_form(owner_client, "/my/members/invite/", ["email"], "email", pairs, typed)


@given(pairs=fuzz.form_data(["unknown"]))
def test_my_other_posts(owner_client, pairs):
    for url in ("/my/resubmit/", "/my/verification/", "/my/members/1/remove/"):
        fuzz.assert_no_server_error(fuzz.post(owner_client, url, pairs), url)


@pytest.fixture
def set_password_url(client):
    user = UserFactory(email="reset@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/accounts/reset/{uid}/{token}/")
    return response["Location"]


@given(pairs=fuzz.form_data(["new_password1", "new_password2"]))
def test_set_a_new_password(client, set_password_url, pairs):
    fuzz.assert_no_server_error(fuzz.post(client, set_password_url, pairs), "set password")


@given(pairs=fuzz.form_data(["next"]), typed=fuzz.plain_text)
def test_two_factor_code(client, settings, pairs, typed):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    staff = UserFactory(username="staff", is_staff=True)
    TOTPDevice.objects.get_or_create(user=staff, name="app", defaults={"confirmed": True})
    client.force_login(staff)
    _check_form(client, "/accounts/two-factor/", ["code"], "code", pairs, typed[:32])


@given(pairs=fuzz.form_data(["language", "next"]))
def test_language_switch(client, pairs):
    fuzz.assert_no_server_error(fuzz.post(client, "/i18n/setlang/", pairs), "setlang")
