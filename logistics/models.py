"""Between registration and the forum's door: travel and stay, hotels and rooms, invitation
letters, badges, check-in and certificates of attendance.

Passport data (the name as in the passport, nationality, number, expiry, date of birth) lives on
`TravelStay` only; who may read it is decided in `logistics/privacy.py`, and it is erased
`PASSPORT_DATA_RETENTION_DAYS` after the event ends (`logistics.tasks.erase_passport_data`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from events.models import Delegate, Event, Session, Speaker
from organizations.text import normalize_name

# The version of the consent text an organization confirms when it enters passport data.
PASSPORT_CONSENT_VERSION = "2026-12"
PASSPORT_FIELDS = [
    "passport_name",
    "nationality",
    "passport_number",
    "passport_expiry",
    "date_of_birth",
]


def new_reference(prefix):
    """An unguessable reference such as "L-7KQ2-M9XD-4TPA" (no 0/O, 1/I to misread)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    body = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{prefix}-{body[:4]}-{body[4:8]}-{body[8:]}"


def badge_search_key(*texts):
    return normalize_name(" ".join(texts))[:500]


def new_badge_code():
    return secrets.token_urlsafe(12)


class Transport(models.TextChoices):
    PLANE = "plane", _("Plane")
    TRAIN = "train", _("Train")
    BUS = "bus", _("Bus")
    CAR = "car", _("Car")
    OTHER = "other", _("Other")


class Hotel(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="hotels", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("hotel")
        verbose_name_plural = _("hotels")

    def __str__(self):
        return self.name


class RoomBlock(models.Model):
    """Rooms the organizers booked at a hotel for some nights."""

    hotel = models.ForeignKey(
        Hotel, on_delete=models.CASCADE, related_name="room_blocks", verbose_name=_("hotel")
    )
    room_type = models.CharField(_("room type"), max_length=100)
    rooms = models.PositiveIntegerField(_("rooms"))
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"))

    class Meta:
        ordering = ["hotel", "check_in", "room_type"]
        verbose_name = _("room block")
        verbose_name_plural = _("room blocks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_out__gt=models.F("check_in")),
                name="room_block_check_out_after_check_in",
            )
        ]

    def __str__(self):
        return f"{self.hotel}: {self.room_type}"


class TravelStay(models.Model):
    """A delegate's travel, stay and the data an invitation letter needs."""

    delegate = models.OneToOneField(
        Delegate, on_delete=models.CASCADE, related_name="travel", verbose_name=_("delegate")
    )
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    arrival_time = models.TimeField(_("arrival time"), null=True, blank=True)
    arrival_transport = models.CharField(
        _("arrival by"), max_length=10, choices=Transport.choices, blank=True
    )
    arrival_details = models.CharField(
        _("arrival details"),
        max_length=100,
        blank=True,
        help_text=_("Flight or train number, where from."),
    )
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    departure_time = models.TimeField(_("departure time"), null=True, blank=True)
    departure_transport = models.CharField(
        _("departure by"), max_length=10, choices=Transport.choices, blank=True
    )
    departure_details = models.CharField(_("departure details"), max_length=100, blank=True)
    visa_needed = models.BooleanField(_("needs a visa"), default=False)
    # Passport data: see the module's docstring.
    passport_name = models.CharField(_("name as in the passport"), max_length=150, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    consent_confirmed_at = models.DateTimeField(_("consent confirmed"), null=True, blank=True)
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent confirmed by"),
    )
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    passport_erased_at = models.DateTimeField(_("passport data erased"), null=True, blank=True)
    travel_funded = models.BooleanField(_("travel paid by the organizers"), default=False)
    accommodation_funded = models.BooleanField(
        _("accommodation paid by the organizers"), default=False
    )
    room_block = models.ForeignKey(
        RoomBlock,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guests",
        verbose_name=_("room block"),
    )
    room_number = models.CharField(_("room"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("travel and stay")
        verbose_name_plural = _("travel and stay")
        permissions = [("view_passport_data", _("Can see passport data"))]

    def __str__(self):
        return str(self.delegate)

    @property
    def has_passport_data(self):
        return any(getattr(self, name) for name in PASSPORT_FIELDS)

    def erase_passport_data(self):
        self.passport_name = ""
        self.nationality = ""
        self.passport_number = ""
        self.passport_expiry = None
        self.date_of_birth = None


class EventLogistics(models.Model):
    """An event's letter (letterhead, signatory, text in English and Russian) and the sessions
    where attendance is taken."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="logistics", verbose_name=_("event")
    )
    letterhead = models.TextField(
        _("letterhead"),
        blank=True,
        help_text=_("The organizers' name and address, one line each, at the top of letters."),
    )
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=200, blank=True)
    letter_text_en = models.TextField(
        _("letter text (English)"),
        blank=True,
        help_text=_(
            "Placeholders: {name}, {nationality}, {passport_number}, {date_of_birth}, "
            "{organization}, {event}, {dates}, {city}, {country}. Empty: the standard text."
        ),
    )
    letter_text_ru = models.TextField(_("letter text (Russian)"), blank=True)
    attendance_sessions = models.ManyToManyField(
        Session,
        blank=True,
        related_name="+",
        verbose_name=_("sessions with attendance"),
        help_text=_("Check-in staff record attendance in these sessions too."),
    )

    class Meta:
        verbose_name = _("letters and attendance of an event")
        verbose_name_plural = _("letters and attendance of events")

    def __str__(self):
        return str(self.event)


class Letter(models.Model):
    """An invitation and visa letter issued to a delegate, verified by its reference."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="letters", verbose_name=_("delegate")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    # The holder's initials, kept for the verification page after passport data is erased.
    holder_initials = models.CharField(_("holder's initials"), max_length=10, editable=False)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("L")
        super().save(*args, **kwargs)

    def get_verify_url(self):
        return reverse("logistics:verify", kwargs={"reference": self.reference})


class Badge(models.Model):
    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        SPEAKER = "speaker", _("Speaker")
        ORGANIZER = "organizer", _("Organizer")
        PRESS = "press", _("Press")
        STAFF = "staff", _("Staff")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="badges", verbose_name=_("event")
    )
    delegate = models.OneToOneField(
        Delegate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badge",
        verbose_name=_("delegate"),
    )
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badges",
        verbose_name=_("speaker"),
    )
    # Never a database id: what the QR code carries and check-in staff type.
    code = models.CharField(
        _("code"), max_length=32, unique=True, default=new_badge_code, editable=False
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.DELEGATE)
    full_name = models.CharField(_("name"), max_length=150)
    organization_name = models.CharField(_("organization"), max_length=250, blank=True)
    country = CountryField(_("country"), blank=True)
    # Name and organization in the folded form the directory's search uses (any script).
    search_key = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["event", "full_name"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "speaker"],
                condition=models.Q(speaker__isnull=False),
                name="one_badge_per_speaker_and_event",
            )
        ]
        indexes = [models.Index(fields=["event", "full_name"])]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.search_key = badge_search_key(self.full_name, self.organization_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def refusal(self):
        """Why this badge may not enter, or "" when it may."""
        delegate = self.delegate
        if delegate is None or delegate.status == Delegate.Status.CONFIRMED:
            return ""
        if delegate.status == Delegate.Status.WAITLISTED:
            return _("On the waiting list: not confirmed for the event.")
        return _("The registration is cancelled.")


class CheckIn(models.Model):
    """A badge checked in at the door on a day of the event, or at a session."""

    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("badge")
    )
    day = models.DateField(_("day"))
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    checked_in_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["-checked_in_at", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        permissions = [("check_in", _("Can check delegates in at the door"))]
        constraints = [
            # Several staff scanning one badge at once: one row, whoever wins.
            models.UniqueConstraint(
                fields=["badge", "day"],
                condition=models.Q(session__isnull=True),
                name="one_check_in_per_badge_and_day",
            ),
            models.UniqueConstraint(
                fields=["badge", "session"],
                condition=models.Q(session__isnull=False),
                name="one_check_in_per_badge_and_session",
            ),
        ]
        indexes = [models.Index(fields=["day", "session"])]

    def __str__(self):
        return f"{self.badge} – {self.day}"


class Certificate(models.Model):
    """A certificate of attendance for a delegate who was checked in."""

    delegate = models.OneToOneField(
        Delegate, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("delegate")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    holder_initials = models.CharField(_("holder's initials"), max_length=10, editable=False)
    days_attended = models.PositiveSmallIntegerField(_("days attended"), default=0)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = new_reference("C")
        super().save(*args, **kwargs)

    def get_verify_url(self):
        return reverse("logistics:verify", kwargs={"reference": self.reference})


class PrintJob(models.Model):
    """Badges or certificates for many delegates, drawn by the worker into one PDF."""

    class Kind(models.TextChoices):
        BADGE_SHEETS = "badge-sheets", _("Badges on A4 sheets")
        BADGE_PAGES = "badge-pages", _("Badges, one per page")
        CERTIFICATES = "certificates", _("Certificates of attendance")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the worker")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    ids = models.JSONField(default=list, editable=False)
    count = models.PositiveIntegerField(_("pages or badges"), default=0)
    path = models.CharField(max_length=200, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.count})"


def initials(name):
    """ "Dana Nurlanovna" → "D. N."; for the public verification page."""
    return " ".join(f"{part[0]}." for part in name.split() if part[:1].isalpha())[:10]
