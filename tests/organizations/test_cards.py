"""The directory's cards are built by hand for speed (organizations/cards.py): they must stay
exactly what `organizations/includes/_card.html` makes of the same organizations."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from organizations.cards import organization_cards
from organizations.models import Organization
from tests.factories import FocusAreaFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _without_layout_whitespace(html):
    return re.sub(r"\s*\n\s*", "", html)


@pytest.fixture
def organizations():
    climate = FocusAreaFactory(slug="climate", name_en="Climate", name_ru="Климат")
    youth = FocusAreaFactory(slug="mountain-villages", name_en="Mountain villages")  # no Russian
    OrganizationFactory(
        name='Zhasyl Qala "Green City" & <Friends>',
        acronym="ZQ",
        city="Almaty",
        focus_areas=[climate, youth],
    )
    with_logo = OrganizationFactory(
        name="Oʻzbekiston yoshlari", country="UZ", city="Tashkent", focus_areas=[youth]
    )
    Organization.objects.filter(pk=with_logo.pk).update(logo="logos/uzbek-youth.png")
    OrganizationFactory(
        name="Network members only", visibility=Organization.Visibility.NETWORK, city="Бишкек"
    )
    OrganizationFactory(name="Awaiting review", status=Organization.Status.SUBMITTED)
    return Organization.objects.prefetch_related("focus_areas").order_by("name")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_cards_are_the_card_template(organizations, language):
    with translation.override(language):
        built = organization_cards(organizations)
        for organization in built:
            expected = render_to_string(
                "organizations/includes/_card.html", {"organization": organization}
            )
            # The template starts with its comment and {% load %}: no markup of its own.
            assert organization.card == _without_layout_whitespace(expected), organization.name
    assert len(built) == 4


def test_the_directory_and_the_country_page_show_the_cards(client, organizations):
    directory = client.get("/organizations/").content.decode()
    country = client.get("/countries/kz/").content.decode()

    assert "Zhasyl Qala &quot;Green City&quot; &amp; &lt;Friends&gt;" in directory
    assert (
        '<span class="badge theme-badge" lang="en">Mountain villages</span>'
        in client.get("/organizations/", headers={"accept-language": "ru"}).content.decode()
    )
    assert 'alt="Logo of Oʻzbekiston yoshlari"' in directory
    assert 'class="organization-logo organization-logo-card organization-logo-placeholder"' in (
        country
    )
    assert "Awaiting review" not in directory
