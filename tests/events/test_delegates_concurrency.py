"""Twenty people take the last five seats at the same moment: five get them, fifteen wait.

Each thread has its own database connection and its own transaction, as two web workers would:
on PostgreSQL they wait on the event's row lock, on SQLite (a file database in the tests, see
tests/settings.py) on the database's write lock. Without the lock the seats are oversold.
"""

import threading

import pytest
from django.db import connection

from events import services
from events.models import Delegate
from tests.events.conftest import delegate_values
from tests.factories import DelegateFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20
ROUNDS = 10


def _race(event, organizations, round_number):
    barrier = threading.Barrier(THREADS)
    errors = []

    def take_a_seat(number):
        try:
            barrier.wait(timeout=10)
            services.delegate_register(
                event=event,
                organization=organizations[number % len(organizations)],
                by=None,
                **delegate_values(
                    full_name=f"Round {round_number} person {number}",
                    email=f"r{round_number}-p{number}@example.org",
                ),
            )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_a_seat, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_twenty_threads_take_the_last_five_seats_exactly(open_forum):
    _rounds(open_forum, ROUNDS)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transaction modes")
def test_the_event_lock_holds_on_sqlite_without_immediate_transactions(open_forum, monkeypatch):
    """With deferred transactions only the service's own lock (an UPDATE first) serializes."""
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    _rounds(open_forum, 3)


def _rounds(open_forum, rounds):
    organizations = [OrganizationFactory(country=code) for code in ("KZ", "KG", "UZ", "TJ")]
    for round_number in range(rounds):
        event = type(open_forum).objects.get(pk=open_forum.pk)
        event.capacity = 10 * (round_number + 1)
        event.save(update_fields=["capacity"])
        already = Delegate.objects.filter(event=event, status=Delegate.Status.CONFIRMED).count()
        DelegateFactory.create_batch(
            event.capacity - 5 - already, event=event, organization=organizations[0]
        )

        errors = _race(event, organizations, round_number)

        assert errors == []
        this_round = Delegate.objects.filter(
            event=event, full_name__startswith=f"Round {round_number} "
        )
        assert this_round.filter(status=Delegate.Status.CONFIRMED).count() == 5
        assert this_round.filter(status=Delegate.Status.WAITLISTED).count() == 15
        assert Delegate.objects.filter(event=event, status="confirmed").count() == event.capacity
        # The waiting list has one place per person, in the order the seats were decided.
        positions = [
            d.waitlist_position
            for d in this_round.with_waitlist_position().filter(status="waitlisted")
        ]
        assert sorted(positions) == list(range(15 * round_number + 1, 15 * round_number + 16))
