import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import Mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link_in_the_portal_frame(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="aigerim@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert Mail.objects.get().status == Mail.Status.SENT


def test_password_reset_with_the_mail_server_down_is_no_error(
    client, settings, django_capture_on_commit_callbacks
):
    # A real SMTP connection to a closed port: the mail server is down. The page says the same
    # as when the server is up, and the mail waits in the outbox for its next attempt.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    UserFactory(email="aigerim@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    queued = Mail.objects.get()
    assert queued.status == Mail.Status.QUEUED
    assert queued.to == ["aigerim@example.org"]
    assert "ConnectionRefusedError" in queued.last_error
