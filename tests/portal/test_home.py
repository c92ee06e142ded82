import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from organizations.models import Organization
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_home_shows_next_published_forum(client):
    today = timezone.localdate()
    EventFactory(title_en="Past forum", start_date=today - datetime.timedelta(days=30))
    EventFactory(
        title_en="Draft forum",
        status=Event.Status.DRAFT,
        start_date=today + datetime.timedelta(days=5),
    )
    EventFactory(
        title_en="Sixth forum", city_en="Bishkek", start_date=today + datetime.timedelta(days=10)
    )

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["next_forum"].title == "Sixth forum"
    content = response.content.decode()
    assert "Bishkek" in content
    assert "Draft forum" not in content
    assert response.context["last_forum"].title == "Past forum"


def test_home_without_events_invites_registration(client):
    response = client.get(reverse("home"))

    assert response.context["next_forum"] is None
    assert reverse("organizations:register") in response.content.decode()


def test_home_counts_only_public_approved_organizations(client):
    OrganizationFactory.create_batch(2, country="KZ")
    OrganizationFactory(country="UZ")
    OrganizationFactory(visibility=Organization.Visibility.HIDDEN)
    OrganizationFactory(status=Organization.Status.SUBMITTED)

    response = client.get(reverse("home"))

    assert response.context["organization_count"] == 3
    assert response.context["country_count"] == 2


def test_home_query_count_does_not_grow_with_events(
    client, django_assert_max_num_queries, steady_generation
):
    EventFactory()
    with django_assert_max_num_queries(5):
        client.get(reverse("home"))
    EventFactory.create_batch(5)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    upcoming = [response.context["next_forum"], *response.context["upcoming_events"]]
    assert len(upcoming) == 4
    assert all(event.title in response.content.decode() for event in upcoming)


def test_home_frame_has_landmarks_and_skip_link(client):
    content = client.get(reverse("home")).content.decode()

    assert 'href="#main"' in content
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    assert 'name="language"' in content
    # Every asset comes from our own static files.
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', content) == []


def test_home_in_russian(client):
    response = client.get(reverse("home"), headers={"accept-language": "ru"})

    assert response.headers["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()
    assert "Сеть в цифрах" in response.content.decode()


def test_home_recalls_the_most_recent_forum_with_its_dates(client):
    EventFactory(
        title_en="Fifth EU–Central Asia Civil Society Forum",
        city_en="Almaty",
        start_date=datetime.date(2025, 1, 28),
        end_date=datetime.date(2025, 1, 30),
    )

    content = client.get(reverse("home")).content.decode()

    assert "Most recent forum" in content
    assert "Fifth EU–Central Asia Civil Society Forum" in content
    assert "28–30 January 2025" in content
    assert "Almaty, Kazakhstan" in content
