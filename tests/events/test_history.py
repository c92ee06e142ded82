"""The history of changes: who changed what, when, from what to what, in the admin and the shell."""

import io
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.admin.history import changes_between
from events.models import CountryQuota, Delegate, Event, Session
from organizations.roles import coordinator_appoint
from tests.events.conftest import delegate_values
from tests.events.test_admin_programme import change_form_data
from tests.factories import (
    CountryQuotaFactory,
    DelegateFactory,
    EventFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_client(client, organizer):
    organizer.first_name, organizer.last_name = "Olga", "Organizer"
    organizer.save()
    client.force_login(organizer)
    return client


def _history_page(client, model, pk):
    url = reverse(f"admin:events_{model._meta.model_name}_history", args=[pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_event_edited_in_the_admin_records_who_changed_what(organizer_client, organizer, forum):
    forum.capacity = 100
    forum.save()
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    data.update(capacity="150", title_ru="Пятый форум")

    response = organizer_client.post(url, data)

    assert response.status_code == 302
    latest = forum.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == organizer
    delta = changes_between(latest, latest.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("capacity", 100, 150),
        ("title_ru", None, "Пятый форум"),
    }
    page = _history_page(organizer_client, Event, forum.pk)
    assert "History of changes: Fifth Forum" in page
    assert "Olga Organizer" in page
    assert "<strong>Capacity:</strong> 100 → 150" in page
    assert "<strong>Title [ru]:</strong> — → Пятый форум" in page


def test_a_quota_changed_on_the_events_page_shows_in_the_events_history(
    organizer_client, organizer, forum
):
    quota = CountryQuotaFactory(event=forum, country="KG", quota=5)
    url = reverse("admin:events_event_change", args=[forum.pk])
    data = change_form_data(organizer_client.get(url))
    data["country_quotas-0-quota"] = "8"

    organizer_client.post(url, data)

    record = quota.history.latest()
    assert (record.quota, record.history_user) == (8, organizer)
    page = _history_page(organizer_client, Event, forum.pk)
    assert "Country quotas" in page
    assert "<strong>Delegates:</strong> 5 → 8" in page


def test_a_session_edited_in_the_admin_shows_its_change(organizer_client, forum, opening):
    url = reverse("admin:events_session_change", args=[opening.pk])
    data = change_form_data(organizer_client.get(url))
    data["kind"] = "workshop"

    assert organizer_client.post(url, data).status_code == 302

    page = _history_page(organizer_client, Session, opening.pk)
    assert "<strong>Kind:</strong> Plenary → Workshop" in page


def test_services_record_the_person_they_were_given(member, organizer, open_forum):
    organization = member.memberships.get().organization
    open_forum.capacity = 1
    open_forum.save()
    first = services.delegate_register(
        event=open_forum, organization=organization, by=member, **delegate_values()
    )
    second = services.delegate_register(
        event=open_forum,
        organization=organization,
        by=member,
        **delegate_values(full_name="Second Person", email="second@example.org"),
    )
    assert second.status == Delegate.Status.WAITLISTED

    services.delegate_cancel(delegate=first, by=organizer)

    created = first.history.earliest()
    assert (created.history_type, created.history_user) == ("+", member)
    cancelled = first.history.latest()
    assert (cancelled.status, cancelled.history_user) == ("cancelled", organizer)
    # The seat the organizer freed went to the waiting list: the promotion is theirs too.
    promoted = Delegate.objects.get(pk=second.pk).history.latest()
    assert (promoted.status, promoted.history_user) == ("confirmed", organizer)


def test_an_event_published_from_the_shell_names_its_author(organizer):
    event = EventFactory(status=Event.Status.DRAFT)

    services.event_publish(event=event, by=organizer)

    record = event.history.latest()
    assert (record.status, record.history_user) == ("published", organizer)
    assert record.prev_record.status == "draft"


def test_a_copied_edition_starts_the_history_of_its_quotas(organizer, forum):
    CountryQuotaFactory(event=forum, country="TJ", quota=4)

    copy = services.event_copy_as_next_edition(event=forum, by=organizer)

    quota = copy.country_quotas.get()
    assert [(r.history_type, r.quota, r.history_user) for r in quota.history.all()] == [
        ("+", 4, organizer)
    ]
    assert copy.history.get().history_user == organizer


def test_a_delegate_removed_in_the_admin_leaves_a_deleted_record(organizer_client, organizer):
    delegate = DelegateFactory()
    url = reverse("admin:events_delegate_delete", args=[delegate.pk])

    organizer_client.post(url, {"post": "yes"})

    record = Delegate.history.filter(id=delegate.pk).latest()
    assert (record.history_type, record.history_user) == ("-", organizer)


def test_the_history_cannot_revert_a_delegate(organizer_client):
    delegate = DelegateFactory(full_name="Dana Nurlanovna")
    delegate.full_name = "Dana N."
    delegate.save()
    old = delegate.history.earliest()
    url = reverse("admin:events_delegate_simple_history", args=[delegate.pk, old.history_id])

    assert organizer_client.get(url).status_code == 200
    response = organizer_client.post(url, {"full_name": "Dana Nurlanovna"})

    assert response.status_code == 405
    delegate.refresh_from_db()
    assert delegate.full_name == "Dana N."


def test_a_coordinator_sees_the_history_of_their_countries_only(client):
    coordinator = UserFactory(username="kz-coordinator")
    coordinator_appoint(user=coordinator, countries=["KZ"])
    client.force_login(coordinator)
    ours = DelegateFactory(organization=OrganizationFactory(country="KZ"))
    theirs = DelegateFactory(organization=OrganizationFactory(country="UZ"))

    ours_page = client.get(reverse("admin:events_delegate_history", args=[ours.pk]))
    theirs_page = client.get(reverse("admin:events_delegate_history", args=[theirs.pk]))
    old = theirs.history.get()
    theirs_version = client.get(
        reverse("admin:events_delegate_simple_history", args=[theirs.pk, old.history_id])
    )

    assert ours_page.status_code == 200
    assert ours.full_name in ours_page.content.decode()
    assert (theirs_page.status_code, theirs_version.status_code) == (404, 404)


def test_the_history_page_is_in_russian(organizer_client, forum):
    forum.capacity = 10
    forum.save()
    forum.capacity = 20
    forum.save()

    url = reverse("admin:events_event_history", args=[forum.pk])
    page = organizer_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "История изменений" in page
    assert "Изменено" in page


def test_bulk_writes_leave_no_history(open_forum):
    """Seeding writes in bulk: no history rows, so it stays as fast as before."""
    organization = OrganizationFactory()
    Delegate.objects.bulk_create(
        Delegate(
            event=open_forum,
            organization=organization,
            full_name=f"Person {n}",
            email=f"p{n}@example.org",
            position="Officer",
        )
        for n in range(50)
    )
    CountryQuota.objects.bulk_create([CountryQuota(event=open_forum, country="KZ", quota=3)])

    assert Delegate.history.count() == 0
    assert CountryQuota.history.count() == 0


@pytest.mark.parametrize("model", [Event, Delegate])
def test_history_pages_run_a_fixed_number_of_queries(
    organizer_client, forum, model, django_assert_num_queries
):
    obj = DelegateFactory(event=forum) if model is Delegate else forum
    quota = CountryQuotaFactory(event=forum, country="KG", quota=1)

    def change(times):
        for n in range(times):
            obj.refresh_from_db()
            if model is Delegate:
                obj.position = f"Officer {n}"
            else:
                obj.capacity = 100 + n
            obj.save()
            quota.quota += 1
            quota.save()

    change(1)
    url = reverse(f"admin:events_{model._meta.model_name}_history", args=[obj.pk])
    organizer_client.get(url)  # warms the content types' cache
    with CaptureQueriesContext(connection) as few:
        organizer_client.get(url)
    change(10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = organizer_client.get(url)
    assert response.content.decode().count("<strong>") >= 10


def test_loading_the_demo_again_records_no_change():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    assert Event.history.count() == Session.history.count() == Delegate.history.count() == 0
    assert Event.objects.exists() and Delegate.objects.exists()


@pytest.mark.parametrize("model", [Event, Session])
def test_an_old_version_of_an_event_or_session_can_be_read(organizer_client, forum, opening, model):
    obj = forum if model is Event else opening
    obj.refresh_from_db()
    obj.save()
    old = obj.history.earliest()
    url = reverse(
        f"admin:events_{model._meta.model_name}_simple_history", args=[obj.pk, old.history_id]
    )

    response = organizer_client.get(url)

    assert response.status_code == 200
    assert f"As it was: {obj}" in response.content.decode()


def test_a_fresh_process_knows_the_history_rows_that_point_at_a_user():
    """Deleting a user must clear `history_user` on its history rows (SET_NULL).

    Only a fresh process shows it: the relation is missing from the user model's cached
    relations when the historical models were added after they were first computed.
    """
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from events.models import Delegate\n"
        "fields = get_user_model()._meta.get_fields(include_hidden=True)\n"
        "print(any(getattr(f, 'related_model', None) is Delegate.history.model for f in fields))\n"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr
