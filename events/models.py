import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class EventQuerySet(models.QuerySet):
    def published(self):
        """Visible to visitors: published, and cancelled ones (shown as cancelled)."""
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, today=None):
        return self.filter(end_date__gte=today or timezone.localdate()).order_by("start_date")

    def past(self, today=None):
        return self.filter(end_date__lt=today or timezone.localdate()).order_by("-start_date")

    def visible_to(self, user):
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Almaty", validators=[validate_time_zone]
    )
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    how_to_take_part = models.TextField(_("how to take part"), blank=True)
    themes = models.ManyToManyField(
        "organizations.FocusArea", related_name="events", blank=True, verbose_name=_("themes")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Delegates in all; empty for no limit.")
    )
    max_delegates_per_organization = models.PositiveSmallIntegerField(
        _("delegates per organization"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class CountryQuota(models.Model):
    """How many delegates one country may send to an event."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="country_quotas", verbose_name=_("event")
    )
    country = CountryField(_("country"))
    quota = models.PositiveIntegerField(_("delegates"))

    class Meta:
        verbose_name = _("country quota")
        verbose_name_plural = _("country quotas")
        constraints = [
            models.UniqueConstraint(fields=["event", "country"], name="one_quota_per_country"),
        ]

    def __str__(self):
        return f"{self.country.name}: {self.quota}"


class Track(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self):
        return self.name


class Room(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return self.name


class Speaker(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    honorific = models.CharField(
        _("honorific"), max_length=60, blank=True, help_text=_("For example: H.E., Dr, Prof.")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speakers",
        verbose_name=_("organization in the network"),
    )
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
    precedence = models.PositiveSmallIntegerField(
        _("order of precedence"),
        default=100,
        help_text=_("Lower comes first in protocol order."),
    )

    class Meta:
        ordering = ["precedence", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:speaker", kwargs={"slug": self.slug})


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PANEL = "panel", _("Panel discussion")
        WORKSHOP = "workshop", _("Workshop")
        SIDE_EVENT = "side_event", _("Side event")
        NETWORKING = "networking", _("Networking")
        CEREMONY = "ceremony", _("Ceremony")
        BREAK = "break", _("Break")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PANEL)
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("track"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    interpretation = models.CharField(
        _("interpretation"),
        max_length=100,
        blank=True,
        help_text=_("For example: simultaneous interpretation English–Russian."),
    )
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats to book; empty for no booking.")
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        related_name="sessions",
        verbose_name=_("speakers"),
    )

    class Meta:
        ordering = ["starts_at", "room__name"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="session_slug_unique_in_event"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:session", kwargs={"event_slug": self.event.slug, "slug": self.slug})


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote speaker")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("session")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("speaker")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "speaker__precedence", "speaker__name"]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session"),
        ]

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display()})"
