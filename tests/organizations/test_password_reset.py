import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link_in_the_portal_frame(client):
    UserFactory(email="aigerim@example.org")

    response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_with_the_mail_server_down_is_no_error(client, settings):
    # A real SMTP connection to a closed port: the mail server is down. Django logs the
    # failure; the page says the same as when the email went out.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    UserFactory(email="aigerim@example.org")

    response = client.post(reverse("password_reset"), {"email": "aigerim@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
