"""The demo shows delegates at the sixth forum, and its CSO account can register more."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate, Event
from portal import demo
from tests.events.conftest import delegate_values

pytestmark = pytest.mark.django_db

SIXTH = "sixth-eu-central-asia-civil-society-forum"
FIFTH = "fifth-eu-central-asia-civil-society-forum"


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
    assert event.registration_state == "open"
    client.force_login(get_user_model().objects.get(username="demo-cso"))

    response = client.post(reverse("events:my-delegate-add", args=[SIXTH]), delegate_values())

    assert response.status_code == 302
    delegate = Delegate.objects.get(email="dana@example.org")
    assert (delegate.organization.name, delegate.status) == ("Zhasyl Qala (demo)", "confirmed")


@pytest.mark.parametrize(
    "today", [datetime.date(2026, 12, 2), datetime.date(2027, 1, 20), datetime.date(2031, 6, 30)]
)
def test_the_next_forum_lies_ahead_with_registration_open_whatever_the_day(today):
    dates = demo.next_forum_dates(today)
    now = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)

    assert today < dates["start_date"] < dates["end_date"]
    assert (dates["end_date"] - dates["start_date"]).days == 2
    assert dates["registration_opens_at"] < now < dates["registration_closes_at"]
    assert dates["registration_closes_at"].date() < dates["start_date"]
    assert demo.FIFTH_FORUM["end_date"] < today


def test_seed_demo_moves_the_next_forum_to_the_day_it_runs(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    event = Event.objects.get(slug=SIXTH)
    Event.objects.filter(pk=event.pk).update(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 3)
    )

    call_command("seed_demo", verbosity=0)

    event.refresh_from_db()
    assert event.start_date == demo.next_forum_dates(timezone.localdate())["start_date"]
    assert Event.objects.registration_open().filter(slug=SIXTH).exists()
    assert Event.objects.get(slug=FIFTH).is_past
