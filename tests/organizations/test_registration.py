"""The registration page, the email link, signing in with the email address, abuse limits."""

import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse

from organizations import services
from organizations.identifiers import bin_checksum_ok
from organizations.models import Organization
from tests.factories import UserFactory
from tests.organizations.registration_helpers import (
    PASSWORD,
    image_file,
    registration_data,
    sign_in,
)

pytestmark = pytest.mark.django_db

REGISTER = "/organizations/register/"


@pytest.fixture
def post_registration(client, django_capture_on_commit_callbacks):
    def post(data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                REGISTER, data if data is not None else registration_data(), **kwargs
            )

    return post


def _verification_path():
    body = mail.outbox[-1].body
    start = body.index("http://testserver/") + len("http://testserver")
    return body[start:].split()[0]


def test_register_url_is_the_public_contract():
    assert reverse("organizations:register") == REGISTER
    assert reverse("organizations:my") == "/my/"


def test_registration_page_shows_the_sections_and_the_consent_version(client):
    content = client.get(REGISTER).content.decode()

    for legend in (
        "Your account",
        "The organization",
        "What it does",
        "Public contacts",
        "Who may see the organization",
        "You, the contact person",
        "Consent",
    ):
        assert f"<legend>{legend}</legend>" in content
    assert "Consent text version 2025-01." in content
    assert 'enctype="multipart/form-data"' in content
    # The network's five countries come first, then the rest of the world.
    assert content.index('value="KZ"') < content.index('value="UZ"') < content.index('value="AF"')


def test_registration_creates_unverified_organization_and_sends_the_link(client, post_registration):
    response = post_registration(registration_data(logo=image_file()))

    assert response.status_code == 302
    assert response["Location"] == "/organizations/register/done/"
    done = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in done
    # Not signed in: a new address and one with an account get the very same answer.
    assert "_auth_user_id" not in client.session
    organization = Organization.objects.get()
    assert organization.status == Organization.Status.UNVERIFIED
    assert organization.name_local == "Жасыл Қала"
    assert organization.working_languages == ["kk", "ru"]
    assert organization.logo.name.startswith("logos/")
    assert mail.outbox[0].to == ["aigerim@steppe.example.org"]
    sign_in(client, "aigerim@steppe.example.org")
    dashboard = client.get("/my/").content.decode()
    assert "Confirm your email address" in dashboard
    # Nothing of an unverified organization is visible.
    client.logout()
    assert client.get(organization.get_absolute_url()).status_code == 404
    assert "Zhasyl Qala" not in client.get("/organizations/").content.decode()


def test_following_the_link_submits_the_registration(
    client, post_registration, django_capture_on_commit_callbacks
):
    post_registration()
    client.logout()
    link = _verification_path()

    # Opening the link (as a mail scanner would) confirms nothing: it asks for the click.
    opened = client.get(link)
    assert opened.status_code == 200
    assert "Confirm my email address" in opened.content.decode()
    assert Organization.objects.get().status == Organization.Status.UNVERIFIED
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 200
    assert "your email address is confirmed" in response.content.decode()
    organization = Organization.objects.get()
    assert organization.status == Organization.Status.SUBMITTED
    assert "We received the registration of Zhasyl Qala" in mail.outbox[-1].subject
    # A second visit, or a second click, is harmless.
    assert "already confirmed" in client.get(link).content.decode()
    assert "already confirmed" in client.post(link).content.decode()
    assert len(mail.outbox) == 2


def test_confirmation_needs_the_csrf_token(post_registration):
    from django.test import Client

    post_registration()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_verification_path()).status_code == 403
    assert Organization.objects.get().status == Organization.Status.UNVERIFIED


def test_tampered_link_is_refused_with_a_way_to_get_a_new_one(client, post_registration):
    post_registration()

    response = client.get(_verification_path()[:-3] + "zz/")

    assert response.status_code == 400
    content = response.content.decode()
    assert "This link is not valid" in content
    assert 'action="/organizations/register/resend/"' in content
    assert Organization.objects.get().status == Organization.Status.UNVERIFIED


def test_expired_link_is_refused_with_a_way_to_get_a_new_one(client, post_registration, settings):
    post_registration()
    settings.EMAIL_VERIFICATION_MAX_AGE = -1

    response = client.get(_verification_path())

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert Organization.objects.get().status == Organization.Status.UNVERIFIED


def test_resend_form_sends_a_new_link_and_answers_the_same_for_strangers(
    client, post_registration, django_capture_on_commit_callbacks
):
    post_registration()
    client.logout()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/organizations/register/resend/", {"email": "AIGERIM@steppe.example.org"}, follow=True
        )
        unknown = client.post(
            "/organizations/register/resend/", {"email": "nobody@example.org"}, follow=True
        )

    assert [message.to for message in mail.outbox] == [["aigerim@steppe.example.org"]]
    assert "a new link is on its way" in known.content.decode()
    assert "a new link is on its way" in unknown.content.decode()


def test_resend_from_the_dashboard(client, post_registration, django_capture_on_commit_callbacks):
    post_registration()
    mail.outbox.clear()
    sign_in(client, "aigerim@steppe.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/verification/", follow=True)

    assert "We are sending a new link" in response.content.decode()
    assert len(mail.outbox) == 1
    client.post(_verification_path())
    assert Organization.objects.get().status == Organization.Status.SUBMITTED


def test_registration_in_russian_stores_the_language_for_later_emails(post_registration):
    post_registration(headers={"accept-language": "ru"})

    membership = Organization.objects.get().memberships.get()
    assert membership.language == "ru"
    assert '<html lang="ru">' in mail.outbox[0].alternatives[0][0]


def test_an_address_in_use_gets_the_same_answer_and_its_owner_an_email(client, post_registration):
    UserFactory(username="existing", email="aigerim@steppe.example.org")
    post_registration(registration_data(email="new-person@steppe.example.org"))
    new_answer = client.get("/organizations/register/done/").content.decode()
    mail.outbox.clear()

    response = post_registration(registration_data(email="Aigerim@Steppe.example.org"))

    assert response.status_code == 302
    assert response["Location"] == "/organizations/register/done/"
    assert client.get(response["Location"]).content.decode() == new_answer
    assert "cannot be used" not in response.content.decode()
    assert Organization.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["aigerim@steppe.example.org"]
    assert message.subject == "You already have an account on the portal"
    assert "An account with this address already exists" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password_reset/" in message.body


@pytest.mark.parametrize(
    "email",
    ["john!x@example.test", '"john"@example.test', "o'brien@example.test", "a/b=c?d@example.test"],
)
def test_every_address_django_accepts_registers(client, post_registration, email):
    response = post_registration(registration_data(email=email))

    assert response.status_code == 302
    assert response["Location"] == "/organizations/register/done/"
    organization = Organization.objects.get()
    user = organization.memberships.get().user
    assert user.email == email
    sign_in(client, email)


def test_two_addresses_that_fold_to_one_user_name_both_register(post_registration):
    post_registration(registration_data(email="o'brien@example.test"))
    post_registration(registration_data(email="o!brien@example.test", name="Second one"))

    assert Organization.objects.count() == 2
    names = sorted(Organization.objects.values_list("memberships__user__username", flat=True))
    assert names == ["o_brien@example.test", "o_brien@example.test-2"]


def test_an_error_the_form_cannot_place_is_shown_at_the_top(client, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"username": ["Refused for a field the form does not have."]})

    monkeypatch.setattr(services, "organization_register", refuse)

    response = client.post(REGISTER, registration_data())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Refused for a field the form does not have."
    ]
    # What was typed is still there.
    assert 'value="Zhasyl Qala"' in response.content.decode()


def test_honeypot_filled_by_a_bot_registers_nothing(post_registration):
    response = post_registration(registration_data(homepage="http://spam.example"))

    assert response.status_code == 200
    # Said where a person would see it, should a browser have filled the field.
    assert response.context["form"].non_field_errors() == [
        "The form could not be sent. Please check it and send it again."
    ]
    assert Organization.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_is_hidden_from_people_and_assistive_technology(client):
    content = client.get(REGISTER).content.decode()

    assert 'class="form-trap"' in content and 'aria-hidden="true"' in content
    assert 'name="homepage"' in content and 'tabindex="-1"' in content


def test_signed_in_person_is_not_offered_a_second_organization(client):
    client.force_login(UserFactory(email="me@example.org"))

    content = client.get(REGISTER).content.decode()

    assert "You are signed in as me@example.org" in content
    assert 'name="password1"' not in content


def test_registration_is_rate_limited_per_address_with_a_clear_page(client, settings):
    settings.PORTAL_RATE_LIMITS = {"register": (2, 3600)}
    settings.TRUSTED_PROXY_HOPS = 1
    bad = registration_data(name="")
    assert client.post(REGISTER, bad).status_code == 200
    assert client.post(REGISTER, bad).status_code == 200

    response = client.post(REGISTER, registration_data())

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    content = response.content.decode()
    assert "please try again later" in content
    assert '<main id="main"' in content
    assert Organization.objects.count() == 0
    # Another address is not affected (behind our own proxy, the forwarded one counts).
    other = client.post(REGISTER, bad, headers={"x-forwarded-for": "203.0.113.9"})
    assert other.status_code == 200


def test_login_with_email_and_the_field_is_labelled_email(client):
    UserFactory(username="aigerim@example.org", email="aigerim@example.org")

    page = client.get("/accounts/login/").content.decode()
    response = client.post(
        "/accounts/login/", {"username": "AIGERIM@example.org", "password": "correct-horse-battery"}
    )

    label = re.search(r'<label\s+for="id_username"[^>]*>(.*?)<', page, re.S).group(1)
    assert label.strip() == "Email"
    assert response.status_code == 302
    assert response["Location"] == "/my/"


def test_organizers_may_still_sign_in_with_their_user_name(client):
    UserFactory(username="organizer", email="organizer@example.org", is_staff=True)

    response = client.post(
        "/accounts/login/", {"username": "organizer", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302


def test_password_reset_pages_are_in_the_portal_frame(client, django_capture_on_commit_callbacks):
    UserFactory(username="aigerim@example.org", email="aigerim@example.org")

    form = client.get("/accounts/password_reset/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/accounts/password_reset/", {"email": "aigerim@example.org"}, follow=True
        ).content.decode()

    assert '<main id="main"' in form and "Reset your password" in form
    assert "Check your email" in done
    message = mail.outbox[0]
    assert "/accounts/reset/" in message.body
    assert message.alternatives and "/accounts/reset/" in message.alternatives[0][0]
    link = message.body[message.body.index("http://testserver/") + len("http://testserver") :]
    confirm = client.get(link.split()[0], follow=True).content.decode()
    assert "Choose a new password" in confirm


def test_verification_helper_token_matches_the_email_link(post_registration):
    post_registration()
    organization = Organization.objects.get()
    owner = organization.memberships.get().user

    # The tokens carry the second they were signed: compare what they say, not their text.
    def payload(token):
        return signing.loads(token, salt=services.VERIFY_SALT)

    link_token = _verification_path().rstrip("/").rsplit("/", 1)[-1]
    assert payload(services.verification_token(organization, owner)) == payload(link_token)


def test_password_is_not_sent_back_to_the_browser(post_registration):
    response = post_registration(registration_data(name=""))

    assert PASSWORD not in response.content.decode()
    assert "For your security, enter the password again." in response.content.decode()


def test_demo_cso_account_signs_in_with_its_email(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    response = client.post(
        "/accounts/login/",
        {"username": "demo-cso@example.org", "password": "demo-cso-password"},
        follow=True,
    )

    assert response.context["organization"] is not None
    kazakh = Organization.objects.filter(country="KZ").exclude(registration_number="")
    assert kazakh.exists()
    assert all(
        bin_checksum_ok(number) for number in kazakh.values_list("registration_number", flat=True)
    )


def test_other_countries_are_in_the_alphabetical_order_of_the_language(client):
    english = client.get(REGISTER).context["form"].fields["country"].choices
    russian = client.get(REGISTER, headers={"accept-language": "ru"}).context["form"]
    russian_choices = russian.fields["country"].choices

    assert [code for code, _name in english[1:6]] == ["KZ", "KG", "TJ", "TM", "UZ"]
    english_others = [str(name) for _code, name in english[6][1]]
    assert english_others[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    russian_others = [str(name) for _code, name in russian_choices[6][1]]
    assert russian_others[0] == "Австралия"


def test_email_links_use_the_address_the_portal_is_served_on(post_registration, settings):
    post_registration(HTTP_HOST="localhost:8117")
    assert "http://localhost:8117/organizations/register/verify/" in mail.outbox[-1].body
    assert (
        "http://localhost:8117/organizations/register/verify/" in mail.outbox[-1].alternatives[0][0]
    )


def test_a_configured_portal_url_wins_over_the_request(post_registration, settings):
    settings.PORTAL_URL = "https://portal.example"
    post_registration(HTTP_HOST="localhost:8117")
    assert "https://portal.example/organizations/register/verify/" in mail.outbox[-1].body


def test_outside_a_request_links_use_the_default_address(settings):
    from organizations.emails import absolute

    settings.PORTAL_DEFAULT_URL = "https://first-allowed-host.example"
    assert absolute("/my/") == "https://first-allowed-host.example/my/"
