"""Sending a newsletter: one row per recipient, claimed with a lease, marked right after SMTP.

`newsletter_send` writes the recipients (`NewsletterRecipient`, queued) in one transaction and,
once it commits, asks a worker to deliver them. `deliver` claims a batch of due rows in a short
transaction (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serializes writers) with
a lease of NEWSLETTER_LEASE_SECONDS, sends them over one SMTP connection at NEWSLETTER_RATE
mails a second, and marks each row `sent` right after the server accepted it. The connection,
the refusal rules and the back-off are the outbox's (outbox/delivery.py): the same backend
(OUTBOX_DELIVERY_BACKEND, from EMAIL_URL), 5xx is a refusal for good (the address goes to
`RefusedAddress` and later newsletters skip it), 4xx, a timeout or a server that is down come
back later.

A worker killed mid-batch leaves its rows `sending`; once their lease ran out, the sweep
(`news.sweep`, every NEWSLETTER_SWEEP_SECONDS) gives them to another worker. Rows marked `sent`
are never sent again. As in the outbox, the one window left is between the server's "250" and
the UPDATE that marks the row (one local query); a copy sent again from there carries the same
Message-ID, fixed when the row was written.
"""

import logging
import smtplib
import time
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organizations.emails import absolute
from outbox import delivery as outbox_delivery

from . import audience, markdown
from .models import Newsletter, NewsletterRecipient, RefusedAddress, Subscription
from .subscriptions import unsubscribe_token

logger = logging.getLogger(__name__)

Status = NewsletterRecipient.Status
# Rows one claim takes (fewer when the rate would not send them within half the lease).
BATCH = 50
# A delivery task sends for this long at most, then hands over to a new task (so a worker
# restart or a deployment never waits for a whole newsletter).
TASK_BUDGET_SECONDS = 60


# --- Writing the recipients ------------------------------------------------------------------


def newsletter_send(newsletter_id):
    """Write one queued row per recipient and start sending (after the commit).

    Returns the number of recipients; None when the newsletter is already sending or sent."""
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().filter(pk=newsletter_id).first()
        if newsletter is None or not newsletter.is_editable:
            return None
        people = audience.recipients(newsletter)
        NewsletterRecipient.objects.bulk_create(
            [
                NewsletterRecipient(
                    newsletter=newsletter,
                    email=email,
                    name=name[:300],
                    language=language,
                    country=country,
                )
                for email, name, language, country in people
            ],
            batch_size=1000,
        )
        now = timezone.now()
        newsletter.status = Newsletter.Status.SENDING if people else Newsletter.Status.SENT
        newsletter.started_at = now
        newsletter.finished_at = None if people else now
        newsletter.save(update_fields=["status", "started_at", "finished_at", "updated_at"])
        if people:
            transaction.on_commit(partial(schedule, newsletter.pk), robust=True)
    return len(people)


def schedule(newsletter_id, tasks_count=None):
    """Ask workers to deliver, NEWSLETTER_TASKS tasks side by side (in this process when there
    is no broker); a broker that is down loses nothing: the sweep starts the delivery later."""
    from . import tasks

    try:
        for _task in range(tasks_count or settings.NEWSLETTER_TASKS):
            tasks.deliver.delay(newsletter_id)
    except Exception:
        logger.warning(
            "The task broker did not take newsletter %s: the sweep will send it.",
            newsletter_id,
            exc_info=True,
        )


# --- Claiming and sending --------------------------------------------------------------------


def _due(now):
    return Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )


def lease_seconds():
    return settings.NEWSLETTER_LEASE_SECONDS


def batch_size():
    rate = settings.NEWSLETTER_RATE / max(settings.NEWSLETTER_TASKS, 1)
    if rate <= 0:
        return BATCH
    return max(1, min(BATCH, int(rate * lease_seconds() / 2)))


def claim(newsletter_id, *, limit=None):
    """Take up to `limit` due rows of this newsletter for this worker: (claim token, rows)."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        pks = list(
            NewsletterRecipient.objects.filter(_due(now), newsletter_id=newsletter_id)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[: limit or batch_size()]
        )
        if not pks:
            return token, []
        NewsletterRecipient.objects.filter(pk__in=pks).update(
            status=Status.SENDING,
            claim=token,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
    return token, list(NewsletterRecipient.objects.filter(claim=token).order_by("pk"))


class Renderer:
    """The newsletter's mail for each recipient: subject and body in their language (the
    Markdown rendered once a language), their own unsubscribe links."""

    def __init__(self, newsletter):
        self.newsletter = newsletter
        self._parts = {}
        self._bodies = {}
        self.preferences_url = absolute(reverse("news:preferences"))

    def parts(self, language):
        if language not in self._parts:
            with translation.override(language):
                body = self.newsletter.body
                self._parts[language] = (
                    self.newsletter.subject,
                    markdown.render(body),
                    body.strip(),
                )
        return self._parts[language]

    # Each language's text and HTML are rendered once, with this in place of the recipient's
    # own unsubscribe address (URL-safe, so escaping leaves both alike).
    MARKER = "https://unsubscribe.invalid/marker/"

    def bodies(self, language, subject_prefix=""):
        key = (language, subject_prefix)
        if key not in self._bodies:
            subject, body_html, body_text = self.parts(language)
            context = {
                "subject": f"{subject_prefix}{subject}",
                "body_html": body_html,
                "body_text": body_text,
                "unsubscribe_url": self.MARKER,
                "preferences_url": self.preferences_url,
            }
            with translation.override(language):
                self._bodies[key] = (
                    context["subject"],
                    render_to_string("emails/newsletter.txt", context),
                    render_to_string("emails/newsletter.html", context),
                )
        return self._bodies[key]

    def message(self, *, email, language, message_id, connection=None, subject_prefix=""):
        subject, text, html = self.bodies(language, subject_prefix)
        unsubscribe_url = absolute(
            reverse("news:unsubscribe", kwargs={"token": unsubscribe_token(email)})
        )
        text = text.replace(self.MARKER, unsubscribe_url)
        html = html.replace(self.MARKER, unsubscribe_url)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[email],
            connection=connection,
            headers={
                "Message-ID": message_id,
                # RFC 8058: a mail client unsubscribes with one POST to this address.
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def _skip_unsubscribed(token, rows):
    """Rows whose address withdrew its consent (or was refused) since the rows were written."""
    emails = [row.email for row in rows]
    subscribed = set(
        Subscription.objects.filter(email__in=emails, subscribed=True).values_list(
            "email", flat=True
        )
    )
    refused = set(RefusedAddress.objects.filter(email__in=emails).values_list("email", flat=True))
    skipped = [row for row in rows if row.email not in subscribed or row.email in refused]
    if skipped:
        NewsletterRecipient.objects.filter(pk__in=[row.pk for row in skipped], claim=token).update(
            status=Status.SKIPPED, claim=None, lease_until=None
        )
    return [row for row in rows if row not in skipped]


def _mark_sent(row, token):
    NewsletterRecipient.objects.filter(pk=row.pk, claim=token).update(
        status=Status.SENT, sent_at=timezone.now(), claim=None, lease_until=None, smtp_answer=""
    )


def _mark_failed(row, token, error):
    answer = outbox_delivery.describe(error)
    fields = {"claim": None, "lease_until": None, "smtp_answer": answer}
    if outbox_delivery.is_permanent(error):
        fields["status"] = Status.FAILED
        RefusedAddress.objects.get_or_create(
            email=row.email, defaults={"reason": answer, "newsletter_id": row.newsletter_id}
        )
        logger.warning("Newsletter %s: %s refused for good: %s", row.newsletter_id, row.pk, answer)
    elif row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        fields["status"] = Status.FAILED
    else:
        fields["status"] = Status.QUEUED
        fields["next_attempt_at"] = timezone.now() + timedelta(
            seconds=outbox_delivery.retry_delay(row.attempts)
        )
    NewsletterRecipient.objects.filter(pk=row.pk, claim=token).update(**fields)


def _release(token, rows):
    NewsletterRecipient.objects.filter(pk__in=[row.pk for row in rows], claim=token).update(
        status=Status.QUEUED, claim=None, lease_until=None, attempts=F("attempts") - 1
    )


class Pacer:
    """At most NEWSLETTER_RATE mails a second in all (0: no limit): each of the
    NEWSLETTER_TASKS tasks that send side by side takes its share."""

    def __init__(self):
        self.rate = settings.NEWSLETTER_RATE / max(settings.NEWSLETTER_TASKS, 1)
        self.start = time.monotonic()
        self.sent = 0

    def wait(self):
        if self.rate > 0:
            due = self.start + self.sent / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self.sent += 1


def send_claimed(newsletter, token, rows, *, renderer=None, pacer=None):
    """Send the claimed rows over one connection; returns (sent, failed)."""
    renderer = renderer or Renderer(newsletter)
    pacer = pacer or Pacer()
    rows = _skip_unsubscribed(token, rows)
    deadline = time.monotonic() + lease_seconds() - 8 * outbox_delivery.email_timeout()
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
    sent = failed = 0
    try:
        for index, row in enumerate(rows):
            if time.monotonic() > deadline:
                _release(token, rows[index:])
                break
            pacer.wait()
            try:
                message = renderer.message(
                    email=row.email,
                    language=row.language,
                    message_id=row.message_id,
                    connection=connection,
                )
                if not connection.send_messages([message]):
                    raise smtplib.SMTPException("The mail backend did not send the message.")
            except Exception as error:
                outbox_delivery._close(connection)  # the next mail opens a fresh connection
                _mark_failed(row, token, error)
                failed += 1
            else:
                _mark_sent(row, token)
                sent += 1
    finally:
        outbox_delivery._close(connection)
    return sent, failed


def finish_if_done(newsletter_id):
    """Mark the newsletter sent once no row waits or is being sent."""
    waiting = NewsletterRecipient.objects.filter(
        newsletter_id=newsletter_id, status__in=[Status.QUEUED, Status.SENDING]
    ).exists()
    if not waiting:
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )
    return not waiting


def deliver(newsletter_id, *, budget_seconds=TASK_BUDGET_SECONDS):
    """Send due rows of the newsletter for up to `budget_seconds`; returns (sent, more): more
    is True when due rows are left for another task."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None or newsletter.status != Newsletter.Status.SENDING:
        return 0, False
    renderer, pacer = Renderer(newsletter), Pacer()
    stop = time.monotonic() + budget_seconds
    total = 0
    while time.monotonic() < stop:
        token, rows = claim(newsletter_id)
        if not rows:
            finish_if_done(newsletter_id)
            return total, False
        sent, _failed = send_claimed(newsletter, token, rows, renderer=renderer, pacer=pacer)
        total += sent
    due = NewsletterRecipient.objects.filter(_due(timezone.now()), newsletter_id=newsletter_id)
    return total, due.exists()


def sweep():
    """Periodic: start the scheduled newsletters that are due, hand rows whose lease ran out
    (a worker died) or whose retry is due to a worker, mark finished newsletters sent."""
    now = timezone.now()
    started = 0
    for pk in Newsletter.objects.filter(
        status=Newsletter.Status.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True):
        if newsletter_send(pk) is not None:
            started += 1
    resumed = 0
    for pk in Newsletter.objects.filter(status=Newsletter.Status.SENDING).values_list(
        "pk", flat=True
    ):
        rows = NewsletterRecipient.objects.filter(newsletter_id=pk)
        if finish_if_done(pk):
            continue
        working = rows.filter(status=Status.SENDING, lease_until__gte=now).exists()
        if not working and rows.filter(_due(now)).exists():
            schedule(pk)
            resumed += 1
    return {"started": started, "resumed": resumed}


def progress(newsletter):
    counts = dict(
        NewsletterRecipient.objects.filter(newsletter=newsletter)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    done = counts.get(Status.SENT, 0) + counts.get(Status.FAILED, 0) + counts.get(Status.SKIPPED, 0)
    return {
        "status": newsletter.status,
        "status_label": str(newsletter.get_status_display()),
        "total": total,
        "sent": counts.get(Status.SENT, 0),
        "failed": counts.get(Status.FAILED, 0),
        "skipped": counts.get(Status.SKIPPED, 0),
        "waiting": counts.get(Status.QUEUED, 0) + counts.get(Status.SENDING, 0),
        "done": done,
        "percent": round(100 * done / total) if total else 100,
    }


def send_test(newsletter, *, to):
    """A copy in each language the newsletter is written in (its subject given in that
    language; the others would repeat one of these) to `to`, the organizer, through the outbox
    like any mail."""
    from outbox.models import new_message_id

    renderer = Renderer(newsletter)
    messages = []
    written = [
        code for code, _name in settings.LANGUAGES if getattr(newsletter, f"subject_{code}", "")
    ]
    for language in written or [settings.LANGUAGE_CODE]:
        with translation.override(language):
            prefix = translation.gettext("[Test] ")
        messages.append(
            renderer.message(
                email=to, language=language, message_id=new_message_id(), subject_prefix=prefix
            )
        )
    connection = get_connection()
    return connection.send_messages(messages)
