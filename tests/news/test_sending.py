"""Newsletters delivered to a real SMTP server on 127.0.0.1 (aiosmtpd, started by the test):
exactly the audience its filters name, each in their language, with working one-click
unsubscribe headers; a 5xx refusal marks the address, a 4xx comes back later."""

import datetime
import re
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from events.models import Delegate
from news import audience, sending, subscriptions
from news.models import Newsletter, NewsletterRecipient, RefusedAddress
from organizations.models import LanguagePreference, Membership, Organization
from tests.factories import (
    DelegateFactory,
    EventFactory,
    FocusAreaFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.news.factories import NewsletterFactory

pytestmark = pytest.mark.django_db(transaction=True)

Status = NewsletterRecipient.Status


def subject_of(message):
    return str(make_header(decode_header(message["Subject"])))


def text_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def html_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode()
    raise AssertionError("no HTML part")


def member(organization, email, *, language="en", role=Membership.Role.EDITOR, subscribed=True):
    membership = MembershipFactory(
        organization=organization,
        user=UserFactory(username=email, email=email),
        role=role,
        language=language,
    )
    if subscribed:
        subscriptions.subscribe(email=email, user=membership.user)
    return membership


@pytest.fixture
def network():
    climate = FocusAreaFactory(slug="climate")
    youth = FocusAreaFactory(slug="youth")
    kz_climate = OrganizationFactory(name="Zhasyl Qala", country="KZ")
    kz_climate.focus_areas.add(climate)
    kz_youth = OrganizationFactory(name="Jastar", country="KZ")
    kz_youth.focus_areas.add(youth)
    uz_climate = OrganizationFactory(name="Yashil", country="UZ")
    uz_climate.focus_areas.add(climate)
    kz_waiting = OrganizationFactory(
        name="Waiting", country="KZ", status=Organization.Status.SUBMITTED
    )
    kz_waiting.focus_areas.add(climate)
    people = {
        "owner_ru": member(kz_climate, "aigerim@zq.example.org", language="ru", role="owner"),
        "editor_en": member(kz_climate, "dana@zq.example.org"),
        "not_subscribed": member(kz_climate, "quiet@zq.example.org", subscribed=False),
        "refused": member(kz_climate, "gone@zq.example.org"),
        "youth_owner": member(kz_youth, "asel@jastar.example.org", role="owner"),
        "uz_owner": member(uz_climate, "bobur@yashil.example.org", role="owner", language="ru"),
        "waiting_owner": member(kz_waiting, "w@waiting.example.org", role="owner"),
    }
    RefusedAddress.objects.create(email="gone@zq.example.org", reason="550 earlier")
    return {"climate": climate, "youth": youth, "people": people}


def newsletter_for(network, **fields):
    newsletter = NewsletterFactory(**{"countries": ["KZ"], **fields})
    newsletter.focus_areas.set([network["climate"]])
    return newsletter


def test_a_newsletter_reaches_exactly_its_audience_each_in_their_language(smtp_server, network):
    newsletter = newsletter_for(network)
    expected = {"aigerim@zq.example.org", "dana@zq.example.org"}
    assert {email for email, *_rest in audience.recipients(newsletter)} == expected

    assert sending.newsletter_send(newsletter.pk) == 2  # eager: delivered after the commit

    received = smtp_server.by_recipient()
    assert set(received) == expected
    russian, english = received["aigerim@zq.example.org"], received["dana@zq.example.org"]
    assert subject_of(russian) == "Открыта регистрация на форум"
    assert "<strong>делегатов</strong>" in html_of(russian)
    assert "Отписаться" in html_of(russian)
    assert subject_of(english) == "Registration for the forum is open"
    assert "Register your **delegates** now" in text_of(english)
    assert "<strong>delegates</strong>" in html_of(english)
    for message in received.values():
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header = "".join(message["List-Unsubscribe"].split())  # unfolded
        assert re.fullmatch(r"<https?://[^>]+/newsletter/unsubscribe/[^/>]+/>", header)
        assert "/newsletter/" in text_of(message)  # the preferences page
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    rows = NewsletterRecipient.objects.filter(newsletter=newsletter)
    assert {row.status for row in rows} == {Status.SENT}
    assert {row.message_id for row in rows} == {m["Message-ID"] for m in received.values()}
    assert {row.email: row.language for row in rows} == {
        "aigerim@zq.example.org": "ru",
        "dana@zq.example.org": "en",
    }


def test_contact_persons_only_and_every_status(smtp_server, network):
    newsletter = newsletter_for(
        network, people=Newsletter.People.CONTACTS, organization_statuses=[]
    )
    sending.newsletter_send(newsletter.pk)
    assert set(smtp_server.by_recipient()) == {"aigerim@zq.example.org", "w@waiting.example.org"}


def test_delegates_of_an_event_by_status(smtp_server, network):
    event = EventFactory()
    organization = Organization.objects.get(name="Zhasyl Qala")
    other = Organization.objects.get(name="Yashil")
    confirmed = DelegateFactory(event=event, organization=organization, email="c@d.example.org")
    DelegateFactory(
        event=event,
        organization=organization,
        email="w@d.example.org",
        status=Delegate.Status.WAITLISTED,
    )
    DelegateFactory(event=event, organization=organization, email="quiet@d.example.org")
    DelegateFactory(event=event, organization=other, email="uz@d.example.org")
    DelegateFactory(
        event=EventFactory(), organization=organization, email="elsewhere@d.example.org"
    )
    for email in (
        "c@d.example.org",
        "w@d.example.org",
        "uz@d.example.org",
        "elsewhere@d.example.org",
    ):
        subscriptions.subscribe(email=email, language="ru" if email.startswith("c@") else "en")
    newsletter = NewsletterFactory(
        people=Newsletter.People.DELEGATES,
        event=event,
        countries=["KZ"],
        delegate_statuses=[Delegate.Status.CONFIRMED],
    )
    sending.newsletter_send(newsletter.pk)
    received = smtp_server.by_recipient()
    assert set(received) == {confirmed.email}
    assert subject_of(received[confirmed.email]) == "Открыта регистрация на форум"


def test_one_click_unsubscribe_from_the_header_stops_the_next_newsletter(smtp_server, network):
    sending.newsletter_send(newsletter_for(network).pk)
    message = smtp_server.by_recipient()["dana@zq.example.org"]
    url = urlsplit("".join(message["List-Unsubscribe"].split()).strip("<>"))

    # What a mail client does (RFC 8058): a POST, no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        url.path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200

    smtp_server.received.clear()
    sending.newsletter_send(newsletter_for(network, subject_en="Programme").pk)
    assert set(smtp_server.by_recipient()) == {"aigerim@zq.example.org"}


def test_an_address_refused_for_good_is_marked_and_skipped_later(smtp_server, network):
    smtp_server.refuse_for_good.add("dana@zq.example.org")
    first = newsletter_for(network)
    sending.newsletter_send(first.pk)

    assert set(smtp_server.by_recipient()) == {"aigerim@zq.example.org"}
    row = NewsletterRecipient.objects.get(newsletter=first, email="dana@zq.example.org")
    assert row.status == Status.FAILED
    assert "550" in row.smtp_answer and "No such mailbox" in row.smtp_answer
    refused = RefusedAddress.objects.get(email="dana@zq.example.org")
    assert "550" in refused.reason
    first.refresh_from_db()
    assert first.status == Newsletter.Status.SENT

    second = newsletter_for(network, subject_en="Programme")
    assert {email for email, *_rest in audience.recipients(second)} == {"aigerim@zq.example.org"}


def test_a_refusal_for_now_is_tried_again_later(smtp_server, network):
    smtp_server.refuse_once.add("dana@zq.example.org")
    newsletter = newsletter_for(network)
    sending.newsletter_send(newsletter.pk)
    row = NewsletterRecipient.objects.get(newsletter=newsletter, email="dana@zq.example.org")
    assert row.status == Status.QUEUED
    assert "451" in row.smtp_answer
    assert row.next_attempt_at > timezone.now()
    assert not RefusedAddress.objects.filter(email="dana@zq.example.org").exists()
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENDING

    # The retry is due: the periodic sweep hands it to a worker (here: at once).
    NewsletterRecipient.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sending.sweep() == {"started": 0, "resumed": 1}
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert smtp_server.counts()[row.message_id] == 1
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT


def test_someone_who_unsubscribes_while_it_is_queued_is_not_sent_it(
    smtp_server, network, monkeypatch
):
    monkeypatch.setattr(sending, "schedule", lambda pk, **kwargs: None)  # no worker yet
    newsletter = newsletter_for(network)
    sending.newsletter_send(newsletter.pk)
    subscriptions.unsubscribe("dana@zq.example.org")
    sending.deliver(newsletter.pk)
    assert set(smtp_server.by_recipient()) == {"aigerim@zq.example.org"}
    row = NewsletterRecipient.objects.get(newsletter=newsletter, email="dana@zq.example.org")
    assert row.status == Status.SKIPPED


def test_a_scheduled_newsletter_goes_when_its_time_comes(smtp_server, network):
    newsletter = newsletter_for(
        network,
        status=Newsletter.Status.SCHEDULED,
        scheduled_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert sending.sweep()["started"] == 0
    Newsletter.objects.filter(pk=newsletter.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sending.sweep()["started"] == 1
    assert set(smtp_server.by_recipient()) == {"aigerim@zq.example.org", "dana@zq.example.org"}


def test_sending_twice_writes_the_recipients_once(smtp_server, network):
    newsletter = newsletter_for(network)
    assert sending.newsletter_send(newsletter.pk) == 2
    assert sending.newsletter_send(newsletter.pk) is None
    assert NewsletterRecipient.objects.filter(newsletter=newsletter).count() == 2
    assert len(smtp_server.messages()) == 2


def test_the_rate_limit_spaces_the_mails(smtp_server, network, settings):
    settings.NEWSLETTER_RATE = 10
    newsletter = newsletter_for(network)
    started = timezone.now()
    sending.newsletter_send(newsletter.pk)
    assert len(smtp_server.messages()) == 2
    # Two mails at ten a second: the second waits a tenth of a second at least.
    assert (timezone.now() - started).total_seconds() >= 0.1


def test_recipient_language_prefers_the_persons_own():
    class Account:
        language = "ru"

    class Member:
        language = "en"

    class Consent:
        language = "ru"

    assert audience.recipient_language(Account(), membership=Member()) == "ru"
    assert audience.recipient_language(object(), membership=Member()) == "en"
    assert audience.recipient_language(None, subscription=Consent()) == "ru"
    assert audience.recipient_language(None) == "en"


def test_the_language_a_member_chose_while_signed_in_wins_over_their_membership(network):
    newsletter = newsletter_for(network)
    dana = get_user_model().objects.get(email="dana@zq.example.org")
    LanguagePreference.objects.create(user=dana, language="kk")

    languages = {
        email: language for email, _name, language, _country in audience.recipients(newsletter)
    }

    assert languages == {"aigerim@zq.example.org": "ru", "dana@zq.example.org": "kk"}
