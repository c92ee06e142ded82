import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .text import normalize_name


class FocusArea(models.Model):
    """One of the network's themes (digital transformation, climate, youth, ...)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return self.name


class SustainableDevelopmentGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self):
        return _("SDG %(number)s: %(name)s") % {"number": self.number, "name": self.name}


def sees_network_profiles(user):
    """Whether `user` sees the profiles shown to the network only (staff, approved members)
    beside the public ones."""
    return user.is_authenticated and (
        user.is_staff
        or Membership.objects.filter(
            user=user, organization__status=Organization.Status.APPROVED
        ).exists()
    )


class OrganizationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Organization.Status.APPROVED)

    def public(self):
        """Approved and listed publicly: what any visitor may see."""
        return self.approved().filter(visibility=Organization.Visibility.PUBLIC)

    def visible_to(self, user, network=None):
        """What `user` may see in the directory and on profiles (`network`: the answer of
        sees_network_profiles(user), when the caller has it already)."""
        if sees_network_profiles(user) if network is None else network:
            return self.approved().filter(
                visibility__in=[Organization.Visibility.PUBLIC, Organization.Visibility.NETWORK]
            )
        return self.public()

    def awaiting_review(self):
        """Registrations and edits of approved profiles that wait for a reviewer's decision."""
        return self.filter(
            models.Q(status=Organization.Status.SUBMITTED)
            | models.Q(pending_changes_status=Organization.PendingChangesStatus.SUBMITTED)
        )

    def with_duplicate_flags(self):
        """Annotate `duplicate_identifier` and `duplicate_name` without a query per row, and
        `duplicate_of`: the name of one such other organization (the same identifier first)."""
        others = Organization.objects.exclude(pk=models.OuterRef("pk"))
        same_identifier = others.filter(
            country=models.OuterRef("country"),
            registration_number=models.OuterRef("registration_number"),
        ).exclude(registration_number="")
        same_name = others.filter(normalized_name=models.OuterRef("normalized_name")).exclude(
            normalized_name=""
        )
        return self.annotate(
            duplicate_of=Coalesce(
                models.Subquery(same_identifier.order_by("name", "pk").values("name")[:1]),
                models.Subquery(same_name.order_by("name", "pk").values("name")[:1]),
            ),
        ).annotate(
            duplicate_identifier=models.Exists(
                others.filter(
                    country=models.OuterRef("country"),
                    registration_number=models.OuterRef("registration_number"),
                ).exclude(registration_number="")
            ),
            duplicate_name=models.Exists(
                others.filter(normalized_name=models.OuterRef("normalized_name")).exclude(
                    normalized_name=""
                )
            ),
        )


class Organization(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not yet confirmed")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    class PendingChangesStatus(models.TextChoices):
        NONE = "", _("None")
        SUBMITTED = "submitted", _("Waiting for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed in the directory")
        NETWORK = "network", _("Network only: visible to signed-in members of the network")
        HIDDEN = "hidden", _("Hidden: visible to the organizers only")

    class LegalForm(models.TextChoices):
        PUBLIC_ASSOCIATION = "association", _("Public association")
        FOUNDATION = "foundation", _("Foundation")
        NON_COMMERCIAL = "non_commercial", _("Non-commercial organization")
        INSTITUTION = "institution", _("Institution")
        UNION = "union", _("Association or union of legal entities")
        COOPERATIVE = "cooperative", _("Cooperative")
        INITIATIVE = "initiative", _("Informal group or initiative")
        OTHER = "other", _("Other")

    class SizeBand(models.TextChoices):
        MICRO = "1-5", _("1–5 people")
        SMALL = "6-20", _("6–20 people")
        MEDIUM = "21-50", _("21–50 people")
        LARGE = "51+", _("More than 50 people")

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        KYRGYZ = "ky", _("Kyrgyz")
        TAJIK = "tg", _("Tajik")
        TURKMEN = "tk", _("Turkmen")
        UZBEK = "uz", _("Uzbek")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")
        KARAKALPAK = "kaa", _("Karakalpak")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(
        _("portal identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(
        _("name in the local language"),
        max_length=200,
        blank=True,
        help_text=_("The name as written in Kazakh, Kyrgyz, Tajik, Turkmen, Uzbek or Russian."),
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    registration_number = models.CharField(
        _("national registration number"), max_length=20, blank=True
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=5000)
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, related_name="organizations", verbose_name=_("focus areas")
    )
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        related_name="organizations",
        blank=True,
        verbose_name=_("Sustainable Development Goals"),
    )
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED
    )

    contact_position = models.CharField(_("contact person's position"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    # Edits of an approved profile wait here until a reviewer accepts them, so that the public
    # profile stays as last approved. Field name -> proposed value (JSON form).
    pending_changes = models.JSONField(_("changes waiting for review"), default=dict, blank=True)
    pending_changes_status = models.CharField(
        _("status of the changes"),
        max_length=20,
        choices=PendingChangesStatus.choices,
        default=PendingChangesStatus.NONE,
        blank=True,
    )
    # The profile as the reviewer saw it at the last decision: what changed since is shown.
    reviewed_snapshot = models.JSONField(_("profile at the last review"), default=dict, blank=True)

    # Lower-case, Latin-transliterated name used to spot likely duplicates and for search.
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("verified since"), null=True, blank=True)
    # Set when its personal data was erased: kept, anonymised and hidden, for past events' figures.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["status", "visibility", "country"]),
            # Likely duplicates: only organizations that have a number can share one.
            models.Index(
                fields=["country", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="organization_identifier_idx",
            ),
            models.Index(fields=["-submitted_at", "name"], name="organization_review_queue_idx"),
            # The public directory's order (by name), whole and by country: a page of it reads
            # 24 rows of the index instead of sorting the 10,000 public organizations.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(status="approved", visibility="public"),
                name="organization_directory_idx",
            ),
            models.Index(
                fields=["country", "name", "id"],
                condition=models.Q(status="approved", visibility="public"),
                name="organization_country_dir_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self):
        return self.status == self.Status.APPROVED


class MembershipQuerySet(models.QuerySet):
    def of_user(self, user, *, owner=False):
        """The signed-in person's membership, with its organization (one per account), or None;
        `owner` only when they own the organization."""
        if not user.is_authenticated:
            return None
        memberships = self.select_related("organization").filter(user=user)
        if owner:
            memberships = memberships.filter(role=Membership.Role.OWNER)
        return memberships.first()


class Membership(models.Model):
    """A person's account in an organization. One organization per account."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    # The person's language: the portal writes to them in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="membership_one_organization_per_user"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class ReviewLogEntry(models.Model):
    """One status change of an organization: from, to, who, when and why."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        EMAIL_CONFIRMED = "email_confirmed", _("Email confirmed, submitted for review")
        RESUBMITTED = "resubmitted", _("Resubmitted for review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Reinstated")
        EDIT_SUBMITTED = "edit_submitted", _("Changes to the profile submitted for review")
        EDIT_APPROVED = "edit_approved", _("Changes to the profile approved")
        EDIT_CHANGES_REQUESTED = (
            "edit_changes_requested",
            _("Changes requested to the edited profile"),
        )

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="review_log",
        verbose_name=_("organization"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Organization.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Organization.Status.choices)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review log entry")
        verbose_name_plural = _("review log")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return f"{self.organization}: {self.from_status or '–'} → {self.to_status}"


class ReviewReasonTemplate(models.Model):
    """A reason organizers reuse when they request changes, reject or suspend."""

    class Kind(models.TextChoices):
        CHANGES_REQUESTED = "changes_requested", _("Request changes")
        REJECTED = "rejected", _("Reject")
        SUSPENDED = "suspended", _("Suspend")

    kind = models.CharField(_("used for"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), help_text=_("Sent to the organization as written."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "order", "title"]
        verbose_name = _("review reason template")
        verbose_name_plural = _("review reason templates")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """An owner's invitation to another person to edit the organization with them."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("email"), max_length=150)
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization}"


class CountryCoordinator(models.Model):
    """A staff member who reviews the organizations of some countries only (SPEC.md, roles)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="country_coordinator",
        verbose_name=_("user"),
    )
    countries = CountryField(_("countries"), multiple=True)

    class Meta:
        verbose_name = _("country coordinator")
        verbose_name_plural = _("country coordinators")

    def __str__(self):
        return f"{self.user} ({', '.join(str(country.code) for country in self.countries)})"


class PersonalDataRequest(models.Model):
    """One export or erasure of personal data: who asked, for whom, when, what it touched.

    Kept without the erased person's details: the subject is named by a label that identifies
    the organization or the account's number, never their name or email.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")

    class Subject(models.TextChoices):
        ORGANIZATION = "organization", _("Organization and its people")
        ACCOUNT = "account", _("One person's account")

    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("data of"), max_length=20, choices=Subject.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_requests",
        verbose_name=_("organization"),
    )
    subject_label = models.CharField(_("subject"), max_length=250)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_organizer = models.BooleanField(_("by an organizer"), default=False)
    summary = models.JSONField(_("what it touched"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        permissions = [
            ("export_personal_data", _("Can export the personal data of an organization")),
            ("erase_personal_data", _("Can erase the personal data of an account")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject_label}"


class LanguagePreference(models.Model):
    """The language a person chose while signed in: pages after each sign-in and every email to
    them are in it (organizations/i18n.py: `language_for`). Without one, a member's language is
    the one they registered in (`Membership.language`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "language preference"

    def __str__(self):
        return f"{self.user}: {self.language}"
