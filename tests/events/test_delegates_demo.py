"""The demo shows delegates at the sixth forum, and its CSO account can register more."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from events.models import Delegate, Event
from tests.events.conftest import delegate_values

pytestmark = pytest.mark.django_db

SIXTH = "sixth-eu-central-asia-civil-society-forum"


def test_seed_demo_adds_delegates_and_quotas_to_the_sixth_forum_once(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    event = Event.objects.get(slug=SIXTH)
    delegates = Delegate.objects.filter(event=event)
    assert delegates.count() == 14
    assert set(delegates.values_list("status", flat=True)) == {"confirmed"}
    assert set(delegates.values_list("organization__country", flat=True)) == {
        "KZ",
        "KG",
        "TJ",
        "TM",
        "UZ",
    }
    assert all("Demo-" in name for name in delegates.values_list("full_name", flat=True))
    assert event.country_quotas.count() == 5
    assert event.registration_opens_at < event.registration_closes_at
    assert event.max_delegates_per_organization == 3
    assert not Delegate.objects.filter(event__slug="fifth-eu-central-asia-civil-society-forum")


def test_demo_cso_registers_a_delegate_at_the_sixth_forum(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    event = Event.objects.get(slug=SIXTH)
    if event.registration_state != "open":
        pytest.skip("the demo's registration window is over")
    client.force_login(get_user_model().objects.get(username="demo-cso"))

    response = client.post(reverse("events:my-delegate-add", args=[SIXTH]), delegate_values())

    assert response.status_code == 302
    delegate = Delegate.objects.get(email="dana@example.org")
    assert (delegate.organization.name, delegate.status) == ("Zhasyl Qala (demo)", "confirmed")
