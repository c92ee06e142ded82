"""Every write with side effects on organizations: registration, review, editing, invitations.

The registration view, the /my/ pages, the admin actions, the shell and the tests all call these
functions, so the rules of the review workflow hold everywhere (STYLE.md). Each transition
checks that it is allowed, writes the review log and emails after the transaction commits.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import emails, i18n, signals
from .consent import CONSENT_VERSION, NEWSLETTER_CONSENT_VERSION
from .models import (
    FocusArea,
    Invitation,
    Membership,
    Organization,
    ReviewLogEntry,
    SustainableDevelopmentGoal,
)
from .text import transliterate

Status = Organization.Status
Pending = Organization.PendingChangesStatus
Action = ReviewLogEntry.Action

# What the public profile shows: edits of an approved organization wait for review. The one
# list of the profile's fields: the forms, the admin and the open data take theirs from here.
REVIEWED_FIELDS = [
    "name",
    "name_local",
    "acronym",
    "country",
    "city",
    "legal_form",
    "registration_number",
    "year_founded",
    "description",
    "website",
    "public_email",
    "phone",
    "logo",
    "focus_areas",
    "sdgs",
    "working_languages",
    "size_band",
]
# The contact person's details: only the organizers see them.
CONTACT_FIELDS = ["contact_position", "contact_phone"]
# Applied at once: the contact person's details are never public, and an organization under
# pressure must be able to hide itself without waiting for a reviewer.
IMMEDIATE_FIELDS = ["visibility", *CONTACT_FIELDS]
PROFILE_FIELDS = REVIEWED_FIELDS + IMMEDIATE_FIELDS
MANY_TO_MANY = {"focus_areas": FocusArea, "sdgs": SustainableDevelopmentGoal}

VERIFY_SALT = "organizations.verify-email"
INVITATION_SALT = "organizations.invitation"


class TransitionNotAllowed(Exception):
    """A review step that the organization's current state does not allow."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class LinkInvalid(Exception):
    """A signed link that was altered, belongs to nobody, or was already used up."""


class LinkExpired(LinkInvalid):
    """A signed link older than it may be."""


class EmailInUse(ValidationError):
    pass


def verification_max_age():
    return getattr(settings, "EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 3600)


def invitation_max_age():
    return getattr(settings, "INVITATION_MAX_AGE", 14 * 24 * 3600)


# --- Profile values --------------------------------------------------------------------------


def _json_value(field, value):
    if field in MANY_TO_MANY:
        return sorted(item.pk if hasattr(item, "pk") else item for item in value)
    if field == "country":
        return str(value or "")
    if field == "logo":
        return value.name if value else ""
    if field == "working_languages":
        return sorted(value or [])
    return value


def profile_snapshot(organization):
    """The profile as JSON values, to compare and to keep for the reviewer."""
    values = {}
    for field in PROFILE_FIELDS:
        value = getattr(organization, field)
        if field in MANY_TO_MANY:
            value = value.all()
        values[field] = _json_value(field, value)
    return values


def proposed_profile(organization):
    """The profile with the changes that wait for review applied."""
    return {**profile_snapshot(organization), **organization.pending_changes}


def _store_logo(content):
    """Save a re-encoded logo under its generated name; returns the stored name."""
    field = Organization._meta.get_field("logo")
    return field.storage.save(field.generate_filename(None, content.name), content)


def _form_values(profile):
    """JSON values from a form's cleaned data (objects, files) for the fields it holds."""
    values = {}
    for field in PROFILE_FIELDS:
        if field == "logo":
            if profile.get("logo"):
                values["logo"] = _store_logo(profile["logo"])
            elif profile.get("remove_logo"):
                values["logo"] = ""
        elif field in profile:
            values[field] = _json_value(field, profile[field])
    return values


def _apply(organization, values):
    for field, value in values.items():
        if field in MANY_TO_MANY:
            continue
        if field == "logo":
            organization.logo.name = value or ""
        else:
            setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    for field, value in values.items():
        if field in MANY_TO_MANY:
            getattr(organization, field).set(value)


def _display(field, value):
    if value in (None, "", []):
        return "—"
    model_field = Organization._meta.get_field(field)
    if field in MANY_TO_MANY:
        objects = MANY_TO_MANY[field].objects.in_bulk(value)
        return ", ".join(str(objects[pk]) for pk in value if pk in objects)
    if field == "country":
        return countries.name(value) or value
    if field == "working_languages":
        labels = dict(Organization.Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if field == "logo":
        return value.rsplit("/", 1)[-1]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def describe_changes(before, after):
    """(label, before, after) for each field that differs, in the form's order."""
    rows = []
    for field in PROFILE_FIELDS:
        if field in after and before.get(field) != after[field]:
            label = Organization._meta.get_field(field).verbose_name
            rows.append(
                (
                    capfirst(str(label)),
                    _display(field, before.get(field)),
                    _display(field, after[field]),
                )
            )
    return rows


def changes_since_last_review(organization):
    """What the reviewer has not seen yet; None when there was no decision to compare with."""
    if not organization.reviewed_snapshot:
        return None
    return describe_changes(organization.reviewed_snapshot, proposed_profile(organization))


# --- Helpers ---------------------------------------------------------------------------------


def _locked(organization):
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _log(organization, *, from_status, action, by, reason=""):
    entry = ReviewLogEntry(
        organization=organization,
        from_status=from_status,
        to_status=organization.status,
        action=action,
        by=by if by is not None and by.is_authenticated else None,
        reason=reason,
    )
    # The organization (locked) and the person exist: no query to check their keys again.
    entry.full_clean(exclude=["organization", "by"])
    entry.save()
    return entry


def _email_members(name, organization, **context):
    # In the transaction of the change: the mails go to the outbox with it, or not at all.
    emails.send_to_members(name, organization, **context)


# Paths under /organizations/ that a slug must not shadow.
RESERVED_SLUGS = {"register", "join"}


def _unique_slug(name):
    base = slugify(transliterate(name))[:200].strip("-") or "organization"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Organization.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def email_in_use(email):
    user_model = get_user_model()
    return user_model.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def username_for(email):
    """A user name for an account made from an email address.

    The address itself when Django's user names allow it (so organizers find it easily);
    otherwise (quotes, "!", "'" and the other characters an address may hold) the address with
    those characters replaced, numbered if another account has that name already."""
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    base = email[: field.max_length]
    try:
        for validator in field.validators:
            validator(base)
        return base
    except ValidationError:
        pass
    base = (re.sub(r"[^\w.@+-]", "_", email) or "user")[: field.max_length - 4]
    candidate, number = base, 2
    while user_model.objects.filter(username__iexact=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _create_account(*, email, password, first_name, last_name):
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).lower()
    if email_in_use(email):
        # Spend the time of a password check, so that timing does not tell who has an account.
        user_model().set_password(password)
        raise EmailInUse(_("This address cannot be used."), code="email_in_use")
    user = user_model(
        username=username_for(email), email=email, first_name=first_name, last_name=last_name
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        # Two registrations with the same address at the same moment: one of them loses here.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise EmailInUse(_("This address cannot be used."), code="email_in_use") from error
    return user


# --- Registration and email verification -----------------------------------------------------


@transaction.atomic
def organization_register(
    *,
    email,
    password,
    first_name,
    last_name,
    language,
    profile,
    consent_version=CONSENT_VERSION,
    newsletter=False,
):
    """A new account and its organization, unverified until the email link is followed;
    `newsletter`: the person ticked the newsletter box (its consent is recorded)."""
    user = _create_account(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    values = _form_values(profile)
    organization = Organization(
        slug=_unique_slug(values["name"]),
        status=Status.UNVERIFIED,
        consent_version=consent_version,
        consent_given_at=timezone.now(),
    )
    _apply(organization, values)
    membership = Membership(
        user=user, organization=organization, role=Membership.Role.OWNER, language=language
    )
    membership.full_clean()
    membership.save()
    _log(organization, from_status="", action=Action.REGISTERED, by=user)
    if newsletter:
        signals.newsletter_opt_in.send(
            sender=Organization,
            user=user,
            email=user.email,
            language=language,
            consent_version=NEWSLETTER_CONSENT_VERSION,
        )
    _send_verification(organization, membership)
    return organization


def registration_account_exists(*, email, language):
    """Tell the owner of an address that tried to register again how to sign in instead.

    The person who registered sees the same "check your inbox" answer as for a new account:
    only the mailbox's owner learns that the account exists."""
    # Through the outbox, like every mail of the portal: sent by the worker, retried.
    emails.send(
        "account_exists",
        to=email,
        # The account's own language, not that of the page the registration was typed in.
        language=i18n.language_for_email(email) or language,
        context={
            "email": email,
            "login_url": emails.absolute(reverse("login")),
            "reset_url": emails.absolute(reverse("password_reset")),
        },
    )


def verification_token(organization, user):
    return signing.dumps(
        {"o": organization.pk, "u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True
    )


def _send_verification(organization, membership):
    user = membership.user
    link = emails.absolute(
        reverse("organizations:verify", kwargs={"token": verification_token(organization, user)})
    )
    emails.send(
        "verify_email",
        to=user.email,
        language=i18n.language_for(user),
        context={
            "organization": organization,
            "person": user,
            "link": link,
            "days": verification_max_age() // (24 * 3600),
        },
    )


def organization_send_verification(*, organization, user):
    """Send the link again; nothing happens once the email is confirmed."""
    if organization.status != Status.UNVERIFIED:
        return False
    membership = organization.memberships.select_related("user").filter(user=user).first()
    if membership is None:
        return False
    _send_verification(organization, membership)
    return True


def _verification(token, organizations):
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=verification_max_age())
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    try:
        organization = organizations.get(
            pk=data["o"], memberships__user_id=data["u"], memberships__user__email=data["e"]
        )
    except (Organization.DoesNotExist, KeyError, TypeError) as error:
        raise LinkInvalid from error
    return organization, data


def verification_organization(token):
    """The organization a confirmation link is for, changing nothing (LinkExpired,
    LinkInvalid): the page the link opens asks for the click that confirms."""
    return _verification(token, Organization.objects.all())[0]


@transaction.atomic
def organization_verify_email(*, token):
    """Confirm the address (the button on the link's page): the organization goes to review.
    Returns (organization, newly)."""
    organization, data = _verification(token, Organization.objects.select_for_update())
    if organization.status != Status.UNVERIFIED:
        return organization, False
    organization.status = Status.SUBMITTED
    organization.submitted_at = timezone.now()
    organization.save(update_fields=["status", "submitted_at", "updated_at"])
    user = get_user_model().objects.get(pk=data["u"])
    _log(organization, from_status=Status.UNVERIFIED, action=Action.EMAIL_CONFIRMED, by=user)
    _email_members("received", organization)
    return organization, True


# --- Editing ---------------------------------------------------------------------------------


@transaction.atomic
def organization_update(*, organization, by, profile):
    """Save a member's edit. An approved profile stays public as it was; the edit waits for
    review (except IMMEDIATE_FIELDS)."""
    organization = _locked(organization)
    if not can_edit(organization):
        raise TransitionNotAllowed(
            _("“%(name)s” is %(status)s and cannot be edited.")
            % {"name": organization.name, "status": organization.get_status_display().lower()}
        )
    values = _form_values(profile)
    if organization.status != Status.APPROVED:
        _apply(organization, values)
        return organization

    _apply(organization, {field: values[field] for field in IMMEDIATE_FIELDS if field in values})
    current = profile_snapshot(organization)
    changes = {
        field: value
        for field, value in values.items()
        if field in REVIEWED_FIELDS and current[field] != value
    }
    was = organization.pending_changes_status
    organization.pending_changes = changes
    if not changes:
        organization.pending_changes_status = Pending.NONE
    elif was == Pending.NONE:
        organization.pending_changes_status = Pending.SUBMITTED
        organization.submitted_at = timezone.now()
    organization.save()
    if changes and was == Pending.NONE:
        _log(organization, from_status=organization.status, action=Action.EDIT_SUBMITTED, by=by)
        _email_members("received", organization, edit=True)
    return organization


@transaction.atomic
def organization_resubmit(*, organization, by):
    """After "changes requested": back to the reviewer."""
    organization = _locked(organization)
    if organization.status == Status.CHANGES_REQUESTED:
        organization.status = Status.SUBMITTED
        action, edit = Action.RESUBMITTED, False
    elif can_resubmit(organization):
        organization.pending_changes_status = Pending.SUBMITTED
        action, edit = Action.EDIT_SUBMITTED, True
    else:
        raise TransitionNotAllowed(
            _("“%(name)s” can be resubmitted only after the reviewer asked for changes.")
            % {"name": organization.name}
        )
    from_status = organization.status if edit else Status.CHANGES_REQUESTED
    organization.submitted_at = timezone.now()
    organization.save()
    _log(organization, from_status=from_status, action=action, by=by)
    _email_members("received", organization, edit=edit)
    return organization


# --- What the workflow allows now ----------------------------------------------------------


def can_edit(organization):
    """Members may edit the profile unless it was rejected or is suspended."""
    return organization.status not in (Status.REJECTED, Status.SUSPENDED)


def can_resubmit(organization):
    """Members may send the profile back to review after the reviewer asked for changes."""
    return organization.status == Status.CHANGES_REQUESTED or (
        organization.status == Status.APPROVED
        and organization.pending_changes_status == Pending.CHANGES_REQUESTED
    )


def available_decisions(organization):
    """The decisions a reviewer may take now, as the admin offers them."""
    status = organization.status
    edit_waiting = (
        status == Status.APPROVED and organization.pending_changes_status == Pending.SUBMITTED
    )
    decisions = []
    if status in (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.SUSPENDED) or edit_waiting:
        decisions.append("approve")
    if status == Status.SUBMITTED or edit_waiting:
        decisions.append("request_changes")
    if status in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        decisions.append("reject")
    if status == Status.APPROVED:
        decisions.append("suspend")
    return decisions


# --- Review decisions ------------------------------------------------------------------------


def _refuse(message, organization):
    raise TransitionNotAllowed(
        message % {"name": organization.name, "status": organization.get_status_display().lower()}
    )


def _reason_required(reason):
    if not (reason or "").strip():
        raise TransitionNotAllowed(_("Give the organization a reason."))
    return reason.strip()


@transaction.atomic
def organization_approve(*, organization, by, note=""):
    """Approve a registration, accept the edit of an approved profile, or reinstate."""
    organization = _locked(organization)
    from_status = organization.status
    if from_status == Status.APPROVED and organization.pending_changes_status == Pending.SUBMITTED:
        _apply(organization, organization.pending_changes)
        organization.pending_changes = {}
        organization.pending_changes_status = Pending.NONE
        action, edit = Action.EDIT_APPROVED, True
    elif from_status in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        organization.status = Status.APPROVED
        organization.approved_at = organization.approved_at or timezone.now()
        action, edit = Action.APPROVED, False
    elif from_status == Status.SUSPENDED:
        organization.status = Status.APPROVED
        action, edit = Action.REINSTATED, False
    elif from_status == Status.APPROVED:
        _refuse(_("“%(name)s” is already approved and has no changes waiting."), organization)
    elif from_status == Status.UNVERIFIED:
        _refuse(
            _("“%(name)s” cannot be approved yet: its email address is not confirmed."),
            organization,
        )
    else:
        _refuse(_("“%(name)s” cannot be approved: it is %(status)s."), organization)
    organization.reviewed_snapshot = profile_snapshot(organization)
    organization.save()
    _log(organization, from_status=from_status, action=action, by=by, reason=note)
    _email_members(
        "approved", organization, edit=edit, reinstated=action == Action.REINSTATED, note=note
    )
    return organization


@transaction.atomic
def organization_request_changes(*, organization, by, reason):
    organization = _locked(organization)
    from_status = organization.status
    if from_status == Status.SUBMITTED:
        organization.status = Status.CHANGES_REQUESTED
        action, edit = Action.CHANGES_REQUESTED, False
    elif (
        from_status == Status.APPROVED and organization.pending_changes_status == Pending.SUBMITTED
    ):
        organization.pending_changes_status = Pending.CHANGES_REQUESTED
        action, edit = Action.EDIT_CHANGES_REQUESTED, True
    elif from_status == Status.APPROVED:
        _refuse(
            _("“%(name)s” is approved and has no changes waiting: suspend it if needed."),
            organization,
        )
    else:
        _refuse(_("Changes cannot be requested from “%(name)s”: it is %(status)s."), organization)
    reason = _reason_required(reason)
    organization.reviewed_snapshot = proposed_profile(organization)
    organization.save()
    _log(organization, from_status=from_status, action=action, by=by, reason=reason)
    _email_members("changes_requested", organization, reason=reason, edit=edit)
    return organization


@transaction.atomic
def organization_reject(*, organization, by, reason):
    organization = _locked(organization)
    from_status = organization.status
    if from_status == Status.APPROVED:
        _refuse(_("“%(name)s” is approved: suspend it instead of rejecting it."), organization)
    if from_status not in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        _refuse(_("“%(name)s” cannot be rejected: it is %(status)s."), organization)
    reason = _reason_required(reason)
    organization.status = Status.REJECTED
    organization.save()
    _log(organization, from_status=from_status, action=Action.REJECTED, by=by, reason=reason)
    _email_members("rejected", organization, reason=reason)
    return organization


@transaction.atomic
def organization_suspend(*, organization, by, reason=""):
    organization = _locked(organization)
    from_status = organization.status
    if from_status != Status.APPROVED:
        _refuse(
            _("Only an approved organization can be suspended; “%(name)s” is %(status)s."),
            organization,
        )
    organization.status = Status.SUSPENDED
    organization.save()
    reason = (reason or "").strip()
    _log(organization, from_status=from_status, action=Action.SUSPENDED, by=by, reason=reason)
    _email_members("suspended", organization, reason=reason)
    return organization


# --- Members and invitations -----------------------------------------------------------------


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token):
    """The open invitation behind a link, or LinkInvalid / LinkExpired."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=invitation_max_age())
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=pk, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise LinkInvalid
    return invitation


@transaction.atomic
def membership_invite(*, organization, by, email, language):
    """An owner invites a person by email to edit the organization with them."""
    if not organization.memberships.filter(user=by, role=Membership.Role.OWNER).exists():
        raise TransitionNotAllowed(_("Only an owner of the organization can invite editors."))
    email = get_user_model().objects.normalize_email(email).lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            _("This person is already a member of your organization."), code="member"
        )
    # Inviting the same address again sends a fresh link instead of a second invitation.
    organization.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation(
        organization=organization,
        email=email,
        role=Membership.Role.EDITOR,
        invited_by=by,
        language=language,
    )
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation)
    return invitation


def _send_invitation(invitation):
    link = emails.absolute(
        reverse("organizations:join", kwargs={"token": invitation_token(invitation)})
    )
    emails.send(
        "invitation",
        to=invitation.email,
        # Someone who has an account already reads it in their own language; a newcomer in the
        # language of the person who invited them.
        language=i18n.language_for_email(invitation.email) or invitation.language,
        context={
            "organization": invitation.organization,
            "invited_by": invitation.invited_by,
            "link": link,
            "days": invitation_max_age() // (24 * 3600),
        },
    )


@transaction.atomic
def invitation_accept(
    *, invitation, user=None, password=None, first_name="", last_name="", language
):
    """Join the organization: with the signed-in account, or a new one for the invited address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise LinkInvalid
    if user is None:
        user = _create_account(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise TransitionNotAllowed(_("This invitation was sent to another email address."))
    if Membership.objects.filter(user=user).exists():
        raise TransitionNotAllowed(
            _("Your account already belongs to an organization; an account can belong to one.")
        )
    membership = Membership(
        user=user, organization=invitation.organization, role=invitation.role, language=language
    )
    membership.full_clean()
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership, by):
    """An owner removes another member; the last owner cannot be removed."""
    organization = membership.organization
    if not organization.memberships.filter(user=by, role=Membership.Role.OWNER).exists():
        raise TransitionNotAllowed(_("Only an owner of the organization can remove members."))
    if membership.user_id == by.pk:
        raise TransitionNotAllowed(_("You cannot remove yourself."))
    membership.delete()
