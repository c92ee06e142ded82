"""Benchmark the outbox: bulk approval of 200 organizations, and 1,000 mails through a worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make bench-mail

Recreates a separate database named after DATABASE_URL's with a `_mailbench` suffix, seeds 200
organizations waiting for review (each with its owner), starts a real SMTP server (aiosmtpd) on
a free local port and `celery worker` (2 processes) the production way (DEBUG off), then
measures: the admin's *Approve* action on all 200 at once (the request's time, then until the
worker has approved them all and the SMTP server has their mails), and 1,000 mails queued in one
transaction until the SMTP server has accepted all of them. Everything runs on 127.0.0.1.
"""

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ORGANIZATIONS = 200
MAILS = 1000
ROUNDS = 3


def database_urls(what="bench-mail", suffix="_mailbench"):
    """(maintenance URL, the benchmark database's URL, its name) from DATABASE_URL; `what` names
    the benchmark in the messages (bench/newsletter.py uses it too)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(f"{what} needs DATABASE_URL on PostgreSQL (see README.md, Performance).")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit(f"{what} needs CELERY_BROKER_URL on Redis (see README.md, Performance).")
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'portal'}{suffix}"
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{name}")),
        name,
    )


@contextlib.contextmanager
def celery_worker(env, concurrency=2):
    """`celery worker` the production way, started with `env` and stopped warmly at the end
    (bench/run.py and bench/newsletter.py start theirs here too); yields its process."""
    worker = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency",
         str(concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: the main process stops its pool
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def recreate_database(maintenance, name):
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Counting:
    """An aiosmtpd handler that accepts every mail and counts them and their recipients (also
    used by bench/newsletter.py)."""

    def __init__(self):
        self.count = 0
        self.recipients = set()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def main():
    maintenance, url, name = database_urls()
    queue_name = f"mailbench-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "HTTPS_ONLY": "0",
            "CELERY_QUEUE": queue_name,
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )
    print(f"Recreating {name} and migrating ...", flush=True)
    recreate_database(maintenance, name)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Organization

    user_model = get_user_model()
    organizer = user_model.objects.create_user("organizer", "organizer@example.org", is_staff=True)
    organizer.groups.add(Group.objects.get(name="Organizers"))
    for number in range(ORGANIZATIONS):
        organization = Organization.objects.create(
            name=f"Bench Organization {number}",
            slug=f"bench-organization-{number}",
            country="KZ",
            city="Almaty",
            description="Works on clean air.",
            status=Organization.Status.SUBMITTED,
        )
        owner = user_model.objects.create_user(
            f"owner{number}@example.org", f"owner{number}@example.org"
        )
        Membership.objects.create(user=owner, organization=organization, role=Membership.Role.OWNER)
    ids = list(Organization.objects.values_list("pk", flat=True))

    from aiosmtpd.controller import Controller

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}", "CONN_MAX_AGE": "60"}
    try:
        with celery_worker(env):
            time.sleep(5)  # the worker's start
            bulk_approval(ids, organizer, handler)
            deliver_many(handler)
    finally:
        controller.stop()
        import redis

        client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        keys = list(client.scan_iter(match=f"*{queue_name}*"))
        if keys:
            client.delete(*keys)


def wait_until(condition, timeout=300):
    stop = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < stop:
        time.sleep(0.02)
    return time.perf_counter()


def bulk_approval(ids, organizer, handler):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from organizations.models import Organization

    client = Client()
    client.force_login(organizer)
    changelist = reverse("admin:organizations_organization_changelist")
    timings, worker_times, mail_times = [], [], []
    for _round in range(ROUNDS):
        Organization.objects.update(status=Organization.Status.SUBMITTED, approved_at=None)
        handler.count = 0
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(changelist, {"action": "approve", "_selected_action": ids})
        answered = time.perf_counter()
        assert response.status_code == 302, response.status_code
        approved = Organization.objects.filter(status=Organization.Status.APPROVED)
        decided = wait_until(lambda approved=approved: approved.count() == ORGANIZATIONS)
        mailed = wait_until(lambda: handler.count >= ORGANIZATIONS)
        timings.append(answered - start)
        worker_times.append(decided - start)
        mail_times.append(mailed - start)
    print(
        f"Bulk approval of {ORGANIZATIONS} organizations (admin action): the request answers in "
        f"{statistics.median(timings) * 1000:.0f} ms (median of {ROUNDS}: "
        f"{', '.join(f'{t * 1000:.0f}' for t in timings)} ms; {len(queries)} SQL queries); "
        f"the worker has approved all {statistics.median(worker_times):.1f} s and the SMTP "
        f"server has their {ORGANIZATIONS} mails {statistics.median(mail_times):.1f} s after "
        f"the click; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def deliver_many(handler):
    from django.core.mail import EmailMessage
    from django.db import transaction

    from outbox import queue
    from outbox.models import Mail

    Mail.objects.all().delete()
    handler.count = 0
    messages = [
        EmailMessage(f"Mail {n}", "A short text, as most of the portal's mails are. " * 10,
                     to=[f"person{n}@example.org"])
        for n in range(MAILS)
    ]  # fmt: skip
    start = time.perf_counter()
    with transaction.atomic():
        queue.enqueue(messages)
    committed = time.perf_counter()
    delivered = wait_until(lambda: handler.count >= MAILS)
    sent = Mail.objects.filter(status=Mail.Status.SENT)
    wait_until(lambda: sent.count() == MAILS, timeout=30)
    print(
        f"{MAILS} mails: queued in {(committed - start) * 1000:.0f} ms (one transaction), "
        f"all accepted by the SMTP server {delivered - committed:.1f} s after the commit "
        f"({handler.count / (delivered - committed):.0f} mails/s; {sent.count()} marked sent); "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
