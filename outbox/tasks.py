from celery import shared_task

from . import delivery


@shared_task(name="outbox.deliver")
def deliver(ids):
    """Deliver these mails (those still waiting and due; others are skipped)."""
    return delivery.deliver(ids=ids)


@shared_task(name="outbox.sweep")
def sweep():
    """Periodic: deliver every due mail (retries, lost tasks, claims of dead workers)."""
    return delivery.sweep()
