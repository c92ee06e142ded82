"""The Celery application: background work (the outbox's mail) on a Redis broker.

Without `CELERY_BROKER_URL` tasks run in the process that queues them (eager), so the portal
needs nothing but itself in development and in most tests. `make worker` starts a worker with
the scheduler of periodic tasks (`CELERY_BEAT_SCHEDULE` in the settings).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
