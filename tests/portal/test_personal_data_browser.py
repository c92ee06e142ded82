"""In Chromium: an owner downloads the organization's data; a member erases their account."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from organizations.models import Membership, PersonalDataRequest
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def alpha(db):
    owner = MembershipFactory(
        organization__name="Alpha Steppe",
        organization__contact_phone="+7 701 111 22 33",
        user__email="owner@alpha.example",
    )
    editor = MembershipFactory(
        organization=owner.organization,
        role=Membership.Role.EDITOR,
        user__email="editor@alpha.example",
    )
    return owner, editor


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    return violations


def test_an_owner_downloads_the_export_and_reads_it(page, alpha):
    violations = _watch_csp(page)
    _log_in(page, "owner@alpha.example")
    page.get_by_role("link", name="Your personal data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your personal data")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the data (JSON)").click()
    download = download_info.value
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))

    assert download.suggested_filename.endswith(".json")
    assert data["organization"]["name"] == "Alpha Steppe"
    assert {m["email"] for m in data["members"]} == {"owner@alpha.example", "editor@alpha.example"}
    page.get_by_role("link", name="Read the data as a page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Personal data held about Alpha Steppe"
    )
    expect(page.get_by_text("+7 701 111 22 33")).to_be_visible()
    assert PersonalDataRequest.objects.filter(kind="export").count() == 2
    assert violations == []


def test_a_member_erases_their_account(page, alpha):
    violations = _watch_csp(page)
    _owner, editor = alpha
    _log_in(page, "editor@alpha.example")
    page.goto("/my/data/")
    expect(page.get_by_role("link", name="Download the data (JSON)")).to_have_count(0)
    page.get_by_role("link", name="Erase my account…").click()
    expect(
        page.get_by_text("Alpha Steppe stays on the portal with its other members.")
    ).to_be_visible()

    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text("This is not your password.")).to_be_visible()
    assert get_user_model().objects.filter(pk=editor.user_id).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Erase my account").click()

    expect(page.get_by_text("Your account is erased.")).to_be_visible()
    assert page.url.endswith("/")
    assert not get_user_model().objects.filter(pk=editor.user_id).exists()
    page.goto("/my/")
    assert "/accounts/login/" in page.url
    _log_in(page, "editor@alpha.example")
    expect(page.locator("form .invalid-feedback, form .alert-danger").first).to_be_visible()
    assert violations == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_personal_data_pages_have_no_serious_accessibility_violations(page, alpha, language):
    from axe_playwright_python.sync_playwright import Axe

    _log_in(page, "owner@alpha.example")
    if language == "ru":
        page.context.add_cookies([{"name": "django_language", "value": "ru", "url": page.url}])
    axe = Axe()
    serious = {}
    for path in ["/my/data/", "/my/data/export/", "/my/data/erase/"]:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious[path] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    assert serious == dict.fromkeys(serious, [])
    if language == "ru":
        expect(page.get_by_role("heading", level=1)).to_have_text("Удаление учётной записи")
