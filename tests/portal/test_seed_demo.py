import pytest
from django.core.management import call_command

from events.models import Event, Session, SessionSpeaker, Speaker
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Event.objects.count(),
        Session.objects.count(),
        Speaker.objects.count(),
        SessionSpeaker.objects.count(),
        Organization.objects.count(),
    )


def test_seed_demo_creates_the_fifth_forum_and_is_idempotent(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)

    assert _counts() == first
    forum = Event.objects.get(edition=5)
    assert forum.city == "Almaty"
    assert (forum.start_date.isoformat(), forum.end_date.isoformat()) == (
        "2025-01-28",
        "2025-01-30",
    )
    days = {session.starts_at.astimezone(forum.tzinfo).date() for session in forum.sessions.all()}
    assert len(days) == 3
    assert set(Speaker.objects.values_list("name", flat=True)) >= {
        "Aleška Simkić",
        "Roman Vassilenko",
        "Stephen O’Malley",
    }
    assert Event.objects.filter(edition=6, status=Event.Status.PUBLISHED).exists()


def test_seed_demo_organizations_are_fictional_and_spread_over_five_countries(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)

    organizations = Organization.objects.all()
    assert 35 <= organizations.count() <= 45
    assert set(organizations.values_list("country", flat=True)) == {"KZ", "KG", "TJ", "TM", "UZ"}
    assert all("(demo)" in name for name in organizations.values_list("name", flat=True))


def test_seed_demo_creates_accounts_only_with_debug(settings, django_user_model):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not django_user_model.objects.exists()

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert django_user_model.objects.filter(username="organizer", is_staff=True).exists()
