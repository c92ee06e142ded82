"""Newsletter consent: an unchecked box at registration and on /newsletter/ (text version and
time kept), and the unsubscribe page, which needs no sign-in (a signed token), with RFC 8058's
one-click POST."""

import pytest
from django.test import Client
from django.urls import reverse

from news import subscriptions
from news.models import Subscription
from organizations.consent import NEWSLETTER_CONSENT_VERSION
from tests.factories import MembershipFactory
from tests.organizations.registration_helpers import registration_data

pytestmark = pytest.mark.django_db


def test_the_registration_box_is_there_and_unchecked(client):
    content = client.get(reverse("organizations:register")).content.decode()
    assert 'name="newsletter"' in content
    box = content[
        content.index('name="newsletter"') - 200 : content.index('name="newsletter"') + 200
    ]
    assert "checked" not in box
    assert "Send me the network&#x27;s newsletter" in content


def test_registering_without_ticking_it_records_no_consent(client):
    response = client.post(reverse("organizations:register"), registration_data())
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_registering_with_the_box_ticked_records_the_consent_with_version_and_time(client):
    response = client.post(
        reverse("organizations:register"),
        registration_data(newsletter="on"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "aigerim@steppe.example.org"
    assert subscription.subscribed
    assert subscription.consent_version == NEWSLETTER_CONSENT_VERSION
    assert subscription.consent_given_at is not None
    assert subscription.user.email == "aigerim@steppe.example.org"
    assert subscription.language == "ru"


def test_preferences_need_a_sign_in(client):
    response = client.get(reverse("news:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_preferences_opt_in_and_out(client, django_assert_max_num_queries):
    membership = MembershipFactory(user__email="dana@example.org")
    client.force_login(membership.user)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("news:preferences"))
    assert page.status_code == 200
    assert 'name="newsletter"' in page.content.decode()
    assert "checked" not in page.content.decode().split('name="newsletter"')[1][:40]

    response = client.post(reverse("news:preferences"), {"newsletter": "on"}, follow=True)
    assert "You will receive the network&#x27;s newsletter." in response.content.decode()
    subscription = Subscription.objects.get(email="dana@example.org")
    assert subscription.subscribed and subscription.consent_version == NEWSLETTER_CONSENT_VERSION

    response = client.post(reverse("news:preferences"), {}, follow=True)
    assert "You will no longer receive the newsletter." in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.subscribed and subscription.unsubscribed_at is not None


def test_the_my_page_links_to_the_preferences(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert reverse("news:preferences") in client.get(reverse("organizations:my")).content.decode()


def test_the_unsubscribe_page_needs_no_sign_in_and_asks_before_it_acts(client):
    subscriptions.subscribe(email="dana@example.org")
    token = subscriptions.unsubscribe_token("Dana@Example.org")
    url = reverse("news:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop receiving the network" in page.content.decode()
    assert subscriptions.is_subscribed("dana@example.org")  # opening the link changes nothing
    # The page's own button: a plain POST, no CSRF token needed.
    done = Client(enforce_csrf_checks=True).post(url)
    assert done.status_code == 200
    assert "will no longer receive" in done.content.decode()
    assert not subscriptions.is_subscribed("dana@example.org")


def test_one_click_unsubscribe_rfc_8058(client):
    subscriptions.subscribe(email="dana@example.org")
    url = reverse("news:unsubscribe", args=[subscriptions.unsubscribe_token("dana@example.org")])
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not subscriptions.is_subscribed("dana@example.org")
    # Again: nothing left to do, still a success.
    again = mail_client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200


@pytest.mark.parametrize("token", ["forged", "ZGFuYUBleGFtcGxlLm9yZw", "a" * 500])
def test_a_forged_token_unsubscribes_no_one(client, token):
    subscriptions.subscribe(email="dana@example.org")
    response = Client(enforce_csrf_checks=True).post(reverse("news:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert subscriptions.is_subscribed("dana@example.org")
    assert client.get(reverse("news:unsubscribe", args=[token])).status_code == 400


def test_only_the_unsubscribe_post_is_exempt_from_csrf():
    strict = Client(enforce_csrf_checks=True)
    membership = MembershipFactory()
    strict.force_login(membership.user)
    assert strict.post(reverse("news:preferences"), {"newsletter": "on"}).status_code == 403
    assert not Subscription.objects.exists()


def test_erasing_an_account_forgets_its_newsletter_data(client):
    from news.models import NewsletterRecipient, RefusedAddress
    from portal.personal_data import account_erase, account_export_data
    from tests.news.factories import NewsletterFactory

    membership = MembershipFactory(user__email="dana@example.org")
    MembershipFactory(organization=membership.organization)  # the organization stays
    subscriptions.subscribe(email="dana@example.org", user=membership.user)
    newsletter = NewsletterFactory()
    NewsletterRecipient.objects.create(
        newsletter=newsletter, email="dana@example.org", name="Dana", language="en"
    )
    RefusedAddress.objects.create(email="dana@example.org")
    exported = account_export_data(membership.user)["newsletter"]
    assert exported["subscribed"] is True
    assert exported["consent_version"] == NEWSLETTER_CONSENT_VERSION
    assert [row["subject"] for row in exported["newsletters"]] == [newsletter.subject]

    account_erase(user=membership.user, by=membership.user)

    assert not Subscription.objects.exists()
    assert not NewsletterRecipient.objects.exists()
    assert not RefusedAddress.objects.exists()
