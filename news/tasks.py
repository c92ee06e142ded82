from celery import shared_task

from . import sending


@shared_task(name="news.deliver")
def deliver(newsletter_id):
    """Send a newsletter's due recipients for a while, then hand over to a new task."""
    sent, more = sending.deliver(newsletter_id)
    if more:
        sending.schedule(newsletter_id, tasks_count=1)  # this task's successor
    return sent


@shared_task(name="news.sweep")
def sweep():
    """Periodic: scheduled newsletters that are due, and the rows of a worker that died."""
    return sending.sweep()
