import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import EventFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_visitor_switches_the_home_page_to_russian(page):
    EventFactory(
        title_en="Sixth EU–Central Asia Civil Society Forum",
        title_ru="Шестой Форум гражданского общества ЕС – Центральная Азия",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sixth EU–Central Asia Civil Society Forum"
    )

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()

    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Шестой Форум гражданского общества ЕС – Центральная Азия"
    )
    assert page.get_by_role("heading", name="Сеть в цифрах").is_visible()


def test_home_page_is_usable_at_phone_width(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")

    toggle = page.get_by_role("button", name="Toggle navigation")
    assert toggle.is_visible()
    toggle.click()
    assert page.get_by_role("link", name="Organizations").first.is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360


def test_public_pages_fit_a_phone_in_russian(page, live_server, reference_data):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    forum = "/events/fifth-eu-central-asia-civil-society-forum/"
    too_wide = {}
    for path in ["/", "/organizations/", "/network/", "/countries/kz/", "/events/", forum,
                 forum + "agenda/", "/organizations/register/"]:  # fmt: skip
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "ru"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width

    assert too_wide == {}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_public_pages_have_no_serious_accessibility_violations(
    page, live_server, reference_data, language
):
    from axe_playwright_python.sync_playwright import Axe

    call_command("seed_demo", verbosity=0)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    axe = Axe()
    serious = {}
    for path in ["/", "/organizations/", "/network/", "/countries/kz/", "/accounts/login/",
                 "/organizations/register/", "/no-such-page/"]:  # fmt: skip
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious[path] = [
            violation["id"]
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    assert serious == dict.fromkeys(serious, [])
