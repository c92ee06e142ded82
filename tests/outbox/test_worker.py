"""A real Celery worker process on the machine's Redis, killed with SIGKILL in the middle of a
batch and started again: every mail reaches the SMTP server exactly once."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.core.mail import EmailMessage
from django.db import connection

from outbox.models import Mail
from tests.outbox.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
MAILS = 40
ACCEPT_BEFORE_KILL = 10


def _database_url():
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


class Worker:
    """`celery worker --beat` in its own process group, as `make worker` starts it."""

    def __init__(self, tmp_path, env, name):
        self.log = tmp_path / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "--beat",
            "--schedule", str(tmp_path / f"{name}-schedule"), "--concurrency", "2",
            "--loglevel", "INFO", "--hostname", f"{name}-{uuid.uuid4().hex[:8]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def kill(self, sig=signal.SIGKILL, timeout=15):
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def tail(self):
        return self.log.read_text()[-3000:]


def _counts():
    return {
        status: Mail.objects.filter(status=status).count()
        for status in (Mail.Status.QUEUED, Mail.Status.SENDING, Mail.Status.SENT)
    }


def test_a_worker_killed_mid_batch_and_restarted_delivers_each_mail_exactly_once(
    smtp_server, redis_url, tmp_path
):
    queue_name = f"outbox-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_QUEUE": queue_name,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "EMAIL_TIMEOUT": "0.5",
        "OUTBOX_LEASE_SECONDS": "5",
        "OUTBOX_SWEEP_SECONDS": "1",
        # A mail that timed out at the held RCPT comes back a second later.
        "OUTBOX_RETRY_SECONDS": "1",
    }
    rows = [
        Mail.from_message(EmailMessage(f"Mail {n}", "Text", to=[f"person{n}@example.org"]))
        for n in range(MAILS)
    ]
    for row in rows:
        row.save()
    ids = [row.pk for row in rows]

    # After ten mails, the server holds every RCPT: no further mail can be accepted, so once
    # the worker has marked the accepted ones sent, none is between "accepted" and "sent".
    smtp_server.close_gate_after = ACCEPT_BEFORE_KILL
    producer = Celery(broker=redis_url)
    for start in range(0, MAILS, 10):
        producer.send_task("outbox.deliver", args=[ids[start : start + 10]], queue=queue_name)

    first = Worker(tmp_path, env, "first")
    try:
        wait_for(lambda: not smtp_server.gate.is_set(), timeout=30, what="ten mails accepted")
        accepted = len(smtp_server.received)
        wait_for(
            lambda: _counts()[Mail.Status.SENT] == accepted,
            timeout=10,
            what="the accepted mails marked sent",
        )
        first.kill(signal.SIGKILL)
    except AssertionError:
        first.kill()
        raise AssertionError(first.tail()) from None

    left = _counts()
    assert left[Mail.Status.SENT] == accepted < MAILS
    assert left[Mail.Status.SENDING] > 0  # claimed by the dead worker, mid-batch

    smtp_server.close_gate_after = None
    smtp_server.gate.set()
    second = Worker(tmp_path, env, "second")
    try:
        wait_for(lambda: _counts()[Mail.Status.SENT] == MAILS, timeout=40, what="every mail sent")
    except AssertionError:
        raise AssertionError(second.tail()) from None
    finally:
        second.kill(signal.SIGTERM)
        producer.close()
        _empty_redis(redis_url)

    counts = smtp_server.counts()
    assert sorted(counts) == sorted(row.message_id for row in rows)
    assert set(counts.values()) == {1}


def _empty_redis(redis_url):
    """Empty the tests' own Redis database: the killed worker's unacknowledged tasks too."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
