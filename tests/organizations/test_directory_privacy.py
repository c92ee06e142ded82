"""Nothing that is not public leaks from the public pages: each test first creates what could
leak, then reads every public page, export and count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import FocusArea, SustainableDevelopmentGoal
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

PUBLIC_PAGES = [
    "/organizations/open-tashkent-energy/",
    "/organizations/",
    "/organizations/?country=UZ",
    "/organizations/?focus_area=energy",
    "/organizations/?sdg=7",
    "/organizations/?q=hidden+circle",
    "/organizations/?q=Секретн",
    "/countries/uz/",
    "/network/",
    "/open-data/organizations.csv",
    "/open-data/organizations.json",
    "/open-data/organizations.json?q=network+group",
    "/",
]


@pytest.fixture
def leaky(db):
    """A public organization with private data, and organizations nobody may list."""
    energy = FocusArea.objects.get(slug="energy")
    goal = SustainableDevelopmentGoal.objects.get(number=7)
    public = OrganizationFactory(
        name="Open Tashkent Energy",
        slug="open-tashkent-energy",
        country="UZ",
        registration_number="300014567",
        phone="+998 71 000 00 01",
        contact_phone="+998 90 111 22 33",
        contact_position="Chair of the board",
        pending_changes={"description": "Unreviewed pending wording"},
        focus_areas=[energy],
    )
    public.sdgs.add(goal)
    MembershipFactory(
        organization=public,
        user__username="contact-person",
        user__email="contact.person@private.example",
        user__first_name="Shahnoza",
        user__last_name="Privatova",
    )
    past = timezone.localdate() - datetime.timedelta(days=30)
    DelegateFactory(
        organization=public,
        event=EventFactory(start_date=past, end_date=past, country="UZ"),
        full_name="Delegate Secretname",
        email="delegate.secret@private.example",
        position="Youth Officer Secretpost",
    )
    hidden_ones = []
    for name, status, visibility, number in [
        ("Secretive Hidden Circle", "approved", "hidden", "300099991"),
        ("Secretive Network Group", "approved", "network", "300099992"),
        ("Secretive Pending Union", "submitted", "public", "300099993"),
        ("Secretive Rejected Club", "rejected", "public", "300099994"),
        ("Secretive Suspended Fund", "suspended", "public", "300099995"),
        ("Secretive Unverified Lab", "unverified", "public", "300099996"),
    ]:
        organization = OrganizationFactory(
            name=name,
            name_local="Секретный " + name.split()[1],
            slug=name.lower().replace(" ", "-"),
            country="UZ",
            city="Samarkand",
            registration_number=number,
            status=status,
            visibility=visibility,
            focus_areas=[energy],
        )
        organization.sdgs.add(goal)
        hidden_ones.append(organization)
    return public, hidden_ones


SECRETS = [
    "Secretive",
    "Секретный",
    "Samarkand",
    "300099991",
    "300099992",
    "300099993",
    "+998 71 000 00 01",
    "+998 90 111 22 33",
    "Chair of the board",
    "Unreviewed pending wording",
    "contact.person@private.example",
    "Privatova",
    "Shahnoza",
    "Delegate Secretname",
    "delegate.secret@private.example",
    "Secretpost",
]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_private_data_on_public_pages_and_exports(client, leaky, url):
    content = read(client, url)

    for secret in SECRETS:
        assert secret not in content, f"{secret!r} leaks on {url}"


def test_the_public_organization_is_listed_but_not_its_identifier_on_html_pages(client, leaky):
    profile = read(client, "/organizations/open-tashkent-energy/")
    assert "Open Tashkent Energy" in profile
    for secret in [*SECRETS, "300014567", "UZ-STIR"]:
        assert secret not in profile, secret
    # Open data carries the identifier of a public organization, in org-id form only.
    assert "UZ-STIR-300014567" in read(client, "/open-data/organizations.csv")


@pytest.mark.parametrize("index", range(6))
def test_profiles_of_the_others_are_404(client, leaky, index):
    organization = leaky[1][index]

    assert client.get(organization.get_absolute_url()).status_code == 404


def test_counts_see_only_the_public_organization(client, leaky):
    directory = client.get("/organizations/")
    form = directory.context["form"]
    assert directory.context["paginator"].count == 1
    assert dict(form.fields["country"].choices)["UZ"] == "Uzbekistan (1)"
    assert dict(form.fields["focus_area"].choices)["energy"] == "Energy (1)"
    assert dict(form.fields["sdg"].choices)["7"] == "SDG 7: Affordable and clean energy (1)"

    country = client.get(reverse("organizations:country", args=["uz"]))
    assert country.context["figures"] == {"total": 1, "cities": 1}

    network = client.get(reverse("organizations:network"))
    assert network.context["total"] == 1
    by_goal = next(c for c in network.context["charts"] if c.key == "sdgs")
    assert {row.label: row.value for row in by_goal.rows}["SDG 7: Affordable and clean energy"] == 1

    data = client.get(reverse("organizations:open-data-json"))
    assert b'"count": 1' in b"".join(data.streaming_content)

    assert client.get("/").context["organization_count"] == 1


def test_a_member_sees_the_network_only_one_but_never_the_hidden_or_unapproved(client, leaky):
    client.force_login(MembershipFactory().user)

    content = read(client, "/organizations/?q=Secretive")

    assert "Secretive Network Group" in content
    for name in ["Hidden Circle", "Pending Union", "Rejected Club", "Suspended", "Unverified"]:
        assert name not in content
    # Members' extra view never reaches what is counted or exported for everyone.
    assert "Secretive" not in read(client, "/open-data/organizations.csv")
    assert "Secretive" not in read(client, "/network/")
    assert "Secretive" not in read(client, "/countries/uz/")
