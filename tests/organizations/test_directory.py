import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

LIST_URL = reverse("organizations:list")


def area(slug):
    return FocusArea.objects.get(slug=slug)


def names(response):
    return [organization.name for organization in response.context["organizations"]]


def option_label(response, field, value):
    return dict(response.context["form"].fields[field].choices)[value]


def test_directory_lists_public_approved_organizations_as_cards(client):
    OrganizationFactory(
        name="Zhasyl Qala",
        acronym="ZQ",
        city="Almaty",
        focus_areas=[area("climate-environment")],
    )

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == ["Zhasyl Qala"]
    content = response.content.decode()
    assert "(ZQ)" in content
    assert "Almaty, Kazakhstan" in content
    assert "Climate and environment" in content
    assert "Verified" in content
    # Without a logo, a neutral placeholder that screen readers skip.
    assert (
        'class="organization-logo organization-logo-card organization-logo-placeholder" '
        'aria-hidden="true">ZQ<' in content
    )


def test_directory_card_shows_logo_with_alt_text(client, settings, tmp_path):
    organization = OrganizationFactory(name="Steppe Lab", logo="logos/steppe.png")

    content = client.get(LIST_URL).content.decode()

    assert f'src="{organization.logo.url}" alt="Logo of Steppe Lab"' in content


def test_directory_filters_combine_and_stay_in_the_url(client):
    climate, youth = area("climate-environment"), area("youth")
    OrganizationFactory(name="Dushanbe Climate", country="TJ", focus_areas=[climate])
    OrganizationFactory(name="Dushanbe Youth", country="TJ", focus_areas=[youth])
    OrganizationFactory(name="Almaty Climate", country="KZ", focus_areas=[climate])

    response = client.get(LIST_URL, {"country": "TJ", "focus_area": "climate-environment"})

    assert names(response) == ["Dushanbe Climate"]
    # The canonical address carries the filters, so the filtered page can be shared.
    assert (
        '<link rel="canonical" href="http://testserver/organizations/'
        '?country=TJ&amp;focus_area=climate-environment">' in response.content.decode()
    )


def test_directory_filters_by_sdg_legal_form_and_decade(client):
    goal = SustainableDevelopmentGoal.objects.get(number=13)
    match = OrganizationFactory(
        name="Match", legal_form=Organization.LegalForm.FOUNDATION, year_founded=2014
    )
    match.sdgs.add(goal)
    other_decade = OrganizationFactory(
        name="Older", legal_form=Organization.LegalForm.FOUNDATION, year_founded=1999
    )
    other_decade.sdgs.add(goal)
    OrganizationFactory(name="Association", year_founded=2015).sdgs.add(goal)
    OrganizationFactory(name="No goal", legal_form=Organization.LegalForm.FOUNDATION)

    response = client.get(LIST_URL, {"sdg": "13", "legal_form": "foundation", "founded": "2010s"})
    assert names(response) == ["Match"]

    response = client.get(LIST_URL, {"founded": "before-1990"})
    assert names(response) == []


def test_directory_counts_each_filter_value_under_the_other_filters(client):
    climate, youth = area("climate-environment"), area("youth")
    OrganizationFactory(country="TJ", focus_areas=[climate, youth])
    OrganizationFactory(country="TJ", focus_areas=[climate])
    OrganizationFactory(country="KZ", focus_areas=[climate])
    OrganizationFactory(country="UZ", focus_areas=[youth])

    response = client.get(LIST_URL, {"country": "TJ"})

    # Focus areas are counted within Tajikistan...
    assert option_label(response, "focus_area", "climate-environment") == (
        "Climate and environment (2)"
    )
    assert option_label(response, "focus_area", "youth") == "Youth (1)"
    assert option_label(response, "focus_area", "energy") == "Energy (0)"
    # ...while the countries ignore the country filter itself, so the others stay reachable.
    assert option_label(response, "country", "TJ") == "Tajikistan (2)"
    assert option_label(response, "country", "KZ") == "Kazakhstan (1)"
    assert option_label(response, "country", "TM") == "Turkmenistan (0)"

    response = client.get(LIST_URL, {"focus_area": "youth"})
    assert option_label(response, "country", "TJ") == "Tajikistan (1)"
    assert option_label(response, "country", "KZ") == "Kazakhstan (0)"
    assert option_label(response, "country", "UZ") == "Uzbekistan (1)"


def test_directory_counts_decades_and_legal_forms(client):
    OrganizationFactory(year_founded=2012, legal_form=Organization.LegalForm.FOUNDATION)
    OrganizationFactory(year_founded=2019)
    OrganizationFactory(year_founded=1985)
    OrganizationFactory(year_founded=None)

    response = client.get(LIST_URL)

    assert option_label(response, "founded", "2010s") == "2010–2019 (2)"
    assert option_label(response, "founded", "before-1990") == "Before 1990 (1)"
    assert option_label(response, "founded", "1990s") == "1990–1999 (0)"
    assert option_label(response, "legal_form", "foundation") == "Foundation (1)"
    assert option_label(response, "legal_form", "association") == "Public association (3)"


def test_directory_lists_other_countries_only_when_they_have_organizations(client):
    OrganizationFactory(country="DE", name="Berlin partner")

    response = client.get(LIST_URL)

    countries = [value for value, _label in response.context["form"].fields["country"].choices]
    assert countries == ["", "KZ", "KG", "TJ", "TM", "UZ", "DE"]


def test_directory_paginates_and_keeps_filters_in_page_links(client):
    OrganizationFactory.create_batch(30, country="KG")
    OrganizationFactory(country="KZ")

    response = client.get(LIST_URL, {"country": "KG"})

    assert len(response.context["organizations"]) == 24
    assert response.context["paginator"].count == 30
    assert 'href="?country=KG&amp;page=2"' in response.content.decode()

    second = client.get(LIST_URL, {"country": "KG", "page": "2"})
    assert len(second.context["organizations"]) == 6


@pytest.mark.parametrize("page", ["99", "abc", "-1"])
def test_directory_page_out_of_range_shows_a_page(client, page):
    OrganizationFactory.create_batch(3)

    response = client.get(LIST_URL, {"page": page})

    assert response.status_code == 200
    assert len(response.context["organizations"]) == 3


def test_directory_empty_state_says_what_was_searched_and_offers_to_clear(client):
    OrganizationFactory(name="Zhasyl Qala", country="KZ")

    response = client.get(LIST_URL, {"q": "nothing-like-this", "country": "TJ"})

    content = response.content.decode()
    assert names(response) == []
    assert "No organization matches “nothing-like-this” with these filters." in content
    assert "Clear all filters" in content
    # Each active filter can be removed on its own.
    chips = {chip["name"]: chip["remove_url"] for chip in response.context["active_filters"]}
    assert chips == {"q": "?country=TJ", "country": "?q=nothing-like-this"}


def test_directory_without_any_organization_invites_registration(client):
    content = client.get(LIST_URL).content.decode()

    assert "No organizations are listed yet." in content
    assert reverse("organizations:register") in content


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"focus_area": "no-such-area"}, "focus_area"),
        ({"sdg": "99"}, "sdg"),
        ({"legal_form": "corporation"}, "legal_form"),
        ({"founded": "1850s"}, "founded"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_directory_bad_filter_value_gets_a_message_and_no_error_page(client, params, field):
    OrganizationFactory(name="Still listed")

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    # The invalid filter is ignored; the page still lists organizations.
    assert names(response) == ["Still listed"]
    assert "is-invalid" in response.content.decode()


def test_directory_hides_network_only_from_visitors_and_shows_them_to_members(client):
    OrganizationFactory(name="Public one")
    OrganizationFactory(name="Network one", visibility=Organization.Visibility.NETWORK)
    member = MembershipFactory(organization=OrganizationFactory(name="Members' own")).user

    assert names(client.get(LIST_URL)) == ["Members' own", "Public one"]

    client.force_login(member)
    response = client.get(LIST_URL)
    assert names(response) == ["Members' own", "Network one", "Public one"]
    assert "Network only" in response.content.decode()
    assert option_label(response, "country", "KZ") == "Kazakhstan (3)"


def test_directory_members_of_unapproved_organizations_see_public_ones_only(client):
    OrganizationFactory(name="Network one", visibility=Organization.Visibility.NETWORK)
    member = MembershipFactory(
        organization=OrganizationFactory(name="Pending", status=Organization.Status.SUBMITTED)
    ).user
    client.force_login(member)

    assert names(client.get(LIST_URL)) == []


def test_directory_has_open_graph_and_links_the_filtered_open_data(client):
    OrganizationFactory(country="TJ")

    content = client.get(LIST_URL, {"country": "TJ"}).content.decode()

    assert '<meta property="og:title" content="Directory of organizations">' in content
    assert '<meta property="og:url" content="http://testserver/organizations/?country=TJ">' in (
        content
    )
    assert 'href="/open-data/organizations.csv?country=TJ"' in content
    assert 'href="/open-data/organizations.json?country=TJ"' in content
    assert "CC BY 4.0" in content


def test_directory_in_russian_names_countries_in_russian(client):
    OrganizationFactory(country="TJ", city="Dushanbe")

    response = client.get(LIST_URL, headers={"accept-language": "ru"})

    content = response.content.decode()
    assert "Душанбе, Таджикистан" in content
    assert ">Таджикистан (1)<" in content


def _directory_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"country": "KZ", "focus_area": "climate-environment", "sdg": "13"},
        {"q": "steppe", "legal_form": "association", "founded": "2010s"},
        {"q": "Степь", "page": "2"},
    ],
)
def test_directory_query_count_does_not_grow_with_organizations(
    client, params, django_assert_max_num_queries, steady_generation
):
    climate, goal = area("climate-environment"), SustainableDevelopmentGoal.objects.get(pk=13)

    def add(count):
        for _ in range(count):
            organization = OrganizationFactory(
                name=f"Steppe {Organization.objects.count()}",
                year_founded=2015,
                focus_areas=[climate, area("youth")],
            )
            organization.sdgs.add(goal)

    add(1)
    one = _directory_queries(client, params)
    add(29)
    # Focus areas, goals, five facet counts, the total, the page and its focus areas; a search
    # also reads the folded names once, for typos, and its matches once.
    with django_assert_max_num_queries(one):
        response = client.get(LIST_URL, params)
    assert one <= (12 if "q" in params else 10)

    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 30
    assert all(organization.name.startswith("Steppe ") for organization in page.object_list)


def test_directory_query_count_for_a_member_is_fixed(client, django_assert_num_queries):
    member = MembershipFactory().user
    client.force_login(member)
    OrganizationFactory()
    one = _directory_queries(client, {"country": "KZ"})
    OrganizationFactory.create_batch(29, visibility=Organization.Visibility.NETWORK)

    with django_assert_num_queries(one):
        response = client.get(LIST_URL, {"country": "KZ"})

    # The member's own organization, the first one and the network-only ones.
    assert response.context["page_obj"].paginator.count == 31


def test_directory_escapes_what_was_typed(client):
    content = client.get(LIST_URL, {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert re.search(r'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"', content)


def test_directory_counts_never_repeat_an_organization(client):
    areas = list(FocusArea.objects.all()[:4])
    goals = list(SustainableDevelopmentGoal.objects.all()[:5])
    for country in ["KZ", "KZ", "TJ"]:
        organization = OrganizationFactory(
            country=country, year_founded=2015, description="Clean water.", focus_areas=areas
        )
        organization.sdgs.set(goals)

    params = {
        "q": "water",
        "focus_area": areas[0].slug,
        "sdg": str(goals[0].number),
        "founded": "2010s",
    }
    response = client.get(LIST_URL, params)

    assert response.context["paginator"].count == 3
    assert option_label(response, "country", "KZ") == "Kazakhstan (2)"
    assert option_label(response, "focus_area", areas[1].slug).endswith(" (3)")
    assert option_label(response, "sdg", str(goals[1].number)).endswith(" (3)")
    assert option_label(response, "legal_form", "association") == "Public association (3)"
    assert option_label(response, "founded", "2010s") == "2010–2019 (3)"


def test_russian_directory_writes_known_cities_in_russian(client):
    OrganizationFactory(name="Steppe Almaty", city="Almaty", country="KZ")
    OrganizationFactory(name="Steppe Khujand", city="Khujand", country="TJ")
    OrganizationFactory(name="Steppe Village", city="Kyzyl-Suu", country="KG")
    client.cookies["django_language"] = "ru"
    content = client.get(LIST_URL).content.decode()
    assert "Алматы, Казахстан" in content
    assert "Худжанд, Таджикистан" in content
    assert "Kyzyl-Suu, Кыргызстан" in content or "Kyzyl-Suu, Кыргызская Республика" in content
    assert "Almaty," not in content
    client.cookies["django_language"] = "en"
    assert "Almaty, Kazakhstan" in client.get(LIST_URL).content.decode()


def test_city_names_fold_spellings():
    from organizations.cities import city_name

    assert city_name("ALMATY", "ru") == "Алматы"
    assert city_name("Toshkent", "ru") == "Ташкент"
    assert city_name("Farg'ona", "ru") == "Фергана"
    assert city_name("Almaty", "en") == "Almaty"
    assert city_name("Somewhere", "ru") == "Somewhere"
