"""A real SMTP server on a free local port (aiosmtpd), and the machine's Redis for the worker."""

import asyncio
import os
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

REDIS_URL = os.environ.get("OUTBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts mail and counts it by Message-ID.

    `replies` are answered to DATA, one per message, before the server accepts ("451 ..." for
    a refusal); `gate` closed makes every RCPT wait, so no mail can be accepted meanwhile.
    """

    def __init__(self):
        self.received = []  # (Message-ID, parsed message), in order of acceptance
        self.replies = []
        self.refused = 0
        self.waiting_at_gate = 0
        self.gate = threading.Event()
        self.gate.set()
        self.rcpt_delay = 0.0
        self.close_gate_after = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if not self.gate.is_set():
            with self.lock:
                self.waiting_at_gate += 1
            while not self.gate.is_set():
                await asyncio.sleep(0.02)
            with self.lock:
                self.waiting_at_gate -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.replies:
                self.refused += 1
                return self.replies.pop(0)
            message = message_from_bytes(envelope.original_content)
            self.received.append((message["Message-ID"], message))
            if self.close_gate_after and len(self.received) >= self.close_gate_after:
                self.gate.clear()
        return "250 Message accepted for delivery"

    def counts(self):
        with self.lock:
            return Counter(message_id for message_id, _message in self.received)


@pytest.fixture
def smtp_server(settings):
    """The outbox delivers over real SMTP to this server."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    handler.port = controller.port
    yield handler
    handler.gate.set()
    controller.stop()


@pytest.fixture
def redis_url():
    """The machine's Redis, in a database index of the outbox's tests only (4; the worker test
    empties it). In CI a missing Redis is a failure, not a skip: .ci/run starts it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL} ({error}): .ci/run starts it")
        pytest.skip(f"Redis does not answer at {REDIS_URL} ({error})")
    finally:
        client.close()
    return REDIS_URL


def wait_for(condition, *, timeout, what):
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
