"""A real SMTP server (aiosmtpd) on a free local port for the newsletter tests, counting what it
accepted by recipient and Message-ID, refusing chosen addresses for good (550) or for now (451)."""

import pytest
from aiosmtpd.controller import Controller

from tests.outbox.conftest import REDIS_URL, RecordingHandler, free_port
from tests.outbox.conftest import redis_url as redis_url  # noqa: F401 (a fixture, re-exported)

__all__ = ["REDIS_URL"]


class NewsletterSMTPHandler(RecordingHandler):
    def __init__(self):
        super().__init__()
        self.refuse_for_good = set()
        self.refuse_once = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_for_good:
            return "550 5.1.1 No such mailbox here"
        if address.lower() in self.refuse_once:
            self.refuse_once.discard(address.lower())
            return "451 4.7.1 Try again later"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    def messages(self):
        with self.lock:
            return [message for _message_id, message in self.received]

    def by_recipient(self):
        return {message["To"].lower(): message for message in self.messages()}


@pytest.fixture
def smtp_server(settings):
    handler = NewsletterSMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.NEWSLETTER_RATE = 0
    handler.port = controller.port
    yield handler
    handler.gate.set()
    controller.stop()
