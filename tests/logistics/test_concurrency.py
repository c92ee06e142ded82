"""Ten staff scan one badge at the same moment: one check-in.

Each thread has its own connection and transaction, as web workers would (see
tests/events/test_delegates_concurrency.py); the unique constraint decides, on PostgreSQL and on
SQLite alike."""

import threading

import pytest
from django.db import connection

from events.models import Delegate
from logistics import services
from logistics.models import CheckIn
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 10


def test_ten_simultaneous_check_ins_of_one_badge_give_one(forum_today):
    delegate = DelegateFactory(event=forum_today)
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    staff = [UserFactory() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def scan(number):
        try:
            barrier.wait(timeout=10)
            results.append(services.check_in(badge=badge, by=staff[number]))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert CheckIn.objects.filter(badge=badge).count() == 1
    assert sum(result.created for result in results) == 1
    first = CheckIn.objects.get(badge=badge)
    assert all(result.check_in.pk == first.pk for result in results)
    assert sum(result.already for result in results) == THREADS - 1
