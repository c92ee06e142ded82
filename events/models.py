import datetime
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .materials import validate_pdf

# Paths under /events/ that an event's slug would otherwise shadow.
RESERVED_EVENT_SLUGS = {"feed"}


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def _time_zone_of(event):
    """The event's time zone, or None while it is missing or misspelt."""
    try:
        return event.tzinfo if event is not None else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def can_preview_drafts(user):
    return user.is_authenticated and user.is_staff and user.has_perm("events.view_event")


class EventQuerySet(models.QuerySet):
    def public(self):
        """Shown to visitors: published events, and cancelled ones (marked as cancelled)."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def open(self):
        """Published and not cancelled: the events that take place as announced."""
        return self.filter(status=Event.Status.PUBLISHED)

    def upcoming(self, today=None):
        return self.filter(end_date__gte=today or timezone.localdate()).order_by("start_date")

    def past(self, today=None):
        return self.filter(end_date__lt=today or timezone.localdate()).order_by("-start_date")

    def registration_open(self, now=None):
        """Published events whose registration window is open now (a window must be set)."""
        now = now or timezone.now()
        return self.open().filter(
            models.Q(registration_opens_at__isnull=False)
            | models.Q(registration_closes_at__isnull=False),
            models.Q(registration_opens_at__isnull=True) | models.Q(registration_opens_at__lte=now),
            models.Q(registration_closes_at__isnull=True)
            | models.Q(registration_closes_at__gt=now),
            end_date__gte=timezone.localdate(now),
        )

    def attended_by(self, organization, today=None):
        """Events that took place with a confirmed delegate of `organization`."""
        return (
            self.open()
            .filter(
                end_date__lt=today or timezone.localdate(),
                delegates__organization=organization,
                delegates__status=Delegate.Status.CONFIRMED,
            )
            .distinct()
        )

    def visible_to(self, user):
        """Who may read events in the admin also previews drafts on the public pages."""
        if can_preview_drafts(user):
            return self.all()
        return self.public()


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("From the airport and the city centre: transport, entrance, landmarks."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Of the venue, in degrees (for example 43.23841): for the map."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Of the venue, in degrees (for example 76.94571): for the map."),
    )
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

    def clean(self):
        errors = {}
        if self.slug in RESERVED_EVENT_SLUGS:
            errors["slug"] = _("“%(slug)s” is reserved for another page; choose another slug.") % {
                "slug": self.slug
            }
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both the latitude and the longitude of the venue, or neither."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_map(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_past(self):
        return self.end_date < timezone.localdate(timezone=self.tzinfo)

    @property
    def days(self):
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    def day_bounds(self, day):
        """The aware instants at which `day` begins and ends in the event's own time zone."""
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tzinfo)
        end = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.tzinfo
        )
        return start, end

    @property
    def utc_offset(self):
        """The offset on the first day, as people write it: "UTC+5", "UTC+5:30", "UTC"."""
        return self.utc_offset_at(self.day_bounds(self.start_date)[0])

    def time_zone_at(self, moment):
        """The event's zone at `moment`, named for a deadline: "UTC+6, Asia/Bishkek"."""
        return f"{self.utc_offset_at(moment)}, {self.time_zone}"

    def utc_offset_at(self, moment):
        local = timezone.localtime(moment, self.tzinfo)
        minutes = int(local.utcoffset().total_seconds() // 60)
        if not minutes:
            return "UTC"
        sign = "+" if minutes > 0 else "−"
        hours, minutes = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")

    @property
    def registration_state(self):
        """ "open", "not_yet", "closed" or "" when no window is set."""
        if not (self.registration_opens_at or self.registration_closes_at):
            return ""
        now = timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if self.registration_closes_at and now >= self.registration_closes_at:
            return "closed"
        return "open"


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


class SpeakerQuerySet(models.QuerySet):
    def public(self):
        """Speakers of at least one published (or cancelled) event: a draft's names stay private."""
        return self.filter(
            models.Exists(
                SessionSpeaker.objects.filter(
                    speaker=models.OuterRef("pk"),
                    session__event__status__in=PUBLIC_STATUSES,
                )
            )
        )


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

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["precedence", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:speaker", kwargs={"slug": self.slug})

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def initials(self):
        return "".join(word[0] for word in self.name.split()[:2] if word).upper()


class SessionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(event__status__in=PUBLIC_STATUSES)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class OnlineAccess(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    DELEGATES = "delegates", _("Confirmed delegates only")
    BEFORE_START = "before_start", _("Everyone, shortly before the start")


class Session(models.Model):
    OnlineAccess = OnlineAccess

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PANEL = "panel", _("Panel discussion")
        WORKSHOP = "workshop", _("Workshop")
        SIDE_EVENT = "side_event", _("Side event")
        NETWORKING = "networking", _("Networking")
        CEREMONY = "ceremony", _("Ceremony")
        BREAK = "break", _("Break")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("A stream or a video call, for people who follow the session online."),
    )
    online_access = models.CharField(
        _("who gets the online link"),
        max_length=12,
        choices=OnlineAccess.choices,
        default=OnlineAccess.PUBLIC,
    )
    online_opens_minutes = models.PositiveSmallIntegerField(
        _("link shown minutes before the start"),
        default=15,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("For “everyone, shortly before the start” only."),
    )
    recording_url = models.URLField(
        _("recording"), max_length=500, blank=True, help_text=_("A link to the recording.")
    )
    materials = models.FileField(
        _("materials (PDF)"),
        upload_to="sessions/materials/",
        blank=True,
        validators=[validate_pdf],
        help_text=_("Slides or handouts as one PDF file."),
    )
    # Calendar programs replace an entry whose SEQUENCE grew: bumped when time or room change.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        if self.pk is not None:
            before = (
                Session.objects.filter(pk=self.pk)
                .values("starts_at", "ends_at", "room_id", "title_en", "sequence")
                .first()
            )
            if before is not None and (
                before["starts_at"] != self.starts_at
                or before["ends_at"] != self.ends_at
                or before["room_id"] != self.room_id
                or before["title_en"] != self.title_en
            ):
                self.sequence = before["sequence"] + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:session", kwargs={"event_slug": self.event.slug, "slug": self.slug})

    def get_calendar_url(self):
        return reverse(
            "events:session-calendar", kwargs={"event_slug": self.event.slug, "slug": self.slug}
        )

    @property
    def has_public_online_link(self):
        return bool(self.online_url) and self.online_access == OnlineAccess.PUBLIC

    def online_opens_at(self):
        return self.starts_at - datetime.timedelta(minutes=self.online_opens_minutes)

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()

    def clean(self):
        try:
            event = self.event
        except ObjectDoesNotExist:
            event = None
        errors = {}
        times_known = self.starts_at is not None and self.ends_at is not None
        if times_known and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if event is not None:
            for field in ("track", "room"):
                related = getattr(self, field)
                if related is not None and (event.pk is None or related.event_id != event.pk):
                    errors[field] = _("Choose a %(what)s of this event.") % {
                        "what": related._meta.verbose_name
                    }
            if times_known and "ends_at" not in errors:
                errors.update(self._check_within_event(event))
        if times_known and not errors and self.room_id is not None:
            clash = (
                Session.objects.overlapping(self.starts_at, self.ends_at)
                .filter(room_id=self.room_id)
                .exclude(pk=self.pk)
                .order_by("starts_at")
                .first()
            )
            if clash is not None:
                tz = _time_zone_of(event)
                starts_at = timezone.localtime(clash.starts_at, tz)
                ends_at = timezone.localtime(clash.ends_at, tz)
                errors["room"] = _(
                    "%(room)s is already booked for “%(session)s” on %(day)s from %(start)s "
                    "to %(end)s."
                ) % {
                    "room": self.room,
                    "session": clash.title,
                    "day": formats.date_format(starts_at, "DATE_FORMAT"),
                    "start": formats.time_format(starts_at, "H:i"),
                    "end": formats.time_format(ends_at, "H:i"),
                }
        if errors:
            raise ValidationError(errors)

    def _check_within_event(self, event):
        if not (event.start_date and event.end_date):
            return {}
        if _time_zone_of(event) is None:
            return {}  # the event's own time zone field reports the mistake
        first, _end = event.day_bounds(event.start_date)
        _start, last = event.day_bounds(event.end_date)
        message = _(
            "The session must take place during the event, from %(first)s to %(last)s "
            "(in the event's time zone, %(time_zone)s)."
        ) % {
            "first": formats.date_format(event.start_date, "DATE_FORMAT"),
            "last": formats.date_format(event.end_date, "DATE_FORMAT"),
            "time_zone": event.time_zone,
        }
        if self.starts_at < first or self.starts_at >= last:
            return {"starts_at": message}
        if self.ends_at > last:
            return {"ends_at": message}
        return {}


class SessionSpeakerQuerySet(models.QuerySet):
    def in_protocol_order(self):
        """Order of precedence, then role (keynote, speaker, moderator), then the set order."""
        return self.select_related("speaker").order_by(
            "speaker__precedence", role_rank(), "order", "speaker__name"
        )

    def clashing_with(self, session):
        """Other bookings of this session's speakers at overlapping times, in any event."""
        return (
            self.filter(
                speaker__in=SessionSpeaker.objects.filter(session=session).values("speaker"),
                session__starts_at__lt=session.ends_at,
                session__ends_at__gt=session.starts_at,
            )
            .exclude(session=session)
            .select_related("speaker", "session__event")
            .order_by("session__starts_at", "speaker__name")
        )


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

    objects = SessionSpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "speaker__precedence", "speaker__name"]
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session"),
        ]

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display()})"


PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.CANCELLED]


def role_rank(field="role"):
    """Protocol ranks roles in the order they are declared: keynote, speaker, moderator."""
    return models.Case(
        *(
            models.When(**{field: role}, then=models.Value(rank))
            for rank, role in enumerate(SessionSpeaker.Role.values)
        ),
        default=models.Value(len(SessionSpeaker.Role.values)),
        output_field=models.PositiveSmallIntegerField(),
    )


# --- Delegates ---------------------------------------------------------------------------------


class DelegateQuerySet(models.QuerySet):
    def active(self):
        """Confirmed or waiting: the ones who count for the email's uniqueness."""
        return self.filter(status__in=Delegate.ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=Delegate.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Delegate.Status.WAITLISTED)

    def waiting_list(self):
        """The waiting list in its order: first come, first served."""
        return self.waitlisted().order_by("waitlisted_at", "pk")

    def with_waitlist_position(self):
        """Annotate `waitlist_position` (1 for the first waiting) in the same query."""
        ahead = Delegate.objects.filter(
            event=models.OuterRef("event"), status=Delegate.Status.WAITLISTED
        ).filter(
            models.Q(waitlisted_at__lt=models.OuterRef("waitlisted_at"))
            | models.Q(
                waitlisted_at=models.OuterRef("waitlisted_at"), pk__lte=models.OuterRef("pk")
            )
        )
        position = models.Subquery(
            ahead.order_by().values("event").annotate(n=models.Count("pk")).values("n")[:1],
            output_field=models.PositiveIntegerField(),
        )
        return self.annotate(
            waitlist_position=models.Case(
                models.When(status=Delegate.Status.WAITLISTED, then=position),
                default=None,
                output_field=models.PositiveIntegerField(),
            )
        )


class Delegate(models.Model):
    """A person an organization sends to an event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or prefer not to say")

    class AgeBand(models.TextChoices):
        UNDER_25 = "under-25", _("Under 25")
        FROM_25 = "25-34", _("25–34")
        FROM_35 = "35-49", _("35–49")
        FROM_50 = "50-64", _("50–64")
        FROM_65 = "65+", _("65 or older")

    ACTIVE_STATUSES = [Status.CONFIRMED, Status.WAITLISTED]

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="delegates",
        verbose_name=_("organization"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), max_length=150)
    position = models.CharField(_("position"), max_length=150)
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional: only counted in the organizers' sex-disaggregated figures."),
    )
    age_band = models.CharField(
        _("age"),
        max_length=10,
        choices=AgeBand.choices,
        blank=True,
        help_text=_("Optional: only counted in the organizers' age-disaggregated figures."),
    )
    language_needs = models.CharField(
        _("language needs"),
        max_length=300,
        blank=True,
        help_text=_("For example: interpretation into Russian, or a language they do not speak."),
    )
    accessibility_needs = models.TextField(
        _("accessibility needs"),
        max_length=1000,
        blank=True,
        help_text=_("For example: step-free access, sign language, a diet, an assistant."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.CONFIRMED,
        db_index=True,
    )
    # The waiting list's order: the time a delegate joined it (again, after a move back).
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        ordering = ["event", "organization", "full_name"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            # The services check this first and say so next to the field; the index holds it
            # whatever happens.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="delegate_email_once_per_event",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"]),
            models.Index(fields=["organization", "event"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES


class SessionBooking(models.Model):
    """A confirmed delegate's seat (or place on the waiting list) in a session with a capacity."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat booked")
        WAITLISTED = "waitlisted", _("On the waiting list")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("session")
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("delegate")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at", "pk"]
        verbose_name = _("session booking")
        verbose_name_plural = _("session bookings")
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="one_booking_per_session"),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"{self.delegate} – {self.session}"


# --- During the forum: stars, private calendars, feedback --------------------------------------


class SessionStar(models.Model):
    """A session a signed-in person put in their own agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_stars",
        verbose_name=_("user"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="stars", verbose_name=_("session")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("session in a personal agenda")
        verbose_name_plural = _("sessions in personal agendas")
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="star_once_per_session"),
        ]

    def __str__(self):
        return f"{self.user} – {self.session}"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's own calendar; a new token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("private calendar")
        verbose_name_plural = _("private calendars")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("events:private-calendar", kwargs={"token": self.token})

    def regenerate(self):
        self.token = new_feed_token()
        self.save(update_fields=["token", "created_at"])


class SessionFeedback(models.Model):
    """A confirmed delegate's rating of a session, given once after it ended."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="session_feedback",
        verbose_name=_("given by"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["session__starts_at", "-created_at"]
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="feedback_once_per_session"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.rating}"

    def editable_until(self):
        return self.created_at + datetime.timedelta(hours=settings.FEEDBACK_EDIT_HOURS)

    @property
    def is_editable(self):
        return timezone.now() < self.editable_until()
