"""The outbox: every email the portal sends, written in the transaction of the change that
causes it and delivered afterwards by a task (outbox/delivery.py)."""

import base64
import uuid
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_message_id():
    """A Message-ID fixed when the mail is queued: a retry or a resend after a crash carries the
    same one, so a receiving system can tell it is the same message."""
    domain = urlsplit(settings.PORTAL_URL or settings.PORTAL_DEFAULT_URL).hostname or "localhost"
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)


def _content(value):
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return {"text": value}


def _restore(content):
    if "base64" in content:
        return base64.b64decode(content["base64"])
    return content["text"]


class Mail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    from_email = models.CharField(pgettext_lazy("email", "from"), max_length=320)
    to = models.JSONField(pgettext_lazy("email", "to"), default=list)
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    bcc = models.JSONField(_("blind copy to"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    subject = models.TextField(pgettext_lazy("email", "subject"))
    body = models.TextField(_("text"))
    content_subtype = models.CharField(max_length=20, default="plain")
    alternatives = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker's claim: the mail is its own until lease_until (then any worker may take it).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("reason of the last failure"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return self.subject

    @property
    def recipients(self):
        return [*self.to, *self.cc, *self.bcc]

    @classmethod
    def from_message(cls, message):
        """The row that stores an EmailMessage (or EmailMultiAlternatives) as it was built."""
        headers = dict(message.extra_headers)
        message_id = next(
            (headers.pop(key) for key in list(headers) if key.lower() == "message-id"), None
        )
        attachments = []
        for attachment in message.attachments:
            if hasattr(attachment, "get_payload"):  # a MIMEBase part
                filename = attachment.get_filename()
                content = attachment.get_payload(decode=True)
                mimetype = attachment.get_content_type()
            else:
                filename, content, mimetype = attachment
            attachments.append({"filename": filename, "mimetype": mimetype, **_content(content)})
        return cls(
            message_id=message_id or new_message_id(),
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            headers=headers,
            subject=message.subject,
            body=message.body,
            content_subtype=message.content_subtype,
            alternatives=[
                {"mimetype": mimetype, **_content(content)}
                for content, mimetype in getattr(message, "alternatives", [])
            ],
            attachments=attachments,
        )

    def to_message(self, connection=None):
        """The EmailMessage to hand to the delivery backend, with the stored Message-ID."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            bcc=self.bcc,
            reply_to=self.reply_to,
            headers={**self.headers, "Message-ID": self.message_id},
            connection=connection,
        )
        message.content_subtype = self.content_subtype
        for alternative in self.alternatives:
            message.attach_alternative(_restore(alternative), alternative["mimetype"])
        for attachment in self.attachments:
            message.attach(attachment["filename"], _restore(attachment), attachment["mimetype"])
        return message


def forget_recipient(email):
    """Delete every mail to, or copied to, this address (an erased person): sent or not, its
    text holds their name and links. Returns how many went."""
    quoted = f'"{email}"'  # a whole address in the JSON lists, not a part of a longer one
    mails = Mail.objects.filter(
        models.Q(to__icontains=quoted)
        | models.Q(cc__icontains=quoted)
        | models.Q(bcc__icontains=quoted)
    )
    return mails.delete()[0]
