"""Personal data on request: an organization's export, and the erasure of an account.

Erasure keeps what the donors' figures count: a delegate of a past event stays as an anonymous
row with their organization, status, gender and age band (only name, email, position and needs
go), while a delegate of an event still to come is removed through `delegate_delete`, so that the
seat goes to the next on the waiting list. The organization stays while other members remain;
the last member's erasure takes it too: deleted when no past event counts it, else kept
anonymised and hidden. The history of changes loses the same personal fields. Every export and
erasure leaves a `PersonalDataRequest` that names no erased person.
"""

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from events.models import Delegate
from events.services import delegate_delete
from news.subscriptions import export_data as newsletter_export_data
from news.subscriptions import forget_address
from organizations.models import Invitation, Membership, Organization, PersonalDataRequest
from organizations.origin import portal_url
from outbox.models import forget_recipient
from portal.cache import forget_every_page

ERASED_NAME = "—"


def _anonymous_delegate(pk):
    """What identifies a delegate, emptied; gender and age band stay (counted anonymously)."""
    return {
        "full_name": ERASED_NAME,
        "email": f"erased-{pk}@invalid.example",
        "position": "",
        "language_needs": "",
        "accessibility_needs": "",
    }


def _when(value):
    return value.isoformat() if value else None


def _person(user):
    return user.get_full_name() or user.email if user else None


# --- Export ------------------------------------------------------------------------------------


def _organization_data(organization):
    return {
        "portal_identifier": str(organization.public_id),
        "name": organization.name,
        "name_local": organization.name_local,
        "acronym": organization.acronym,
        "slug": organization.slug,
        "country": organization.country.code,
        "city": organization.city,
        "legal_form": organization.get_legal_form_display(),
        "registration_number": organization.registration_number,
        "year_founded": organization.year_founded,
        "description": organization.description,
        "website": organization.website,
        "public_email": organization.public_email,
        "phone": organization.phone,
        "logo": organization.logo.url if organization.logo else "",
        "focus_areas": [area.name for area in organization.focus_areas.all()],
        "sdgs": [goal.number for goal in organization.sdgs.all()],
        "working_languages": organization.working_languages,
        "size": organization.get_size_band_display() if organization.size_band else "",
        "visibility": organization.get_visibility_display(),
        "status": organization.get_status_display(),
        "contact_position": organization.contact_position,
        "contact_phone": organization.contact_phone,
        "consent_version": organization.consent_version,
        "consent_given_at": _when(organization.consent_given_at),
        "changes_waiting_for_review": organization.pending_changes,
        "created_at": _when(organization.created_at),
        "updated_at": _when(organization.updated_at),
        "submitted_at": _when(organization.submitted_at),
        "approved_at": _when(organization.approved_at),
    }


def _account_data(user, membership=None):
    data = {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "joined_portal": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }
    if membership is not None:
        data.update(
            {
                "role": membership.get_role_display(),
                "language": membership.language,
                "member_since": _when(membership.created_at),
            }
        )
    return data


def _delegates_data(delegates):
    delegates = list(
        delegates.select_related("event", "created_by").prefetch_related("bookings__session")
    )
    changes = {}
    history = Delegate.history.filter(id__in=[d.pk for d in delegates]).select_related(
        "history_user"
    )
    for record in history.order_by("history_date", "history_id"):
        changes.setdefault(record.id, []).append(
            {
                "when": _when(record.history_date),
                "change": record.get_history_type_display(),
                "status": record.get_status_display(),
                "by": _person(record.history_user),
            }
        )
    return [
        {
            "event": delegate.event.title,
            "event_dates": [_when(delegate.event.start_date), _when(delegate.event.end_date)],
            "full_name": delegate.full_name,
            "email": delegate.email,
            "position": delegate.position,
            "gender": delegate.get_gender_display() if delegate.gender else "",
            "age": delegate.get_age_band_display() if delegate.age_band else "",
            "language_needs": delegate.language_needs,
            "accessibility_needs": delegate.accessibility_needs,
            "status": delegate.get_status_display(),
            "registered_at": _when(delegate.created_at),
            "registered_by": _person(delegate.created_by),
            "confirmed_at": _when(delegate.confirmed_at),
            "waitlisted_at": _when(delegate.waitlisted_at),
            "cancelled_at": _when(delegate.cancelled_at),
            "sessions": [
                {
                    "session": booking.session.title,
                    "status": booking.get_status_display(),
                    "booked_at": _when(booking.created_at),
                }
                for booking in delegate.bookings.all()
            ],
            "history": changes.get(delegate.pk, []),
        }
        for delegate in delegates
    ]


def _requests_data(requests):
    return [
        {
            "request": request.get_kind_display(),
            "data_of": request.get_subject_display(),
            "by": _person(request.by) or (_("an organizer") if request.by_organizer else None),
            "when": _when(request.created_at),
        }
        for request in requests.select_related("by")
    ]


def organization_export_data(organization):
    """Everything the portal holds about an organization and its people, as plain data."""
    memberships = organization.memberships.select_related("user").order_by("-role", "pk")
    invitations = organization.invitations.select_related("invited_by").order_by("created_at")
    return {
        "generated_at": _when(timezone.now()),
        "portal": portal_url(),
        "organization": _organization_data(organization),
        "members": [_account_data(m.user, m) for m in memberships],
        "invitations": [
            {
                "email": invitation.email,
                "role": invitation.get_role_display(),
                "invited_by": _person(invitation.invited_by),
                "language": invitation.language,
                "sent_at": _when(invitation.created_at),
                "accepted_at": _when(invitation.accepted_at),
            }
            for invitation in invitations
        ],
        "review_log": [
            {
                "action": entry.get_action_display() if entry.action else "",
                "from": entry.get_from_status_display() if entry.from_status else "",
                "to": entry.get_to_status_display(),
                "by": _person(entry.by),
                "reason": entry.reason,
                "when": _when(entry.created_at),
            }
            for entry in organization.review_log.select_related("by").order_by("created_at", "pk")
        ],
        "delegates": _delegates_data(organization.delegates.order_by("event__start_date", "pk")),
        "personal_data_requests": _requests_data(organization.personal_data_requests.all()),
    }


def _forum_data(user):
    """The sessions in their own agenda, their private calendar and their feedback."""
    from events.models import CalendarFeed, SessionFeedback, SessionStar

    stars = SessionStar.objects.filter(user=user).select_related("session__event")
    feedback = SessionFeedback.objects.filter(user=user).select_related("session__event")
    return {
        "my_agenda": [
            {"event": star.session.event.title, "session": star.session.title}
            for star in stars.order_by("session__starts_at", "pk")
        ],
        "private_calendar": CalendarFeed.objects.filter(user=user).exists(),
        "session_feedback": [
            {
                "event": item.session.event.title,
                "session": item.session.title,
                "rating": item.rating,
                "comment": item.comment,
                "given": _when(item.created_at),
            }
            for item in feedback.order_by("created_at", "pk")
        ],
    }


def account_export_data(user):
    """What the portal holds about one person: their account, membership and delegate records."""
    membership = Membership.objects.select_related("organization").filter(user=user).first()
    return {
        "generated_at": _when(timezone.now()),
        "portal": portal_url(),
        "account": _account_data(user, membership),
        "organization": membership.organization.name if membership else None,
        **_forum_data(user),
        "delegates": _delegates_data(
            Delegate.objects.filter(email__iexact=user.email).order_by("event__start_date", "pk")
            if user.email
            else Delegate.objects.none()
        ),
        "invitations": [
            {
                "organization": invitation.organization.name,
                "sent_at": _when(invitation.created_at),
                "accepted_at": _when(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organization"
            )
        ]
        if user.email
        else [],
        "newsletter": newsletter_export_data(user.email) if user.email else None,
    }


def _log(*, kind, subject, organization, label, by, summary=None):
    return PersonalDataRequest.objects.create(
        kind=kind,
        subject=subject,
        organization=organization,
        subject_label=label[:250],
        by=by if by is not None and by.is_authenticated else None,
        by_organizer=bool(by is not None and by.is_staff),
        summary=summary or {},
    )


def _organization_label(organization):
    return f"{organization.name} (#{organization.pk})"


def _account_label(user):
    return _("account #%(number)s") % {"number": user.pk}


@transaction.atomic
def organization_export(*, organization, by):
    """The organization's data, logged as an export."""
    data = organization_export_data(organization)
    _log(
        kind=PersonalDataRequest.Kind.EXPORT,
        subject=PersonalDataRequest.Subject.ORGANIZATION,
        organization=organization,
        label=_organization_label(organization),
        by=by,
        summary={"members": len(data["members"]), "delegates": len(data["delegates"])},
    )
    return data


@transaction.atomic
def account_export(*, user, by):
    data = account_export_data(user)
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    _log(
        kind=PersonalDataRequest.Kind.EXPORT,
        subject=PersonalDataRequest.Subject.ACCOUNT,
        organization=membership.organization if membership else None,
        label=_account_label(user),
        by=by,
        summary={"delegates": len(data["delegates"])},
    )
    return data


# --- Erasure -----------------------------------------------------------------------------------


class ErasureRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def erasure_refusal(user):
    """Why this account cannot be erased here (staff accounts are closed by an administrator)."""
    if user.is_staff or user.is_superuser:
        return _(
            "Staff accounts are not erased here: ask an administrator to close the account and "
            "hand over its work."
        )
    return None


def _erase_delegates(delegates, summary, by):
    """Past events: anonymise (the figures count them); events to come: remove, seat released."""
    today = timezone.localdate()
    ids = []
    for delegate in delegates.select_related("event").order_by("pk"):
        ids.append(delegate.pk)
        if delegate.event.end_date < today:
            Delegate.objects.filter(pk=delegate.pk).update(**_anonymous_delegate(delegate.pk))
            summary["delegates_anonymised"] += 1
        else:
            delegate_delete(delegate=delegate, by=by)
            summary["delegates_removed"] += 1
    # The history holds the same details: they go there too (deleted delegates' rows included).
    Delegate.history.filter(id__in=ids).update(**_anonymous_delegate("history"))
    # Their travel and passport data go, and their badges' names; check-ins stay counted.
    from logistics.models import Badge, TravelStay

    TravelStay.objects.filter(delegate_id__in=ids).delete()
    Badge.objects.filter(delegate_id__in=ids).update(
        full_name=ERASED_NAME, organization_name="", search_key=""
    )


def _erase_organization(organization, summary, by):
    _erase_delegates(organization.delegates.all(), summary, by)
    organization.invitations.all().delete()
    counted = Delegate.objects.filter(
        organization=organization, event__end_date__lt=timezone.localdate()
    ).exists()
    logo = organization.logo.name if organization.logo else ""
    if not counted:
        organization.delete()
        summary["organization"] = "deleted"
    else:
        Organization.objects.filter(pk=organization.pk).update(
            name=_("Erased organization %(number)s") % {"number": organization.pk},
            normalized_name="",
            name_local="",
            acronym="",
            slug=f"erased-{organization.pk}",
            registration_number="",
            description="",
            website="",
            public_email="",
            phone="",
            logo="",
            contact_position="",
            contact_phone="",
            pending_changes={},
            pending_changes_status=Organization.PendingChangesStatus.NONE,
            reviewed_snapshot={},
            visibility=Organization.Visibility.HIDDEN,
            erased_at=timezone.now(),
            updated_at=timezone.now(),
        )
        summary["organization"] = "anonymised"
    if logo:
        storage = Organization._meta.get_field("logo").storage
        transaction.on_commit(lambda: storage.delete(logo), robust=True)


def _forget_author(user):
    """The history's copy of "registered by" has no foreign key to clear itself."""
    Delegate.history.filter(created_by_id=user.pk).update(created_by=None)


def _empty_summary():
    return {"delegates_anonymised": 0, "delegates_removed": 0, "organization": "kept"}


@transaction.atomic
def account_erase(*, user, by):
    """Erase a person's account and what identifies them; returns the log entry."""
    refusal = erasure_refusal(user)
    if refusal:
        raise ErasureRefused(refusal)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    membership = Membership.objects.select_related("organization").filter(user=user).first()
    organization = membership.organization if membership else None
    summary = _empty_summary()
    label = _account_label(user)
    if user.email:
        _erase_delegates(Delegate.objects.filter(email__iexact=user.email), summary, by)
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
        forget_recipient(user.email)  # the outbox's copies of the mails sent to them
        forget_address(user.email)  # newsletter consent and recipient rows
    # Failed sign-ins name the account (django-axes keeps the typed email and the address).
    AccessAttempt.objects.filter(
        username__in={user.email.lower(), user.username.lower()} - {""}
    ).delete()
    if organization is not None:
        others = organization.memberships.exclude(user=user).order_by("created_at", "pk")
        if not others.exists():
            label = f"{label}, {_organization_label(organization)}"
            _erase_organization(organization, summary, by)
            organization = None
        elif membership.role == Membership.Role.OWNER:
            # The contact person's details were theirs; someone must still be able to invite.
            Organization.objects.filter(pk=organization.pk).update(
                contact_position="", contact_phone=""
            )
            if not others.filter(role=Membership.Role.OWNER).exists():
                others.filter(pk=others.first().pk).update(role=Membership.Role.OWNER)
                summary["new_owner"] = True
    by_self = by is not None and by.pk == user.pk
    _forget_author(user)
    # Their ratings stay in the figures, without their words; stars and calendar go with them.
    from events.models import SessionFeedback

    SessionFeedback.objects.filter(user=user).update(comment="")
    user.delete()
    # Rows anonymised in bulk send no signal: public pages cached before must go.
    forget_every_page()
    return _log(
        kind=PersonalDataRequest.Kind.ERASURE,
        subject=PersonalDataRequest.Subject.ACCOUNT,
        organization=organization,
        label=label,
        by=None if by_self else by,
        summary=summary,
    )


@transaction.atomic
def organization_erase(*, organization, by):
    """An organizer erases an organization on its request: every member's account with it."""
    for membership in organization.memberships.select_related("user"):
        refusal = erasure_refusal(membership.user)
        if refusal:
            raise ErasureRefused(refusal)
    label = _organization_label(organization)
    summary = _empty_summary()
    summary["accounts"] = 0
    users = [m.user for m in organization.memberships.select_related("user")]
    for user in users:
        if user.email:
            _erase_delegates(
                Delegate.objects.filter(email__iexact=user.email).exclude(
                    organization=organization
                ),
                summary,
                by,
            )
    _erase_organization(organization, summary, by)
    for user in users:
        if user.email:
            forget_recipient(user.email)
            forget_address(user.email)
        _forget_author(user)
        user.delete()
        summary["accounts"] += 1
    forget_every_page()
    return _log(
        kind=PersonalDataRequest.Kind.ERASURE,
        subject=PersonalDataRequest.Subject.ORGANIZATION,
        organization=Organization.objects.filter(pk=organization.pk).first(),
        label=label,
        by=by,
        summary=summary,
    )


def export_filename(prefix):
    return f"{prefix}-personal-data-{timezone.localdate().isoformat()}.json"


# --- The readable page -------------------------------------------------------------------------

LABELS = {
    "portal_identifier": _lazy("Portal identifier"),
    "name": _lazy("Name"),
    "name_local": _lazy("Name in the local language"),
    "acronym": _lazy("Acronym"),
    "slug": _lazy("Address on the portal"),
    "country": _lazy("Country"),
    "city": _lazy("City"),
    "legal_form": _lazy("Legal form"),
    "registration_number": _lazy("National registration number"),
    "year_founded": _lazy("Year founded"),
    "description": _lazy("Description"),
    "website": _lazy("Website"),
    "public_email": _lazy("Public email"),
    "phone": _lazy("Phone"),
    "logo": _lazy("Logo"),
    "focus_areas": _lazy("Focus areas"),
    "sdgs": _lazy("Sustainable Development Goals"),
    "working_languages": _lazy("Working languages"),
    "size": _lazy("Size"),
    "visibility": _lazy("Visibility"),
    "status": _lazy("Status"),
    "contact_position": _lazy("Contact person's position"),
    "contact_phone": _lazy("Contact person's phone"),
    "consent_version": _lazy("Consent text version"),
    "consent_given_at": _lazy("Consent given at"),
    "changes_waiting_for_review": _lazy("Changes waiting for review"),
    "created_at": _lazy("Created"),
    "updated_at": _lazy("Updated"),
    "submitted_at": _lazy("Submitted"),
    "approved_at": _lazy("Verified since"),
    "username": _lazy("User name"),
    "first_name": _lazy("First name"),
    "last_name": _lazy("Last name"),
    "email": _lazy("Email"),
    "joined_portal": _lazy("Account created"),
    "last_login": _lazy("Last signed in"),
    "role": _lazy("Role"),
    "language": _lazy("Language"),
    "member_since": _lazy("Member since"),
    "invited_by": _lazy("Invited by"),
    "sent_at": _lazy("Sent"),
    "accepted_at": _lazy("Accepted"),
    "action": _lazy("Action"),
    "from": _lazy("From"),
    "to": _lazy("To"),
    "by": _lazy("By"),
    "reason": _lazy("Reason"),
    "when": _lazy("When"),
    "event": _lazy("Event"),
    "event_dates": _lazy("Dates"),
    "full_name": _lazy("Full name"),
    "position": _lazy("Position"),
    "gender": _lazy("Gender"),
    "age": _lazy("Age"),
    "language_needs": _lazy("Language needs"),
    "accessibility_needs": _lazy("Accessibility needs"),
    "registered_at": _lazy("Registered"),
    "registered_by": _lazy("Registered by"),
    "confirmed_at": _lazy("Confirmed"),
    "waitlisted_at": _lazy("On the waiting list since"),
    "cancelled_at": _lazy("Cancelled"),
    "sessions": _lazy("Sessions booked"),
    "history": _lazy("History of changes"),
    "request": _lazy("Request"),
    "data_of": _lazy("Data of"),
    "session": _lazy("Session"),
    "booked_at": _lazy("Booked"),
    "change": _lazy("Change"),
}


def _readable_value(value):
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(
            ", ".join(str(v) for v in item.values() if v not in (None, "")) for item in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {val}" for key, val in value.items())
    return str(value)


def readable(record):
    """A record of the export as (label, value) rows for the readable page."""
    return [(LABELS.get(key, key), _readable_value(value)) for key, value in record.items()]


def readable_sections(data):
    sections = [
        (_("Organization"), [readable(data["organization"])]),
        (_("Members"), [readable(member) for member in data["members"]]),
        (_("Invitations"), [readable(invitation) for invitation in data["invitations"]]),
        (_("Review log"), [readable(entry) for entry in data["review_log"]]),
        (_("Delegates"), [readable(delegate) for delegate in data["delegates"]]),
        (
            _("Exports and erasures"),
            [readable(request) for request in data["personal_data_requests"]],
        ),
    ]
    return [{"title": title, "records": records} for title, records in sections]
