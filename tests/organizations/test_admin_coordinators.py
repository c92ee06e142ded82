"""Country coordinators: staff who review the organizations of their countries only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from organizations.models import CountryCoordinator, Organization
from organizations.roles import COORDINATORS, ORGANIZERS, coordinator_appoint
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Organization.Status
CHANGELIST = reverse("admin:organizations_organization_changelist")


@pytest.fixture
def kazakh(db):
    return OrganizationFactory(name="Kazakh Voice", country="KZ", status=Status.SUBMITTED)


@pytest.fixture
def uzbek(db):
    return OrganizationFactory(name="Uzbek Voice", country="UZ", status=Status.SUBMITTED)


@pytest.fixture
def coordinator_client(client):
    coordinator_appoint(user=UserFactory(username="kz-coordinator"), countries=["KZ", "KG"])
    client.force_login(CountryCoordinator.objects.get().user)
    return client


def test_appointing_makes_staff_in_the_coordinators_group():
    user = UserFactory()

    coordinator_appoint(user=user, countries=["TJ"])

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATORS]
    group = Group.objects.get(name=COORDINATORS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_organization", "view_reviewlogentry", "view_event"} <= codenames
    assert "delete_organization" not in codenames and "change_event" not in codenames


def test_coordinator_sees_and_reviews_only_their_countries(coordinator_client, kazakh, uzbek):
    response = coordinator_client.get(CHANGELIST)

    assert [row.name for row in response.context["cl"].result_list] == ["Kazakh Voice"]
    coordinator_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [kazakh.pk, uzbek.pk]}
    )
    kazakh.refresh_from_db()
    uzbek.refresh_from_db()
    assert kazakh.status == Status.APPROVED
    assert uzbek.status == Status.SUBMITTED


@pytest.mark.parametrize(
    "url",
    [
        lambda uzbek: reverse("admin:organizations_organization_change", args=[uzbek.pk]),
        lambda uzbek: reverse(
            "admin:organizations_organization_decision", args=[uzbek.pk, "approve"]
        ),
        lambda uzbek: reverse("admin:organizations_organization_history", args=[uzbek.pk]),
    ],
)
def test_coordinator_cannot_open_another_countrys_organization(coordinator_client, uzbek, url):
    response = coordinator_client.get(url(uzbek))

    # Not found, as for an object that does not exist (not a redirect to the admin's index).
    assert response.status_code == 404
    assert "Uzbek Voice" not in coordinator_client.get(CHANGELIST).content.decode()


def test_coordinator_sees_memberships_and_log_of_their_countries_only(
    coordinator_client, kazakh, uzbek
):
    MembershipFactory(organization=kazakh, user__email="kz@example.org")
    MembershipFactory(organization=uzbek, user__email="uz@example.org")
    uzbek.review_log.create(to_status=Status.SUBMITTED, reason="Uzbek reason")

    memberships = coordinator_client.get(reverse("admin:organizations_membership_changelist"))
    log = coordinator_client.get(reverse("admin:organizations_reviewlogentry_changelist"))

    assert [m.organization for m in memberships.context["cl"].result_list] == [kazakh]
    assert list(log.context["cl"].result_list) == []


def test_organizers_see_every_country(client, kazakh, uzbek):
    organizer = StaffFactory()
    organizer.groups.add(Group.objects.get(name=ORGANIZERS))
    coordinator_appoint(user=organizer, countries=["KZ"])  # being both does not narrow
    client.force_login(organizer)

    response = client.get(CHANGELIST)

    assert {row.name for row in response.context["cl"].result_list} == {
        "Kazakh Voice",
        "Uzbek Voice",
    }


def test_organizer_appoints_and_dismisses_a_coordinator_in_the_admin(admin_client):
    person = UserFactory(username="future-coordinator")

    admin_client.post(
        reverse("admin:organizations_countrycoordinator_add"),
        {"user": person.pk, "countries": ["TM", "UZ"]},
    )
    coordinator = CountryCoordinator.objects.get(user=person)
    assert [country.code for country in coordinator.countries] == ["TM", "UZ"]
    person.refresh_from_db()
    assert person.is_staff

    admin_client.post(
        reverse("admin:organizations_countrycoordinator_delete", args=[coordinator.pk]),
        {"post": "yes"},
    )
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.exists()
