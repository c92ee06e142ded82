import pytest

from organizations.models import FocusArea, Organization
from tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def directory(reference_data):
    climate = FocusArea.objects.get(slug="climate-environment")
    youth = FocusArea.objects.get(slug="youth")
    OrganizationFactory(
        name="Pamir Water Users",
        slug="pamir-water-users",
        country="TJ",
        city="Khorog",
        description="Irrigation for mountain villages.",
        focus_areas=[climate],
    )
    OrganizationFactory(
        name="Dushanbe Youth Hub", country="TJ", city="Dushanbe", focus_areas=[youth]
    )
    OrganizationFactory(
        name="Zhasyl Qala",
        name_local="Жасыл Қала",
        slug="zhasyl-qala",
        country="KZ",
        city="Almaty",
        focus_areas=[climate],
    )
    for organization in Organization.objects.all():
        organization.sdgs.set([6, 13])


def result_names(page):
    return page.locator(".organization-card h3 a").all_inner_texts()


def test_visitor_filters_searches_opens_a_profile_and_sees_the_charts(page, directory):
    page.goto("/organizations/")
    assert len(result_names(page)) == 3

    page.get_by_label("Country", exact=True).select_option("TJ")
    page.get_by_label("Focus area", exact=True).select_option("climate-environment")
    page.get_by_role("button", name="Show organizations").click()
    page.wait_for_url("**/organizations/?*")

    assert result_names(page) == ["Pamir Water Users"]
    assert "country=TJ" in page.url and "focus_area=climate-environment" in page.url
    # The counts follow the other filters: within Tajikistan, one climate organization.
    assert page.get_by_label("Focus area", exact=True).locator("option:checked").inner_text() == (
        "Climate and environment (1)"
    )

    page.get_by_role("link", name="Clear all").click()
    page.get_by_role("searchbox", name="Search").fill("Жасыл")
    page.get_by_role("button", name="Show organizations").click()
    page.wait_for_url("**q=*")
    assert result_names(page) == ["Zhasyl Qala"]

    page.get_by_role("searchbox", name="Search").fill("Хорог")
    page.get_by_role("button", name="Show organizations").click()
    page.wait_for_url("**q=%D0%A5*")
    assert result_names(page) == ["Pamir Water Users"]

    page.get_by_role("link", name="Pamir Water Users").click()
    page.wait_for_url("**/organizations/pamir-water-users/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pamir Water Users"
    assert page.get_by_text("Irrigation for mountain villages.").is_visible()

    page.goto("/network/")
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 30
    assert page.locator("svg.chart rect.chart-bar").first.is_visible()
    # The numbers are a click away, in a table.
    page.get_by_text("Show the numbers").first.click()
    assert page.get_by_role("table", name="Organizations by country").is_visible()


def test_empty_search_offers_to_clear_the_filters(page, directory):
    page.goto("/organizations/?q=nothing-like-this&country=TJ")

    assert page.get_by_text("No organization matches “nothing-like-this”").is_visible()
    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_url("**/organizations/")
    assert len(result_names(page)) == 3


def test_directory_pages_work_at_phone_width(page, directory):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/organizations/", "/network/", "/countries/tj/", "/organizations/zhasyl-qala/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_directory_pages_have_no_serious_accessibility_violations(page, directory):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    serious = {}
    for path in [
        "/organizations/",
        "/organizations/?country=TJ&q=zzz",
        "/organizations/zhasyl-qala/",
        "/countries/tj/",
        "/network/",
    ]:
        page.goto(path)
        violations = axe.run(page, context="main").response["violations"]
        serious[path] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in violations
            if violation["impact"] in ("serious", "critical")
        ]

    assert serious == dict.fromkeys(serious, [])


def test_no_console_errors_on_directory_pages(page, directory):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in ["/organizations/", "/organizations/zhasyl-qala/", "/countries/kz/", "/network/"]:
        page.goto(path)

    # A Content-Security-Policy violation would show here.
    assert errors == []
