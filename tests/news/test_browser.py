"""An organizer in Chromium writes a newsletter, previews it, sends a test to themselves, sends
it, and watches the progress bar move to the end while a worker sends it."""

import re
import threading

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from news import sending, subscriptions
from news.models import Newsletter, NewsletterRecipient
from organizations.roles import sync_groups
from outbox.models import Mail
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password
RECIPIENTS = 12


@pytest.fixture
def network():
    kz = OrganizationFactory(country="KZ")
    uz = OrganizationFactory(country="UZ")
    for n in range(RECIPIENTS):
        email = f"kz{n}@example.org"
        MembershipFactory(organization=kz, user=UserFactory(username=email, email=email))
        subscriptions.subscribe(email=email)
    MembershipFactory(organization=uz, user=UserFactory(username="uz", email="uz@example.org"))
    subscriptions.subscribe(email="uz@example.org")


def test_organizer_composes_previews_tests_sends_and_watches_the_progress(
    page, network, settings, monkeypatch
):
    sync_groups()
    organizer = StaffFactory(username="organizer", email="organizer@example.org")
    organizer.groups.add(Group.objects.get(name="Organizers"))
    # The worker: started by the test once the organizer pressed "Send", at four mails a
    # second, so that the bar is seen on its way.
    settings.NEWSLETTER_RATE = 4
    started = []
    monkeypatch.setattr(sending, "schedule", lambda pk, **kwargs: started.append(pk))
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_violations.append(message.text)
        ),
    )

    page.goto("/admin/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/news/newsletter/add/")
    page.locator("#id_subject_en").fill("Registration for the sixth forum is open")
    page.locator("#id_subject_ru").fill("Открыта регистрация на шестой форум")
    page.locator("#id_body_en").fill("Register your **delegates** by 1 March.")
    page.locator("#id_body_ru").fill("Зарегистрируйте **делегатов** до 1 марта.")
    page.locator("#id_countries").select_option(["KZ"])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".field-recipients_now .readonly")).to_have_text(str(RECIPIENTS))

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text(f"{RECIPIENTS} recipients")).to_be_visible()
    expect(page.locator("article[lang=en] .newsletter-body strong")).to_have_text("delegates")
    expect(page.locator("article[lang=ru] .newsletter-body strong")).to_have_text("делегатов")
    page.get_by_role("link", name="Back to the newsletter").click()

    page.get_by_role("button", name="Send a test to me (organizer@example.org)").click()
    expect(page.get_by_text("is on its way to organizer@example.org")).to_be_visible()
    assert Mail.objects.filter(to=["organizer@example.org"]).count() == 2

    page.get_by_role("link", name="Send…").click()
    expect(page.get_by_text(f"It goes to {RECIPIENTS} recipients.")).to_be_visible()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text(f"Sending to {RECIPIENTS} recipients has started")).to_be_visible()
    bar = page.locator("#newsletter-progress-bar")
    expect(bar).to_have_attribute("value", "0")

    newsletter = Newsletter.objects.get()
    assert started == [newsletter.pk]
    worker = threading.Thread(target=sending.deliver, args=(newsletter.pk,))
    worker.start()
    try:
        # The bar moves (between 0 and 100) while the worker sends ...
        expect(bar).to_have_attribute("value", re.compile(r"^([1-9]|[1-9][0-9])$"), timeout=10_000)
        # ... and reaches the end.
        expect(bar).to_have_attribute("value", "100", timeout=20_000)
        expect(page.locator(".newsletter-progress-text")).to_contain_text(
            f"{RECIPIENTS} of {RECIPIENTS} sent, 0 failed, 0 waiting"
        )
        expect(page.locator(".newsletter-progress")).to_have_attribute("data-status", "sent")
    finally:
        worker.join(timeout=30)
    assert NewsletterRecipient.objects.filter(status="sent").count() == RECIPIENTS
    assert csp_violations == []
