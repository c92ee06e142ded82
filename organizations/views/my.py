"""/my/: a CSO member's own organization: status, profile, editing, colleagues.

Every view reaches the organization through the signed-in person's membership, and sub-objects
(invitations, memberships) through that organization, so another organization's objects are a
404 whatever the id in the URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import services
from ..forms import InvitationForm, OrganizationForm
from ..models import Membership, Organization
from .registration import _bound

Status = Organization.Status
Pending = Organization.PendingChangesStatus


def _membership(request, *, owner=False):
    membership = Membership.objects.of_user(request.user, owner=owner)
    if membership is None:
        raise Http404
    return membership


@never_cache
@login_required
def dashboard(request):
    membership = Membership.objects.of_user(request.user)
    if membership is None:
        return render(request, "organizations/organization_dashboard.html", {"organization": None})
    organization = membership.organization
    log = list(organization.review_log.select_related("by")[:20])
    # The reviewer's latest word: shown while it still matters.
    reason_entry = next((entry for entry in log if entry.reason), None)
    shows_reason = organization.status in (
        Status.CHANGES_REQUESTED,
        Status.REJECTED,
        Status.SUSPENDED,
    ) or (organization.pending_changes_status == Pending.CHANGES_REQUESTED)
    is_owner = membership.role == Membership.Role.OWNER
    context = {
        "organization": organization,
        "membership": membership,
        "is_owner": is_owner,
        "log": log,
        "reason": reason_entry.reason if reason_entry and shows_reason else "",
        "pending_rows": services.describe_changes(
            services.profile_snapshot(organization), services.proposed_profile(organization)
        )
        if organization.pending_changes
        else [],
        "can_edit": services.can_edit(organization),
        "can_resubmit": services.can_resubmit(organization),
        "focus_areas": organization.focus_areas.all(),
        "sdgs": organization.sdgs.all(),
        # Owners ("owner" > "editor") first.
        "members": organization.memberships.select_related("user").order_by("-role", "pk"),
        "invitations": organization.invitations.filter(accepted_at__isnull=True)
        if is_owner
        else [],
        "working_languages": [
            str(dict(Organization.Language.choices).get(code, code))
            for code in organization.working_languages
        ],
    }
    return render(request, "organizations/organization_dashboard.html", context)


@never_cache
@login_required
def edit(request):
    organization = _membership(request).organization
    if not services.can_edit(organization):
        messages.error(
            request,
            _("Your organization is %(status)s: its profile cannot be edited.")
            % {"status": organization.get_status_display().lower()},
        )
        return redirect("organizations:my")
    # An approved profile with changes waiting: edit those, not the public version.
    initial = dict(organization.pending_changes)
    initial.pop("logo", None)
    form = OrganizationForm(*_bound(request, files=True), instance=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        was_approved = organization.status == Status.APPROVED
        try:
            organization = services.organization_update(
                organization=organization, by=request.user, profile=form.profile()
            )
            if "resubmit" in request.POST and services.can_resubmit(organization):
                organization = services.organization_resubmit(
                    organization=organization, by=request.user
                )
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form.remove_kept_logo()
            if was_approved and organization.pending_changes_status == Pending.SUBMITTED:
                messages.success(
                    request,
                    _(
                        "Your changes are with the reviewers. Until they accept them, your public "
                        "profile shows the version approved earlier."
                    ),
                )
            elif services.can_resubmit(organization):
                messages.success(
                    request,
                    _("Your changes are saved. Resubmit the profile when it is ready for review."),
                )
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect("organizations:my")
    return render(
        request,
        "organizations/organization_edit.html",
        {
            "form": form,
            "organization": organization,
            "can_resubmit": services.can_resubmit(organization),
            "pending_logo": organization.pending_changes.get("logo"),
        },
    )


@require_POST
@login_required
def resubmit(request):
    organization = _membership(request).organization
    try:
        services.organization_resubmit(organization=organization, by=request.user)
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: your profile is back with the reviewers."))
    return redirect("organizations:my")


@require_POST
@login_required
def resend_verification(request):
    organization = _membership(request).organization
    if services.organization_send_verification(organization=organization, user=request.user):
        messages.success(
            request,
            _("We are sending a new link to %(email)s. It may take a few minutes to arrive.")
            % {"email": request.user.email},
        )
    else:
        messages.info(request, _("Your email address is already confirmed."))
    return redirect("organizations:my")


@never_cache
@login_required
def invite(request):
    membership = _membership(request, owner=True)
    organization = membership.organization
    form = InvitationForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.membership_invite(
                organization=organization,
                by=request.user,
                email=form.cleaned_data["email"],
                language=(get_language() or "en").split("-")[0],
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("We are sending an invitation to %(email)s.") % {"email": invitation.email},
            )
            return redirect("organizations:my")
    return render(
        request,
        "organizations/invitation_form.html",
        {"form": form, "organization": organization},
    )


@require_POST
@login_required
def invitation_cancel(request, pk):
    organization = _membership(request, owner=True).organization
    invitation = get_object_or_404(organization.invitations, pk=pk, accepted_at__isnull=True)
    invitation.delete()
    messages.success(
        request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email}
    )
    return redirect("organizations:my")


@require_POST
@login_required
def member_remove(request, pk):
    owner = _membership(request, owner=True)
    membership = get_object_or_404(
        owner.organization.memberships.select_related("user", "organization"), pk=pk
    )
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s no longer edits the organization.")
            % {"person": membership.user.get_full_name() or membership.user.email},
        )
    return redirect("organizations:my")
