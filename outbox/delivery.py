"""Delivering the outbox: claim due mails, hand each to the delivery backend, mark it.

Claiming takes due mails (waiting and due, or claimed by a worker whose lease ran out) in a
short transaction, `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serializes
writers), and marks them `sending` with this worker's claim token and a lease. Each mail is
marked `sent` on its own, right after the SMTP server accepted it; a failure puts it back with
its reason and the time of the next attempt (exponential back-off), or marks it `failed` after
OUTBOX_MAX_ATTEMPTS or when the server refuses it for good (5xx for its recipients or content).

A worker killed mid-batch (SIGKILL, a lost machine) leaves its claimed mails `sending`; once
their lease has run out the sweep hands them to another worker. Mails marked `sent` are never
sent again, mails not yet handed to the server are sent once. The one window left is between
the server's "250 accepted" for a mail and the UPDATE that marks it sent (one local query):
a worker killed exactly there sends that mail again after the lease. We choose this (at least
once) over the opposite (a mail marked sent before the server has it can be lost), and the
resent copy carries the same Message-ID, by which receiving systems recognise a duplicate.
"""

import logging
import random
import smtplib
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Mail

logger = logging.getLogger(__name__)

# Mails one claim takes.
BATCH = 50
# A sweep stops claiming after this long; the next sweep goes on.
SWEEP_BUDGET_SECONDS = 600


def _due(now):
    return Q(status=Mail.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Mail.Status.SENDING, lease_until__lt=now
    )


def claim(*, ids=None, limit=BATCH):
    """Take up to `limit` due mails for this worker: (claim token, rows)."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        due = Mail.objects.filter(_due(now))
        if ids is not None:
            due = due.filter(pk__in=ids)
        pks = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return token, []
        Mail.objects.filter(pk__in=pks).update(
            status=Mail.Status.SENDING,
            claim=token,
            lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    return token, list(Mail.objects.filter(claim=token).order_by("next_attempt_at", "pk"))


def retry_delay(attempts):
    """Seconds before the next attempt after `attempts` failed ones: 1, 2, 4 ... times
    OUTBOX_RETRY_SECONDS, at most OUTBOX_RETRY_MAX_SECONDS, plus up to 10 % so that many
    mails that failed together do not all come back at the same second."""
    delay = min(
        settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )
    return delay * (1 + random.random() / 10)


def is_permanent(error):
    """The server refused the mail itself (5xx), not a passing trouble (4xx, down, timeout)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{recipient}: {code} {_text(message)}"
            for recipient, (code, message) in error.recipients.items()
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:2000]


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _mark_sent(row, token):
    Mail.objects.filter(pk=row.pk, claim=token).update(
        status=Mail.Status.SENT,
        sent_at=timezone.now(),
        claim=None,
        lease_until=None,
        last_error="",
    )


def _mark_failed(row, token, error):
    reason = describe(error)
    fields = {"claim": None, "lease_until": None, "last_error": reason}
    if is_permanent(error) or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        fields["status"] = Mail.Status.FAILED
        logger.error("Mail %s failed for good after %s attempts: %s", row.pk, row.attempts, reason)
    else:
        fields["status"] = Mail.Status.QUEUED
        fields["next_attempt_at"] = timezone.now() + timedelta(seconds=retry_delay(row.attempts))
        logger.warning("Mail %s not sent (attempt %s), retrying: %s", row.pk, row.attempts, reason)
    Mail.objects.filter(pk=row.pk, claim=token).update(**fields)


def _release(token, rows):
    """Give back mails this worker claimed but did not try (its time ran out)."""
    Mail.objects.filter(pk__in=[row.pk for row in rows], claim=token).update(
        status=Mail.Status.QUEUED, claim=None, lease_until=None, attempts=F("attempts") - 1
    )


def _close(connection):
    try:
        connection.close()
    except Exception:  # a connection that broke may fail to say goodbye; it is closed anyway
        logger.debug("Closing the mail connection failed", exc_info=True)


def email_timeout():
    return settings.EMAIL_TIMEOUT or 60


def send_claimed(token, rows):
    """Send the claimed rows over one connection; returns (sent, failed)."""
    # A mail is started only while the lease leaves time for a slow one: each of its SMTP
    # steps (connect, EHLO, MAIL, RCPT, DATA, ...) may take up to EMAIL_TIMEOUT.
    deadline = time.monotonic() + settings.OUTBOX_LEASE_SECONDS - 8 * email_timeout()
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    sent = failed = 0
    try:
        for index, row in enumerate(rows):
            if time.monotonic() > deadline:
                _release(token, rows[index:])
                break
            try:
                delivered = connection.send_messages([row.to_message(connection)])
                if not delivered:
                    raise smtplib.SMTPException("The mail backend did not send the message.")
            except Exception as error:
                _close(connection)  # the next mail opens a fresh connection
                _mark_failed(row, token, error)
                failed += 1
            else:
                _mark_sent(row, token)
                sent += 1
    finally:
        _close(connection)
    return sent, failed


def deliver(*, ids=None, limit=BATCH):
    """Claim and send due mails (only these `ids`, if given); returns how many were sent."""
    token, rows = claim(ids=ids, limit=limit)
    if not rows:
        return 0
    return send_claimed(token, rows)[0]


def purge():
    """Forget sent mail after OUTBOX_KEEP_DAYS: its text holds personal links."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    return Mail.objects.filter(status=Mail.Status.SENT, sent_at__lt=cutoff).delete()[0]


def sweep():
    """Send every due mail, batch after batch; returns {"sent": n, "failed": n}."""
    purge()
    totals = {"sent": 0, "failed": 0}
    stop = time.monotonic() + SWEEP_BUDGET_SECONDS
    while time.monotonic() < stop:
        token, rows = claim()
        if not rows:
            break
        sent, failed = send_claimed(token, rows)
        totals["sent"] += sent
        totals["failed"] += failed
    return totals
