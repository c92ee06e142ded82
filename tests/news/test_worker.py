"""A real Celery worker (with its scheduler) on Redis sends a newsletter, is killed with SIGKILL
in the middle and started again: every recipient gets it exactly once, counted at the SMTP
server by Message-ID and by recipient."""

import os
import signal
import uuid
from collections import Counter

import pytest
from celery import Celery

from news import sending, subscriptions
from news.models import Newsletter, NewsletterRecipient
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.news.factories import NewsletterFactory
from tests.outbox.conftest import wait_for
from tests.outbox.test_worker import Worker, _database_url, _empty_redis

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 40
ACCEPT_BEFORE_KILL = 10
Status = NewsletterRecipient.Status


def _counts(newsletter):
    rows = NewsletterRecipient.objects.filter(newsletter=newsletter)
    return {status: rows.filter(status=status).count() for status in Status.values}


def test_a_worker_killed_mid_send_and_restarted_sends_each_recipient_exactly_once(
    smtp_server, redis_url, tmp_path, monkeypatch
):
    organization = OrganizationFactory()
    for n in range(RECIPIENTS):
        email = f"member{n}@example.org"
        MembershipFactory(
            organization=organization,
            user=UserFactory(username=email, email=email),
            role="editor",
            language="ru" if n % 2 else "en",
        )
        subscriptions.subscribe(email=email)
    newsletter = NewsletterFactory()
    # The rows are written here; the worker gets the task below, on its own queue.
    monkeypatch.setattr(sending, "schedule", lambda pk, **kwargs: None)
    assert sending.newsletter_send(newsletter.pk) == RECIPIENTS

    queue_name = f"news-test-{uuid.uuid4().hex[:12]}"
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
        "NEWSLETTER_LEASE_SECONDS": "5",
        "NEWSLETTER_SWEEP_SECONDS": "1",
        "NEWSLETTER_RATE": "0",
        # A mail that timed out at the held RCPT comes back a second later.
        "OUTBOX_RETRY_SECONDS": "1",
    }
    # After ten mails the server holds every RCPT: none can be accepted meanwhile, so once the
    # worker marked the accepted ones sent, none is between "accepted" and "sent".
    smtp_server.close_gate_after = ACCEPT_BEFORE_KILL
    producer = Celery(broker=redis_url)
    producer.send_task("news.deliver", args=[newsletter.pk], queue=queue_name)

    first = Worker(tmp_path, env, "first")
    try:
        wait_for(lambda: not smtp_server.gate.is_set(), timeout=40, what="ten mails accepted")
        accepted = len(smtp_server.received)
        wait_for(
            lambda: _counts(newsletter)[Status.SENT] == accepted,
            timeout=10,
            what="the accepted mails marked sent",
        )
        first.kill(signal.SIGKILL)
    except AssertionError:
        first.kill()
        raise AssertionError(first.tail()) from None

    left = _counts(newsletter)
    assert left[Status.SENT] == accepted < RECIPIENTS
    assert left[Status.SENDING] + left[Status.QUEUED] == RECIPIENTS - accepted
    assert left[Status.SENDING] > 0  # claimed by the dead worker, mid-batch

    smtp_server.close_gate_after = None
    smtp_server.gate.set()
    second = Worker(tmp_path, env, "second")
    try:
        wait_for(
            lambda: _counts(newsletter)[Status.SENT] == RECIPIENTS,
            timeout=60,
            what="every recipient sent",
        )
        wait_for(
            lambda: Newsletter.objects.get(pk=newsletter.pk).status == Newsletter.Status.SENT,
            timeout=10,
            what="the newsletter marked sent",
        )
    except AssertionError:
        raise AssertionError(second.tail()) from None
    finally:
        second.kill(signal.SIGTERM)
        producer.close()
        _empty_redis(redis_url)

    by_message_id = smtp_server.counts()
    rows = NewsletterRecipient.objects.filter(newsletter=newsletter)
    assert sorted(by_message_id) == sorted(rows.values_list("message_id", flat=True))
    assert set(by_message_id.values()) == {1}
    by_recipient = Counter(message["To"].lower() for message in smtp_server.messages())
    assert sorted(by_recipient) == sorted(f"member{n}@example.org" for n in range(RECIPIENTS))
    assert set(by_recipient.values()) == {1}
