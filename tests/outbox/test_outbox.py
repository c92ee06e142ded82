"""The outbox in one process: queued with the change, delivered over real SMTP, retried."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from organizations import services
from organizations.models import Organization
from outbox import delivery, queue
from outbox.models import Mail
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Organization.Status
CHANGELIST = reverse("admin:outbox_mail_changelist")


@pytest.fixture
def reviewer(db):
    return StaffFactory(username="reviewer")


@pytest.fixture
def submitted(db):
    organization = OrganizationFactory(name="Zhasyl Qala", status=Status.SUBMITTED)
    MembershipFactory(organization=organization, user=UserFactory(email="aigerim@example.org"))
    return organization


@pytest.fixture
def organizer_client(client):
    organizer = StaffFactory(username="organizer")
    organizer.groups.add(Group.objects.get(name="Organizers"))
    client.force_login(organizer)
    return client


def _message(to="aigerim@example.org", subject="Hello"):
    message = EmailMultiAlternatives(subject, "Plain text", to=[to], cc=["copy@example.org"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("forum.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


def test_a_mail_is_queued_in_the_transaction_of_its_change_and_rolled_back_with_it(
    submitted, reviewer, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.organization_approve(organization=submitted, by=reviewer)
        # Inside the transaction the mail is there, waiting for the commit.
        queued = Mail.objects.get()
        assert queued.status == Mail.Status.QUEUED
        assert queued.to == ["aigerim@example.org"]
        assert "is approved" in queued.subject
        raise Abort

    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not Mail.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_committed_change_delivers_its_mail_after_the_commit(
    submitted, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.organization_approve(organization=submitted, by=reviewer)
        assert mail.outbox == []  # not before the commit

    for callback in callbacks:
        callback()

    sent = Mail.objects.get()
    assert sent.status == Mail.Status.SENT
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert [message.to for message in mail.outbox] == [["aigerim@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == sent.message_id


def test_a_stored_mail_is_the_message_as_built():
    row = Mail.from_message(_message())
    row.save()

    rebuilt = Mail.objects.get().to_message()
    message = rebuilt.message()

    assert rebuilt.subject == "Hello"
    assert rebuilt.body == "Plain text"
    assert rebuilt.to == ["aigerim@example.org"] and rebuilt.cc == ["copy@example.org"]
    assert rebuilt.alternatives[0][:2] == ("<p>HTML</p>", "text/html")
    assert rebuilt.attachments[0][0] == "forum.ics"
    assert message["Message-ID"] == row.message_id
    assert row.message_id.endswith("@testserver>")
    assert b"BEGIN:VCALENDAR" in message.as_bytes()


def test_refused_then_accepted_the_mail_arrives_on_retry_with_the_same_message_id(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.replies = ["451 4.3.0 Try again later"]

    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue([_message()])

    waiting = Mail.objects.get()
    assert smtp_server.refused == 1 and smtp_server.counts() == {}
    assert waiting.status == Mail.Status.QUEUED
    assert waiting.last_error == "451 4.3.0 Try again later"
    delay = (waiting.next_attempt_at - timezone.now()).total_seconds()
    assert 50 < delay <= 66  # the first retry after a minute (plus up to 10 %)
    assert delivery.sweep() == {"sent": 0, "failed": 0}  # not due yet

    Mail.objects.update(next_attempt_at=timezone.now())  # a minute later
    assert delivery.sweep() == {"sent": 1, "failed": 0}

    sent = Mail.objects.get()
    assert sent.status == Mail.Status.SENT and sent.attempts == 2 and sent.last_error == ""
    assert smtp_server.counts() == {sent.message_id: 1}
    received = smtp_server.received[0][1]
    assert received["Subject"] == "Hello"
    assert received["Cc"] == "copy@example.org"


def test_the_mail_server_down_delays_mail_with_growing_pauses():
    # Nothing listens on port 1: every attempt fails to connect.
    assert delivery.retry_delay(1) >= 60
    assert delivery.retry_delay(2) >= 120
    assert delivery.retry_delay(4) >= 480
    assert delivery.retry_delay(30) <= 3600 * 1.1


def test_a_mail_still_failing_after_its_attempts_is_failed_with_the_reason(settings):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    Mail.from_message(_message()).save()

    for _attempt in range(3):
        delivery.sweep()
        Mail.objects.filter(status=Mail.Status.QUEUED).update(next_attempt_at=timezone.now())

    failed = Mail.objects.get()
    assert failed.status == Mail.Status.FAILED
    assert failed.attempts == 3
    assert "ConnectionRefusedError" in failed.last_error


def test_a_mail_refused_for_good_fails_at_once_and_organizers_send_it_again(
    smtp_server, organizer_client, django_capture_on_commit_callbacks
):
    smtp_server.replies = ["550 5.1.1 Mailbox unavailable"]
    Mail.from_message(_message()).save()

    delivery.sweep()
    failed = Mail.objects.get()
    assert failed.status == Mail.Status.FAILED
    assert failed.attempts == 1

    listing = organizer_client.get(CHANGELIST, {"status__exact": "failed"}).content.decode()
    assert "550 5.1.1 Mailbox unavailable" in listing
    assert "aigerim@example.org" in listing
    assert "Plain text" not in listing  # the text may hold someone's sign-in link

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            CHANGELIST, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
        )

    assert "1 email is queued to be sent again." in response.content.decode()
    sent = Mail.objects.get()
    assert sent.status == Mail.Status.SENT
    assert smtp_server.counts() == {sent.message_id: 1}


def test_a_sent_mail_is_not_sent_again_by_the_admin_action(
    organizer_client, django_capture_on_commit_callbacks
):
    row = Mail.from_message(_message())
    row.status, row.sent_at = Mail.Status.SENT, timezone.now()
    row.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            CHANGELIST, {"action": "send_again", "_selected_action": [row.pk]}, follow=True
        )

    assert "1 email was left as it was: it is sent or being sent." in response.content.decode()
    assert Mail.objects.get().status == Mail.Status.SENT
    assert mail.outbox == []


def test_the_outbox_list_and_page_for_organizers(organizer_client, django_assert_max_num_queries):
    for number in range(30):
        Mail.from_message(_message(to=f"person{number}@example.org")).save()
    row = Mail.objects.first()

    with django_assert_max_num_queries(9):
        listing = organizer_client.get(CHANGELIST)
    page = organizer_client.get(reverse("admin:outbox_mail_change", args=[row.pk]))

    assert listing.status_code == 200 and "person29@example.org" in listing.content.decode()
    assert page.status_code == 200 and escape(row.message_id) in page.content.decode()
    assert "Plain text" not in page.content.decode()
    assert organizer_client.get(reverse("admin:outbox_mail_add")).status_code == 403


def test_country_coordinators_do_not_see_the_outbox(client):
    coordinator = StaffFactory(username="coordinator")
    coordinator.groups.add(Group.objects.get(name="Country coordinators"))
    client.force_login(coordinator)

    assert client.get(CHANGELIST).status_code == 403


def test_a_claim_is_exclusive_until_its_lease_runs_out():
    for number in range(3):
        Mail.from_message(_message(to=f"person{number}@example.org")).save()

    first_token, first = delivery.claim()
    assert len(first) == 3
    assert delivery.claim()[1] == []  # a second worker gets nothing meanwhile

    Mail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))  # the worker died
    second_token, second = delivery.claim()
    assert sorted(row.pk for row in second) == sorted(row.pk for row in first)
    assert all(row.attempts == 2 for row in second)

    # The dead worker's late "sent" does not touch the new claim's rows.
    delivery._mark_sent(first[0], first_token)
    assert Mail.objects.get(pk=first[0].pk).claim == second_token


def test_the_broker_down_at_request_time_costs_no_page_and_no_mail(
    client, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    caplog.set_level("INFO", logger="outbox.queue")
    monkeypatch.setattr(queue, "_broker_down_until", 0.0)
    from portal.celery import app

    # A broker that refuses connections (nothing listens on port 1), as when Redis is down.
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    app._after_fork()  # connection pools anew, for that broker
    try:
        UserFactory(email="aigerim@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})
    finally:
        app.conf.update(task_always_eager=True, broker_url="memory://")
        app._after_fork()

    assert response.status_code == 302
    assert "The task broker did not take mails" in caplog.text
    waiting = Mail.objects.get()
    assert waiting.status == Mail.Status.QUEUED and waiting.attempts == 0
    assert mail.outbox == []

    # The next requests do not wait for the broker again; the worker's sweep sends it all.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})
    assert "wait for the outbox's sweep" in caplog.text
    assert delivery.sweep() == {"sent": 2, "failed": 0}
    assert [message.to for message in mail.outbox] == [["aigerim@example.org"]] * 2


def test_old_sent_mail_is_forgotten(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    old, recent = Mail.from_message(_message()), Mail.from_message(_message())
    old.status = recent.status = Mail.Status.SENT
    old.sent_at = timezone.now() - timedelta(days=31)
    recent.sent_at = timezone.now() - timedelta(days=29)
    old.save()
    recent.save()

    delivery.sweep()

    assert list(Mail.objects.all()) == [recent]


def test_bulk_approval_queues_the_mails_and_answers(
    organizer_client, django_capture_on_commit_callbacks
):
    organizations = OrganizationFactory.create_batch(20, status=Status.SUBMITTED)
    for organization in organizations:
        MembershipFactory(organization=organization)

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("admin:organizations_organization_changelist"),
            {"action": "approve", "_selected_action": [o.pk for o in organizations]},
            follow=True,
        )

    assert "20 organizations approved." in response.content.decode()
    assert Mail.objects.filter(status=Mail.Status.SENT).count() == 20
    assert len(mail.outbox) == 20


def test_a_lease_shorter_than_ten_smtp_timeouts_is_refused(settings):
    from outbox.checks import lease_outlasts_a_slow_mail

    settings.EMAIL_TIMEOUT, settings.OUTBOX_LEASE_SECONDS = 20, 300
    assert lease_outlasts_a_slow_mail(None) == []

    settings.OUTBOX_LEASE_SECONDS = 120
    [error] = lease_outlasts_a_slow_mail(None)
    assert error.id == "outbox.E001"


@pytest.fixture
def with_broker(monkeypatch):
    """Tasks go to a broker (recorded here) instead of running in the process."""
    from organizations import tasks
    from portal.celery import app

    published = []
    monkeypatch.setattr(tasks.decide, "delay", lambda *args: published.append(args))
    app.conf.update(task_always_eager=False)
    yield published
    app.conf.update(task_always_eager=True)


def _submitted_batch(count):
    organizations = OrganizationFactory.create_batch(count, status=Status.SUBMITTED)
    for organization in organizations:
        MembershipFactory(organization=organization)
    return organizations


def test_a_bulk_approval_of_many_answers_at_once_and_the_worker_decides(
    organizer_client, with_broker, django_capture_on_commit_callbacks
):
    from organizations import tasks
    from portal.celery import app

    organizations = _submitted_batch(25)
    ids = [o.pk for o in organizations]

    response = organizer_client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "approve", "_selected_action": ids},
        follow=True,
    )

    assert "“Approve” runs in the background for 25 organizations" in response.content.decode()
    assert not Organization.objects.filter(status=Status.APPROVED).exists()
    [(decision, queued_ids, by_id, reason)] = with_broker
    assert (decision, sorted(queued_ids), reason) == ("approve", sorted(ids), "")

    # The worker's turn (its own mails then go out in its process, as without a broker).
    app.conf.update(task_always_eager=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.decide(decision, queued_ids, by_id, reason) == {"done": 25, "refused": 0}

    assert Organization.objects.filter(status=Status.APPROVED).count() == 25
    assert Mail.objects.filter(status=Mail.Status.SENT).count() == 25
    assert set(Organization.objects.values_list("review_log__by", flat=True)) == {by_id}


def test_a_bulk_decision_with_the_broker_down_is_taken_in_the_request(
    organizer_client, monkeypatch, django_capture_on_commit_callbacks
):
    from organizations import tasks
    from portal.celery import app

    def refuse(*args):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.decide, "delay", refuse)
    organizations = _submitted_batch(21)
    unverified = OrganizationFactory(name="Not Confirmed", status=Status.UNVERIFIED)
    selected = [o.pk for o in [*organizations, unverified]]

    app.conf.update(task_always_eager=False)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            response = organizer_client.post(
                reverse("admin:organizations_organization_changelist"),
                {"action": "approve", "_selected_action": selected},
                follow=True,
            )
    finally:
        app.conf.update(task_always_eager=True)
    for callback in callbacks:
        callback()

    content = response.content.decode()
    assert "21 organizations approved." in content
    assert "“Not Confirmed” cannot be approved yet" in content
    assert Organization.objects.filter(status=Status.APPROVED).count() == 21
    assert Mail.objects.filter(status=Mail.Status.SENT).count() == 21
