import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate, Event
from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def profile_url(organization):
    return reverse("organizations:detail", kwargs={"slug": organization.slug})


@pytest.fixture
def organization(db):
    organization = OrganizationFactory(
        name="Zhasyl Qala",
        name_local="Жасыл Қала",
        acronym="ZQ",
        slug="zhasyl-qala",
        city="Almaty",
        country="KZ",
        legal_form=Organization.LegalForm.FOUNDATION,
        year_founded=2012,
        description="Urban trees and clean air.\n\nVolunteers plant every spring.",
        website="https://zhasyl.example.org",
        public_email="info@zhasyl.example.org",
        working_languages=["kk", "ru", "en", "unknown"],
        approved_at=datetime.datetime(2024, 3, 5, 8, 0, tzinfo=datetime.UTC),
        focus_areas=[FocusArea.objects.get(slug="climate-environment")],
    )
    organization.sdgs.add(SustainableDevelopmentGoal.objects.get(number=13))
    return organization


def test_profile_shows_the_public_fields(client, organization):
    response = client.get(profile_url(organization))

    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "<h1",
        "Zhasyl Qala",
        "Жасыл Қала",
        "(ZQ)",
        "<p>Urban trees and clean air.</p>",
        "Climate and environment",
        "SDG 13: Climate action",
        "Kazakh, Russian, English",
        "Foundation",
        "2012",
        'href="mailto:info@zhasyl.example.org"',
        "Verified since",
        '<time datetime="2024-03-05">5 March 2024</time>',
        f'href="{reverse("organizations:country", args=["kz"])}"',
    ]:
        assert text in content, text
    assert '<a href="https://zhasyl.example.org" rel="nofollow noopener"' in content


def test_profile_links_its_focus_areas_and_goals_to_the_filtered_directory(client, organization):
    content = client.get(profile_url(organization)).content.decode()

    assert 'href="/organizations/?focus_area=climate-environment"' in content
    assert 'href="/organizations/?sdg=13"' in content


def test_profile_has_open_graph_and_canonical_url(client, organization):
    content = client.get(profile_url(organization)).content.decode()

    canonical = "http://testserver/organizations/zhasyl-qala/"
    assert f'<link rel="canonical" href="{canonical}">' in content
    assert f'<meta property="og:url" content="{canonical}">' in content
    assert '<meta property="og:title" content="Zhasyl Qala">' in content
    assert '<meta property="og:type" content="profile">' in content
    assert '<meta property="og:description" content="Urban trees and clean air.' in content
    assert 'name="robots"' not in content


def test_profile_with_logo_shares_it(client, organization):
    organization.logo = "logos/zq.png"
    organization.save()

    content = client.get(profile_url(organization)).content.decode()

    assert '<meta property="og:image" content="http://testserver/media/logos/zq.png">' in content
    assert 'alt="Logo of Zhasyl Qala"' in content


def test_profile_never_shows_contact_person_or_identifiers(client, organization):
    organization.registration_number = "120540003123"
    organization.phone = "+7 727 000 11 22"
    organization.contact_phone = "+7 701 555 66 77"
    organization.contact_position = "Executive director"
    organization.pending_changes = {"description": "Draft text under review"}
    organization.save()
    contact = MembershipFactory(
        organization=organization, user__first_name="Dana", user__last_name="Contactova"
    ).user

    content = client.get(profile_url(organization)).content.decode()

    for secret in [
        "120540003123",
        "KZ-BIN",
        "+7 727 000 11 22",
        "+7 701 555 66 77",
        "Executive director",
        "Draft text under review",
        "Contactova",
        contact.email,
    ]:
        assert secret not in content, secret


@pytest.mark.parametrize(
    ("status", "visibility"),
    [
        (Organization.Status.APPROVED, Organization.Visibility.HIDDEN),
        (Organization.Status.SUBMITTED, Organization.Visibility.PUBLIC),
        (Organization.Status.UNVERIFIED, Organization.Visibility.PUBLIC),
        (Organization.Status.CHANGES_REQUESTED, Organization.Visibility.PUBLIC),
        (Organization.Status.REJECTED, Organization.Visibility.PUBLIC),
        (Organization.Status.SUSPENDED, Organization.Visibility.PUBLIC),
        (Organization.Status.APPROVED, Organization.Visibility.NETWORK),
    ],
)
def test_profile_of_hidden_unapproved_or_network_only_is_404_for_visitors(
    client, status, visibility
):
    organization = OrganizationFactory(status=status, visibility=visibility)

    assert client.get(profile_url(organization)).status_code == 404


def test_profile_of_network_only_organization_is_shown_to_members_and_not_indexed(client):
    organization = OrganizationFactory(visibility=Organization.Visibility.NETWORK)
    client.force_login(MembershipFactory().user)

    response = client.get(profile_url(organization))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<meta name="robots" content="noindex">' in content
    assert "visible to signed-in members of the network only" in content


def test_profile_of_hidden_organization_is_404_even_for_members(client):
    organization = OrganizationFactory(visibility=Organization.Visibility.HIDDEN)
    client.force_login(MembershipFactory().user)

    assert client.get(profile_url(organization)).status_code == 404


def test_profile_of_unknown_slug_is_404(client):
    assert client.get("/organizations/no-such-organization/").status_code == 404


def test_profile_lists_past_published_events_its_delegates_attended(client, organization):
    today = timezone.localdate()
    past = {"start_date": today - datetime.timedelta(days=60)}
    past["end_date"] = past["start_date"] + datetime.timedelta(days=2)
    attended = EventFactory(title_en="Fourth forum", city_en="Tashkent", **past)
    DelegateFactory(event=attended, organization=organization, full_name="Aigul Delegatova")
    DelegateFactory(event=attended, organization=organization)
    cancelled_delegate = EventFactory(title_en="Cancelled delegate forum", **past)
    DelegateFactory(
        event=cancelled_delegate, organization=organization, status=Delegate.Status.CANCELLED
    )
    DelegateFactory(event=EventFactory(title_en="Next forum"), organization=organization)
    DelegateFactory(
        event=EventFactory(title_en="Cancelled forum", status=Event.Status.CANCELLED, **past),
        organization=organization,
    )
    DelegateFactory(event=EventFactory(title_en="Another's forum", **past))

    response = client.get(profile_url(organization))

    assert [event.title for event in response.context["attended_events"]] == ["Fourth forum"]
    content = response.content.decode()
    assert "Events its delegates attended" in content
    assert "Fourth forum</a>, Tashkent" in content
    # Which events, never who.
    assert "Aigul Delegatova" not in content


def test_profile_without_attended_events_has_no_such_section(client, organization):
    response = client.get(profile_url(organization))

    assert response.context["attended_events"] == []
    assert "Events its delegates attended" not in response.content.decode()


def test_profile_in_russian(client, organization):
    content = client.get(
        profile_url(organization), headers={"accept-language": "ru"}
    ).content.decode()

    assert "Казахстан" in content
    assert "Климат и окружающая среда" in content


def test_profile_query_count_is_fixed(client, organization, django_assert_num_queries):
    past = timezone.localdate() - datetime.timedelta(days=60)
    # The organization, its focus areas, its goals, the events its delegates attended.
    with django_assert_num_queries(4):
        client.get(profile_url(organization))
    organization.focus_areas.set(FocusArea.objects.all())
    organization.sdgs.set(SustainableDevelopmentGoal.objects.all())
    OrganizationFactory.create_batch(29)
    for _ in range(5):
        DelegateFactory.create_batch(
            2, organization=organization, event=EventFactory(start_date=past, end_date=past)
        )
    with django_assert_num_queries(4):
        response = client.get(profile_url(organization))
    assert len(response.context["attended_events"]) == 5


def test_profile_query_count_for_staff(client, organization, django_assert_max_num_queries):
    client.force_login(StaffFactory())
    with django_assert_max_num_queries(6):
        assert client.get(profile_url(organization)).status_code == 200
