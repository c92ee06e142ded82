import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from organizations.models import FocusArea, Organization
from tests.factories import EventFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def country_url(iso2):
    return reverse("organizations:country", args=[iso2])


@pytest.mark.parametrize(
    ("iso2", "name"),
    [
        ("kz", "Kazakhstan"),
        ("kg", "Kyrgyz Republic"),
        ("tj", "Tajikistan"),
        ("tm", "Turkmenistan"),
        ("uz", "Uzbekistan"),
    ],
)
def test_country_page_exists_for_the_five_countries(client, iso2, name):
    response = client.get(country_url(iso2))

    assert response.status_code == 200
    assert f"<h1>{name}</h1>" in response.content.decode()


@pytest.mark.parametrize("iso2", ["fr", "FR", "de", "xx", "kaz", "KAZ", "k"])
def test_country_page_of_anything_else_is_404(client, iso2):
    assert client.get(f"/countries/{iso2}/").status_code == 404


@pytest.mark.parametrize("iso2", ["KZ", "Kz", "uZ"])
def test_country_page_in_capitals_redirects_to_the_lowercase_address(client, iso2):
    response = client.get(f"/countries/{iso2}/")

    assert response.status_code == 301
    assert response["Location"] == f"/countries/{iso2.lower()}/"
    assert client.get(response["Location"]).status_code == 200


def test_country_page_shows_figures_organizations_and_focus_areas(client):
    climate = FocusArea.objects.get(slug="climate-environment")
    youth = FocusArea.objects.get(slug="youth")
    OrganizationFactory(
        name="Dushanbe Climate", country="TJ", city="Dushanbe", focus_areas=[climate]
    )
    OrganizationFactory(
        name="Khujand Youth", country="TJ", city="Khujand", focus_areas=[climate, youth]
    )
    OrganizationFactory(name="Almaty Climate", country="KZ", focus_areas=[climate])
    # The same city in the other script is not another city.
    OrganizationFactory(name="Душанбе Water", country="TJ", city="Душанбе")

    response = client.get(country_url("tj"))

    assert response.context["figures"] == {"total": 3, "cities": 2}
    assert [o.name for o in response.context["organizations"]] == [
        "Dushanbe Climate",
        "Khujand Youth",
        "Душанбе Water",
    ]
    counts = {row.label: row.value for row in response.context["focus_chart"].rows}
    assert counts["Climate and environment"] == 2
    assert counts["Youth"] == 1
    assert counts["Energy"] == 0
    content = response.content.decode()
    assert "Almaty Climate" not in content
    assert 'href="/organizations/?country=TJ"' in content
    assert "See all 3 organizations of Tajikistan in the directory" in content
    # The chart's table links each focus area to the directory, filtered for the country.
    assert 'href="/organizations/?country=TJ&amp;focus_area=youth"' in content


def test_country_page_lists_published_events_held_there(client):
    today = timezone.localdate()
    EventFactory(title_en="Dushanbe forum", country="TJ", city_en="Dushanbe")
    EventFactory(
        title_en="Past Khujand meeting",
        country="TJ",
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=398),
    )
    EventFactory(title_en="Draft Dushanbe event", country="TJ", status=Event.Status.DRAFT)
    EventFactory(title_en="Almaty forum", country="KZ")

    response = client.get(country_url("tj"))

    assert [event.title for event in response.context["upcoming_events"]] == ["Dushanbe forum"]
    assert [event.title for event in response.context["past_events"]] == ["Past Khujand meeting"]
    content = response.content.decode()
    assert "Draft Dushanbe event" not in content
    assert "Almaty forum" not in content


def test_country_page_without_organizations_or_events_says_so(client):
    content = client.get(country_url("tm")).content.decode()

    assert "No organization of Turkmenistan is listed yet." in content
    assert "No forum event has been held in Turkmenistan yet." in content


def test_country_page_counts_only_public_approved_organizations(client):
    OrganizationFactory(country="UZ", name="Public Tashkent")
    OrganizationFactory(country="UZ", name="Hidden", visibility=Organization.Visibility.HIDDEN)
    OrganizationFactory(country="UZ", name="Network", visibility=Organization.Visibility.NETWORK)
    OrganizationFactory(country="UZ", name="Pending", status=Organization.Status.SUBMITTED)

    response = client.get(country_url("uz"))

    assert response.context["figures"]["total"] == 1
    assert sum(row.value for row in response.context["focus_chart"].rows) == 0


def test_country_page_has_canonical_url_and_open_graph(client):
    content = client.get(country_url("kg")).content.decode()

    assert '<link rel="canonical" href="http://testserver/countries/kg/">' in content
    assert '<meta property="og:title" content="Kyrgyz Republic">' in content


def test_country_page_in_russian(client):
    content = client.get(country_url("kz"), headers={"accept-language": "ru"}).content.decode()

    assert "<h1>Казахстан</h1>" in content


def test_country_page_query_count_does_not_grow(
    client, django_assert_num_queries, steady_generation
):
    climate = FocusArea.objects.get(slug="climate-environment")
    OrganizationFactory(country="KG", focus_areas=[climate])
    EventFactory(country="KG")
    # Figures, events and their themes, the focus-area chart, organizations and their areas,
    # the latest news.
    with django_assert_num_queries(7):
        client.get(country_url("kg"))
    for _ in range(29):
        OrganizationFactory(country="KG", focus_areas=list(FocusArea.objects.all()[:3]))
    EventFactory.create_batch(5, country="KG")
    with django_assert_num_queries(7):
        response = client.get(country_url("kg"))
    assert len(response.context["organizations"]) == 12


def test_country_pages_are_in_the_sitemap(client):
    content = client.get("/sitemap.xml").content.decode()

    for iso2 in ["kz", "kg", "tj", "tm", "uz"]:
        assert f"<loc>http://testserver/countries/{iso2}/</loc>" in content
