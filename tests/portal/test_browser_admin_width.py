"""The admin at 1280 px: the delegates and organizations changelists fit their screen (no
column pushed out of sight), in English and in Russian; a likely duplicate reads as a warning
naming the other organization."""

import pytest
from django.core.management import call_command

from organizations.models import Organization
from tests.factories import OrganizationFactory, StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def admin_page(page, live_server, reference_data):
    call_command("seed_demo", verbosity=0)
    first = Organization.objects.public().order_by("name").first()
    # A second registration of the same name: a likely duplicate, named in the list.
    OrganizationFactory(name=first.name.upper(), country=first.country)
    StaffFactory(username="admin-width", is_superuser=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/login/")
    page.locator("#id_username").fill("admin-width")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page


def _overflow(page):
    return page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return {
                page: document.documentElement.scrollWidth,
                table: results ? results.scrollWidth - results.clientWidth : null,
            };
        }"""
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_changelists_fit_1280_pixels(admin_page, live_server, language):
    admin_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    widths = {}
    for path in ["/admin/events/delegate/", "/admin/organizations/organization/"]:
        admin_page.goto(path)
        widths[path] = _overflow(admin_page)
    assert widths == dict.fromkeys(widths, {"page": 1280, "table": 0})
    warning = admin_page.locator("#result_list .duplicate-warning").first
    assert warning.is_visible()
    assert warning.bounding_box()["x"] + warning.bounding_box()["width"] <= 1280
