"""Queueing mail: a row in the current transaction, and a delivery task once it commits."""

import logging
import time
from functools import partial

from django.db import connection, transaction

from .models import Mail

logger = logging.getLogger(__name__)

# Mails a delivery task takes at once; more in one commit are split over several tasks, which
# several worker processes then deliver side by side.
TASK_BATCH = 50


def enqueue(messages):
    """Write the messages to the outbox; they are delivered after the transaction commits (at
    once when there is no transaction), and never if it rolls back."""
    rows = [Mail.from_message(message) for message in messages]
    if not rows:
        return []
    if connection.features.can_return_rows_from_bulk_insert:
        Mail.objects.bulk_create(rows, batch_size=500)
    else:  # a database that does not return the new keys from a bulk insert
        for row in rows:
            row.save(force_insert=True)
    transaction.on_commit(partial(schedule, [row.pk for row in rows]), robust=True)
    return rows


# After the broker failed to take a task, requests stop asking it for this long (its client
# retries a refused connection for about two seconds): the sweep sends their mail instead.
BROKER_PAUSE_SECONDS = 30
_broker_down_until = 0.0


def schedule(ids):
    """Ask a worker to deliver these mails (in this process when there is no broker).

    A broker that is down loses nothing: the mails wait in the outbox for the periodic sweep.
    """
    global _broker_down_until
    from . import tasks

    if time.monotonic() < _broker_down_until:
        logger.info("The task broker is down: mails %s wait for the outbox's sweep.", ids)
        return
    for start in range(0, len(ids), TASK_BATCH):
        chunk = ids[start : start + TASK_BATCH]
        try:
            tasks.deliver.delay(chunk)
        except Exception:
            _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
            logger.warning(
                "The task broker did not take mails %s: the outbox's sweep will send them.",
                ids[start:],
                exc_info=True,
            )
            return
