"""The review workflow's service functions: the same ones the views, the admin and the shell use."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from organizations import services
from organizations.logos import process_logo
from organizations.models import Organization, ReviewLogEntry
from outbox.models import Mail
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.organizations.registration_helpers import PASSWORD, image_file, profile

pytestmark = pytest.mark.django_db

Status = Organization.Status
Pending = Organization.PendingChangesStatus
Action = ReviewLogEntry.Action


@pytest.fixture
def reviewer(db):
    return StaffFactory(username="reviewer")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the services with their after-commit emails sent, as in production."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def _register(run_on_commit, email="aigerim@steppe.example.org", language="en", **overrides):
    return run_on_commit(
        services.organization_register,
        email=email,
        password=PASSWORD,
        first_name="Aigerim",
        last_name="Nurlanovna",
        language=language,
        profile=profile(**overrides),
    )


def _verify(run_on_commit, organization):
    owner = organization.memberships.get().user
    token = services.verification_token(organization, owner)
    return run_on_commit(services.organization_verify_email, token=token)[0]


def _submitted(run_on_commit, **overrides):
    return _verify(run_on_commit, _register(run_on_commit, **overrides))


def _actions(organization):
    return list(organization.review_log.order_by("pk").values_list("action", flat=True))


def test_register_creates_unverified_organization_owner_and_consent(run_on_commit):
    organization = _register(run_on_commit, email="Aigerim@Steppe.Example.org")

    assert organization.status == Status.UNVERIFIED
    assert organization.slug == "zhasyl-qala"
    assert organization.consent_version == "2025-01"
    assert organization.consent_given_at is not None
    membership = organization.memberships.get()
    assert (membership.role, membership.language) == ("owner", "en")
    assert membership.user.username == membership.user.email == "aigerim@steppe.example.org"
    assert membership.user.check_password(PASSWORD)
    assert _actions(organization) == [Action.REGISTERED]
    assert Organization.objects.public().count() == 0
    assert [message.to for message in mail.outbox] == [["aigerim@steppe.example.org"]]
    assert "/organizations/register/verify/" in mail.outbox[0].body


def test_register_sends_the_email_in_the_persons_language_as_text_and_html(run_on_commit):
    _register(run_on_commit, language="ru")

    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="ru">' in html
    assert "/organizations/register/verify/" in message.body


def test_register_refuses_an_address_already_in_use_whatever_its_case(run_on_commit):
    UserFactory(username="someone", email="taken@example.org")

    with pytest.raises(services.EmailInUse):
        _register(run_on_commit, email="TAKEN@example.org")
    assert Organization.objects.count() == 0


def test_register_stores_logo_under_a_generated_name(run_on_commit):
    organization = _register(run_on_commit, logo=process_logo(image_file("my logo.png")))

    assert organization.logo.name.startswith("logos/")
    assert "my logo" not in organization.logo.name
    assert organization.logo.name.endswith(".png")


def test_slugs_are_unique_and_never_shadow_fixed_paths(run_on_commit):
    first = _register(run_on_commit, email="a@example.org", name="Register")
    second = _register(run_on_commit, email="b@example.org", name="Register")

    assert first.slug == "register-2"
    assert second.slug == "register-3"


def test_whole_path_from_registration_to_an_edit_back_in_review(run_on_commit, reviewer):
    organization = _register(run_on_commit)
    owner = organization.memberships.get().user

    organization = _verify(run_on_commit, organization)
    assert organization.status == Status.SUBMITTED
    assert organization.submitted_at is not None

    organization = run_on_commit(
        services.organization_request_changes,
        organization=organization,
        by=reviewer,
        reason="Please describe your activities.",
    )
    assert organization.status == Status.CHANGES_REQUESTED
    assert "Please describe your activities." in mail.outbox[-1].body

    organization = run_on_commit(
        services.organization_update,
        organization=organization,
        by=owner,
        profile=profile(description="We plant trees in Almaty's courtyards with neighbours."),
    )
    assert organization.status == Status.CHANGES_REQUESTED
    assert services.changes_since_last_review(organization) == [
        (
            "Description",
            "Urban greening and clean air in Almaty.",
            "We plant trees in Almaty's courtyards with neighbours.",
        )
    ]

    organization = run_on_commit(
        services.organization_resubmit, organization=organization, by=owner
    )
    assert organization.status == Status.SUBMITTED

    organization = run_on_commit(
        services.organization_approve, organization=organization, by=reviewer
    )
    assert organization.status == Status.APPROVED
    assert organization.approved_at is not None
    assert Organization.objects.public().get() == organization
    assert "approved" in mail.outbox[-1].subject

    organization = run_on_commit(
        services.organization_update,
        organization=organization,
        by=owner,
        profile=profile(
            name="Zhasyl Qala Foundation",
            description="We plant trees in Almaty's courtyards with neighbours.",
        ),
    )
    # Back in review, while the public profile stays as approved.
    assert organization.status == Status.APPROVED
    assert organization.pending_changes_status == Pending.SUBMITTED
    assert organization in Organization.objects.awaiting_review()
    assert Organization.objects.public().get().name == "Zhasyl Qala"
    assert organization.pending_changes == {"name": "Zhasyl Qala Foundation"}
    assert services.changes_since_last_review(organization) == [
        ("Name", "Zhasyl Qala", "Zhasyl Qala Foundation")
    ]

    organization = run_on_commit(
        services.organization_approve, organization=organization, by=reviewer
    )
    assert Organization.objects.public().get().name == "Zhasyl Qala Foundation"
    assert organization.pending_changes == {}
    assert _actions(organization) == [
        Action.REGISTERED,
        Action.EMAIL_CONFIRMED,
        Action.CHANGES_REQUESTED,
        Action.RESUBMITTED,
        Action.APPROVED,
        Action.EDIT_SUBMITTED,
        Action.EDIT_APPROVED,
    ]
    entry = organization.review_log.get(action=Action.CHANGES_REQUESTED)
    assert (entry.from_status, entry.to_status, entry.by, entry.reason) == (
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        reviewer,
        "Please describe your activities.",
    )


def test_emails_at_each_step_go_to_every_member(run_on_commit, reviewer):
    organization = _submitted(run_on_commit)
    editor = MembershipFactory(organization=organization, role="editor", language="ru").user
    mail.outbox.clear()

    run_on_commit(
        services.organization_reject,
        organization=organization,
        by=reviewer,
        reason="Not a civil society organization.",
    )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["aigerim@steppe.example.org", editor.email]
    )
    assert all("Not a civil society organization." in message.body for message in mail.outbox)


def test_rejection_is_final_and_needs_a_reason(run_on_commit, reviewer):
    organization = _submitted(run_on_commit)

    with pytest.raises(services.TransitionNotAllowed, match="reason"):
        services.organization_reject(organization=organization, by=reviewer, reason="  ")
    organization = run_on_commit(
        services.organization_reject, organization=organization, by=reviewer, reason="Duplicate."
    )

    assert organization.status == Status.REJECTED
    for transition in (services.organization_approve, services.organization_suspend):
        with pytest.raises(services.TransitionNotAllowed):
            transition(organization=organization, by=reviewer)
    with pytest.raises(services.TransitionNotAllowed, match="cannot be edited"):
        services.organization_update(organization=organization, by=reviewer, profile=profile())


def test_suspension_hides_the_organization_and_approval_reinstates_it(run_on_commit, reviewer):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization)

    organization = run_on_commit(
        services.organization_suspend, organization=organization, by=reviewer, reason="Outdated."
    )
    assert organization.status == Status.SUSPENDED
    assert Organization.objects.public().count() == 0
    assert "Outdated." in mail.outbox[-1].body

    organization = run_on_commit(
        services.organization_approve, organization=organization, by=reviewer
    )
    assert organization.status == Status.APPROVED
    assert _actions(organization) == [Action.SUSPENDED, Action.REINSTATED]


@pytest.mark.parametrize(
    ("status", "transition", "message"),
    [
        ("unverified", "organization_approve", "email address is not confirmed"),
        ("approved", "organization_approve", "already approved"),
        ("rejected", "organization_approve", "cannot be approved"),
        ("approved", "organization_reject", "suspend it instead"),
        ("unverified", "organization_reject", "cannot be rejected"),
        ("submitted", "organization_suspend", "Only an approved organization"),
        ("changes_requested", "organization_request_changes", "cannot be requested"),
        ("approved", "organization_request_changes", "no changes waiting"),
        ("submitted", "organization_resubmit", "only after the reviewer asked"),
    ],
)
def test_forbidden_transitions_are_refused_with_a_clear_message(
    reviewer, status, transition, message
):
    organization = OrganizationFactory(status=status)

    with pytest.raises(services.TransitionNotAllowed, match=message):
        getattr(services, transition)(
            organization=organization,
            by=reviewer,
            **(
                {"reason": "A reason."} if "reject" in transition or "request" in transition else {}
            ),
        )
    organization.refresh_from_db()
    assert organization.status == status
    assert not organization.review_log.exists()


@pytest.mark.parametrize(
    ("status", "pending"),
    [
        ("unverified", ""),
        ("submitted", ""),
        ("changes_requested", ""),
        ("approved", ""),
        ("approved", "submitted"),
        ("approved", "changes_requested"),
        ("rejected", ""),
        ("suspended", ""),
    ],
)
def test_available_decisions_are_exactly_the_allowed_transitions(reviewer, status, pending):
    for decision, service in [
        ("approve", services.organization_approve),
        ("request_changes", services.organization_request_changes),
        ("reject", services.organization_reject),
        ("suspend", services.organization_suspend),
    ]:
        organization = OrganizationFactory(
            status=status,
            pending_changes={"city": "Astana"} if pending else {},
            pending_changes_status=pending,
        )
        allowed = decision in services.available_decisions(organization)
        kwargs = {} if decision == "approve" else {"reason": "A reason."}
        try:
            service(organization=organization, by=reviewer, **kwargs)
        except services.TransitionNotAllowed:
            assert not allowed, (decision, status, pending)
        else:
            assert allowed, (decision, status, pending)


def test_edit_of_approved_profile_applies_visibility_and_contact_at_once(run_on_commit):
    organization = OrganizationFactory(contact_position="Director")
    owner = MembershipFactory(organization=organization).user

    organization = run_on_commit(
        services.organization_update,
        organization=organization,
        by=owner,
        profile=profile(
            name=organization.name,
            description=organization.description,
            registration_number="",
            visibility=Organization.Visibility.HIDDEN,
            contact_position="Chair",
            name_local="",
            acronym="",
            year_founded=None,
            website="",
            public_email="",
            phone="",
            size_band="",
            working_languages=[],
            focus_areas=[],
        ),
    )

    assert organization.visibility == Organization.Visibility.HIDDEN
    assert organization.contact_position == "Chair"
    assert organization.pending_changes == {}
    assert organization.pending_changes_status == Pending.NONE
    assert Organization.objects.public().count() == 0


def test_changes_requested_on_an_edit_keep_the_public_profile(run_on_commit, reviewer):
    organization = OrganizationFactory(name="Old name")
    owner = MembershipFactory(organization=organization).user
    run_on_commit(
        services.organization_update,
        organization=organization,
        by=owner,
        profile=profile(name="New name"),
    )

    organization = run_on_commit(
        services.organization_request_changes,
        organization=organization,
        by=reviewer,
        reason="Keep the registered name.",
    )

    assert organization.status == Status.APPROVED
    assert organization.pending_changes_status == Pending.CHANGES_REQUESTED
    assert Organization.objects.public().get().name == "Old name"
    organization = run_on_commit(
        services.organization_resubmit, organization=organization, by=owner
    )
    assert organization.pending_changes_status == Pending.SUBMITTED


def test_verify_email_link_works_once_and_refuses_tampering_and_age(run_on_commit, settings):
    organization = _register(run_on_commit)
    owner = organization.memberships.get().user
    token = services.verification_token(organization, owner)

    with pytest.raises(services.LinkInvalid):
        services.organization_verify_email(token=token[:-2] + "xx")
    organization_again, newly = services.organization_verify_email(token=token)
    assert (organization_again.status, newly) == (Status.SUBMITTED, True)
    assert services.organization_verify_email(token=token)[1] is False

    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    with pytest.raises(services.LinkExpired):
        services.organization_verify_email(token=token)


def test_verify_email_link_dies_when_the_address_changes(run_on_commit):
    organization = _register(run_on_commit)
    owner = organization.memberships.get().user
    token = services.verification_token(organization, owner)
    owner.email = "other@example.org"
    owner.save()

    with pytest.raises(services.LinkInvalid):
        services.organization_verify_email(token=token)


def test_invitation_creates_an_editor_account_bound_to_the_organization(run_on_commit):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization).user

    invitation = run_on_commit(
        services.membership_invite,
        organization=organization,
        by=owner,
        email="Colleague@Example.org",
        language="ru",
    )
    assert mail.outbox[-1].to == ["colleague@example.org"]
    assert '<html lang="ru">' in mail.outbox[-1].alternatives[0][0]
    found = services.invitation_from_token(services.invitation_token(invitation))
    membership = services.invitation_accept(
        invitation=found,
        password=PASSWORD,
        first_name="Dana",
        last_name="K",
        language="ru",
    )

    assert membership.organization == organization
    assert (membership.role, membership.language) == ("editor", "ru")
    assert membership.user.email == "colleague@example.org"
    with pytest.raises(services.LinkInvalid):
        services.invitation_from_token(services.invitation_token(invitation))


def test_only_owners_invite_and_members_are_not_invited_twice(run_on_commit):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization).user
    editor = MembershipFactory(organization=organization, role="editor").user

    with pytest.raises(services.TransitionNotAllowed):
        services.membership_invite(
            organization=organization, by=editor, email="x@example.org", language="en"
        )
    with pytest.raises(ValidationError):
        services.membership_invite(
            organization=organization, by=owner, email=editor.email.upper(), language="en"
        )


def test_an_account_of_another_organization_cannot_accept_an_invitation(run_on_commit):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization).user
    elsewhere = MembershipFactory(user__email="busy@example.org").user
    invitation = services.membership_invite(
        organization=organization, by=owner, email="busy@example.org", language="en"
    )

    with pytest.raises(services.TransitionNotAllowed, match="already belongs"):
        services.invitation_accept(invitation=invitation, user=elsewhere, language="en")


def test_duplicate_flags_by_identifier_in_country_and_by_transliterated_name():
    first = OrganizationFactory(name="Жасыл Қала", registration_number="120540001129")
    OrganizationFactory(name="Zhasyl Qala")
    OrganizationFactory(name="Other", country="KZ", registration_number="120540001129")
    OrganizationFactory(name="Elsewhere", country="UZ", registration_number="302004567")
    OrganizationFactory(name="Unique", country="KG", registration_number="302004567")

    flags = {
        organization.name: (organization.duplicate_identifier, organization.duplicate_name)
        for organization in Organization.objects.with_duplicate_flags()
    }

    assert flags[first.name] == (True, True)
    assert flags["Zhasyl Qala"] == (False, True)
    assert flags["Other"] == (True, False)
    assert flags["Elsewhere"] == (False, False)
    assert flags["Unique"] == (False, False)


def test_a_mail_server_that_is_down_does_not_undo_or_break_a_step(
    run_on_commit, reviewer, settings
):
    organization = _submitted(run_on_commit)
    # A real SMTP connection to a closed port: the mail server is down.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    mail.outbox.clear()

    organization = run_on_commit(
        services.organization_approve, organization=organization, by=reviewer
    )

    organization.refresh_from_db()
    assert organization.status == Status.APPROVED
    waiting = Mail.objects.get(subject__contains="approved")
    assert waiting.status == Mail.Status.QUEUED
    assert waiting.attempts == 1
    assert "ConnectionRefusedError" in waiting.last_error
    assert mail.outbox == []


def test_a_new_logo_of_an_approved_organization_waits_for_review(run_on_commit, reviewer):
    organization = OrganizationFactory(name="Zhasyl Qala", description="Trees.")
    owner = MembershipFactory(organization=organization).user

    organization = run_on_commit(
        services.organization_update,
        organization=organization,
        by=owner,
        profile={"logo": process_logo(image_file("new.png"))},
    )

    assert not organization.logo
    assert organization.pending_changes["logo"].startswith("logos/")
    [(label, before, after)] = services.describe_changes(
        services.profile_snapshot(organization), services.proposed_profile(organization)
    )
    assert (label, before) == ("Logo", "—")
    organization = run_on_commit(
        services.organization_approve, organization=organization, by=reviewer
    )
    assert organization.logo.name.startswith("logos/")
    assert organization.logo.storage.exists(organization.logo.name)
