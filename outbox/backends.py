"""EMAIL_BACKEND of the portal: "sending" an email writes it to the outbox.

So every path that sends mail (the portal's services, Django's password reset, anything that
calls `send_mail`) queues it in the current transaction; the worker delivers it through
OUTBOX_DELIVERY_BACKEND (the backend from EMAIL_URL).
"""

from django.core.mail.backends.base import BaseEmailBackend

from . import queue


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        messages = [message for message in email_messages if message.recipients()]
        return len(queue.enqueue(messages))
