"""In real Chromium: a CSO registers through the form, follows the emailed link, and an
organizer approves it in the admin, under the portal's strict Content-Security-Policy."""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from organizations.models import Organization
from organizations.roles import ORGANIZERS, sync_groups
from tests.factories import FocusAreaFactory, MembershipFactory, OrganizationFactory, StaffFactory
from tests.organizations.registration_helpers import PASSWORD, VALID_BIN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _csp_problems(page):
    """Collect console errors: a blocked script or style, a script error, a missing file."""
    problems = []

    def console(message):
        # The admin's pages have no icon link, so the browser asks for /favicon.ico.
        if message.type == "error" and "favicon.ico" not in message.location.get("url", ""):
            problems.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _png():
    output = io.BytesIO()
    Image.new("RGB", (200, 120), (0, 51, 153)).save(output, format="PNG")
    return {"name": "logo.png", "mimeType": "image/png", "buffer": output.getvalue()}


def test_cso_registers_confirms_email_and_organizer_approves(page, browser, live_server, settings):
    settings.PORTAL_URL = live_server.url
    FocusAreaFactory(slug="climate-environment", name="Climate and environment")
    sync_groups()
    organizer = StaffFactory(username="organizer", email="organizer@example.org")
    organizer.groups.add(organizer.groups.model.objects.get(name=ORGANIZERS))
    problems = _csp_problems(page)

    page.goto("/")
    page.get_by_role("link", name="Register", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Register your organization"

    page.get_by_label("First name").fill("Aigerim")
    page.get_by_label("Last name").fill("Nurlanovna")
    page.locator("#id_email").fill("aigerim@steppe.example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Name of the organization").fill("Zhasyl Qala")
    page.get_by_label("Name in the local language").fill("Жасыл Қала")
    page.get_by_label("Legal form").select_option("association")
    page.get_by_label("Country").select_option("KZ")
    page.get_by_label("City").fill("Almaty")
    page.get_by_label("National identifier").fill(VALID_BIN)
    page.get_by_label("Description").fill("Urban greening and clean air in Almaty.")
    page.get_by_label("Climate and environment").check()
    page.get_by_label("Logo").set_input_files(_png())
    page.get_by_label("Public: listed in the directory").check()
    page.get_by_label("Your position in the organization").fill("Director")
    # First without consent: the error shows next to the field and the rest stays.
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Registration needs your consent.")).to_be_visible()
    assert page.get_by_label("City").input_value() == "Almaty"
    expect(page.get_by_text("Your logo “logo.png” is kept.")).to_be_visible()

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("I agree to the processing of my personal data").check()
    page.get_by_role("button", name="Register", exact=True).click()

    # The same answer whether or not the address has an account: check the inbox.
    page.wait_for_url(re.compile(r"/organizations/register/done/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"
    organization = Organization.objects.get()
    assert organization.status == Organization.Status.UNVERIFIED
    assert organization.logo.name.startswith("logos/")

    # Follow the link from the email, as the person would, then sign in.
    link = re.search(r"https?://\S+/organizations/register/verify/\S+/", mail.outbox[-1].body)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my email address").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Thank you: your email address is confirmed"
    )
    page.get_by_role("link", name="Go to my organization").click()
    page.get_by_label("Email").fill("aigerim@steppe.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/my/$"))
    expect(page.get_by_text("Zhasyl Qala").first).to_be_visible()

    # The organizer reviews it in the admin, in a browser of their own.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    admin = context.new_page()
    admin_problems = _csp_problems(admin)
    admin.goto("/admin/")
    admin.get_by_label("Username").fill("organizer")
    admin.get_by_label("Password").fill("correct-horse-battery")
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("row", name="Organizations").get_by_role("link", name="Organizations").click()
    admin.get_by_role("link", name="Waiting for a decision").click()
    # The organization's page: its history, and widgets that only work if the admin's
    # scripts run under the CSP (the two-box focus-area selector is built by JavaScript).
    admin.get_by_role("link", name="Zhasyl Qala").click()
    expect(admin.get_by_text("Email confirmed, submitted for review")).to_be_visible()
    expect(admin.locator("#id_focus_areas_from")).to_be_visible()
    expect(admin.get_by_role("link", name="Approve")).to_be_visible()
    admin.go_back()
    row = admin.locator("#result_list tbody tr", has_text="Zhasyl Qala")
    row.get_by_role("checkbox").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("1 organization approved.")).to_be_visible()
    context.close()

    organization.refresh_from_db()
    assert organization.status == Organization.Status.APPROVED
    page.goto(organization.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zhasyl Qala")
    assert problems == []
    assert admin_problems == []


def test_registration_and_dashboard_have_no_serious_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    FocusAreaFactory(slug="climate-environment", name="Climate and environment")
    member = MembershipFactory(
        organization=OrganizationFactory(status=Organization.Status.CHANGES_REQUESTED),
        user__username="member@example.org",
        user__email="member@example.org",
    )
    member.organization.review_log.create(
        to_status=Organization.Status.CHANGES_REQUESTED, reason="Please add your website."
    )
    axe = Axe()
    serious = {}

    def check(name):
        # The page's own content; the shared header and footer are checked with the home page.
        violations = axe.run(page, context="main").response["violations"]
        serious[name] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    page.goto("/organizations/register/")
    check("register")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Please correct the fields marked below.")).to_be_visible()
    check("register with errors")
    page.goto("/accounts/login/")
    check("login")
    page.get_by_label("Email").fill("member@example.org")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please add your website.")).to_be_visible()
    check("my")
    page.goto("/my/edit/")
    check("edit")
    page.goto("/my/members/invite/")
    check("invite")

    assert serious == {name: [] for name in serious}
