"""News posts on the site, and newsletters to the people of the network who asked for them.

- `Post`: a news item in English and Russian (Markdown, rendered safely by news/markdown.py).
- `Subscription`: one address's newsletter consent (opted in, with the text version and time),
  or its withdrawal. Newsletters go to opted-in addresses only.
- `RefusedAddress`: an address the mail server refused for good (5xx): skipped from then on.
- `Newsletter`: subject and body in both languages and its audience (filters).
- `NewsletterRecipient`: one row per person a newsletter goes to, claimed with a lease and
  marked sent right after the SMTP server accepted it (news/sending.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from outbox.models import new_message_id


def country_q(code, field="countries"):
    """Rows whose multiple CountryField (stored as "KZ,UZ") holds the whole code `code`."""
    code = code.upper()
    return (
        models.Q(**{field: code})
        | models.Q(**{f"{field}__startswith": f"{code},"})
        | models.Q(**{f"{field}__endswith": f",{code}"})
        | models.Q(**{f"{field}__contains": f",{code},"})
    )


class PostQuerySet(models.QuerySet):
    def public(self):
        """Published and due: what visitors see."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(
        _("summary"), max_length=500, blank=True, help_text=_("One or two sentences for lists.")
    )
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists, headings with #."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("Set when the post is published; a later time publishes it then."),
    )
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    focus_areas = models.ManyToManyField(
        "organizations.FocusArea", related_name="posts", blank=True, verbose_name=_("themes")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("event"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [models.Index(fields=["status", "-published_at"], name="news_post_public")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def normalize_email(email):
    return (email or "").strip().lower()


class Subscription(models.Model):
    """An address's newsletter consent: given (with the text's version and time) or withdrawn."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
        verbose_name=_("account"),
    )
    subscribed = models.BooleanField(_("receives newsletters"), default=False)
    # The language of the page where the person opted in: used when nothing else says theirs.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class RefusedAddress(models.Model):
    """An address the mail server refused for good (5xx): later newsletters skip it."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    reason = models.TextField(_("the server's answer"), blank=True)
    refused_at = models.DateTimeField(_("refused at"), default=timezone.now)
    newsletter = models.ForeignKey(
        "Newsletter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("newsletter"),
    )

    class Meta:
        verbose_name = _("refused address")
        verbose_name_plural = _("refused addresses")
        ordering = ["-refused_at"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)


class Newsletter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class People(models.TextChoices):
        MEMBERS = "members", _("All members of the organizations")
        CONTACTS = "contacts", _("The organizations' contact persons")
        DELEGATES = "delegates", _("Delegates of an event")

    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists, headings with #."),
    )
    # The audience.
    people = models.CharField(
        _("who receives it"), max_length=10, choices=People.choices, default=People.MEMBERS
    )
    countries = CountryField(
        _("organizations' countries"),
        multiple=True,
        blank=True,
        help_text=_("None chosen: every country."),
    )
    focus_areas = models.ManyToManyField(
        "organizations.FocusArea",
        related_name="+",
        blank=True,
        verbose_name=_("organizations' focus areas"),
        help_text=_("None chosen: any focus area."),
    )
    organization_statuses = models.JSONField(_("organizations' statuses"), default=list, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
        help_text=_("For delegates of an event."),
    )
    delegate_statuses = models.JSONField(_("delegates' statuses"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class NewsletterRecipient(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: unsubscribed meanwhile")

    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("newsletter"),
    )
    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # The organization's country: country coordinators see their countries' recipients only.
    country = CountryField(_("country"), blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=255, unique=True, default=new_message_id
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    smtp_answer = models.TextField(_("the server's answer"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter recipient")
        verbose_name_plural = _("newsletter recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"], name="news_recipient_once_per_newsletter"
            )
        ]
        indexes = [
            models.Index(
                fields=["newsletter", "status", "next_attempt_at"], name="news_recipient_due"
            )
        ]

    def __str__(self):
        return self.email
