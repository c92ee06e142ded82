"""A member in Chromium registers two delegates for the last seat, cancels the confirmed one and
sees the waiting one take the seat."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Delegate
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def last_seat(db):
    now = timezone.now()
    event = EventFactory(
        title_en="Sixth Forum",
        slug="sixth-forum",
        capacity=3,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=30),
    )
    DelegateFactory.create_batch(2, event=event, organization=OrganizationFactory(country="TJ"))
    SessionFactory(event=event, kind="workshop", capacity=20, title_en="Open data workshop")
    member = MembershipFactory(
        organization__name="Alpha Steppe", user__email="member@example.org"
    ).user
    return event, member


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _register(page, name, email, *, another=False):
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Position").fill("Programme officer")
    page.get_by_label("Female").check()
    page.get_by_label("25–34").check()
    button = "Register and add another" if another else "Register"
    page.get_by_role("button", name=button, exact=True).click()


def _row(page, name):
    return page.locator("tr.delegate-row", has=page.get_by_role("rowheader", name=re.compile(name)))


def test_member_registers_two_for_the_last_seat_cancels_one_and_the_other_moves_up(page, last_seat):
    event, _member = last_seat
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_violations.append(message.text)
        ),
    )
    _log_in(page, "member@example.org")

    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Register delegates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a delegate")
    expect(page.locator(".delegate-seats")).to_contain_text("1 of 3")

    _register(page, "Dana Nurlanovna", "dana@example.org", another=True)
    expect(page.get_by_text("Dana Nurlanovna is registered and confirmed.")).to_be_visible()
    _register(page, "Erlan Sadykov", "erlan@example.org")
    expect(
        page.get_by_text("Erlan Sadykov is on the waiting list, number 1: All 3 seats")
    ).to_be_visible()

    expect(_row(page, "Dana Nurlanovna")).to_contain_text("Confirmed")
    expect(_row(page, "Erlan Sadykov")).to_contain_text("Waiting list, number 1")

    _row(page, "Dana Nurlanovna").get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cancel the registration of Dana Nurlanovna?"
    )
    page.get_by_role("button", name="Cancel the registration").click()

    expect(
        page.get_by_text(
            "The registration of Dana Nurlanovna is cancelled. Their seat went to Erlan Sadykov, "
            "from your waiting list."
        )
    ).to_be_visible()
    expect(_row(page, "Erlan Sadykov")).to_contain_text("Confirmed")
    expect(_row(page, "Dana Nurlanovna")).to_contain_text("Cancelled")
    assert dict(Delegate.objects.filter(event=event).values_list("email", "status")) == {
        **dict(
            Delegate.objects.filter(event=event, organization__country="TJ").values_list(
                "email", "status"
            )
        ),
        "dana@example.org": "cancelled",
        "erlan@example.org": "confirmed",
    }

    _row(page, "Erlan Sadykov").get_by_role("link", name="Sessions").click()
    page.get_by_role("button", name="Book a seat in Open data workshop").click()
    expect(
        page.get_by_text("A seat in “Open data workshop” is booked for Erlan Sadykov.")
    ).to_be_visible()
    assert csp_violations == []


def test_bad_input_is_shown_next_to_the_field_and_kept(page, last_seat):
    event, _member = last_seat
    _log_in(page, "member@example.org")
    page.goto(f"/my/events/{event.slug}/delegates/add/")

    _register(page, "Dana Nurlanovna", "not-an-email")

    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Dana Nurlanovna")
    expect(page.get_by_label("Female")).to_be_checked()
    assert not Delegate.objects.filter(email="not-an-email").exists()


def test_delegate_pages_have_no_serious_accessibility_violations(page, last_seat):
    from axe_playwright_python.sync_playwright import Axe

    event, member = last_seat
    mine = DelegateFactory(event=event, organization=member.memberships.get().organization)
    _log_in(page, "member@example.org")
    axe = Axe()
    serious = {}
    for path in [
        "/my/delegates/",
        f"/my/events/{event.slug}/delegates/",
        f"/my/events/{event.slug}/delegates/add/",
        f"/my/delegates/{mine.pk}/edit/",
        f"/my/delegates/{mine.pk}/cancel/",
        f"/my/delegates/{mine.pk}/sessions/",
    ]:
        page.goto(path)
        violations = axe.run(page, context="main").response["violations"]
        serious[path] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    assert serious == dict.fromkeys(serious, [])
