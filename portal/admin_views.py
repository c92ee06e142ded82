"""Personal data on request, from the admin: organizers export or erase an organization's data
or one person's account when they are asked to. Each view needs the matching permission
(organizers have it; country coordinators do not) and leaves a `PersonalDataRequest`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import Membership, Organization

from . import personal_data
from .views import json_response

EXPORT = "organizations.export_personal_data"
ERASE = "organizations.erase_personal_data"


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _confirm(request, *, title, subject, consequences, back_url):
    return TemplateResponse(
        request,
        "admin/personal_data/erase_confirm.html",
        {
            **_site_context(request),
            "title": title,
            "subject": subject,
            "consequences": consequences,
            "back_url": back_url,
        },
    )


def _site_context(request):
    from django.contrib import admin

    return admin.site.each_context(request)


def organization_export_json(request, pk):
    _require(request, EXPORT)
    organization = get_object_or_404(Organization, pk=pk)
    data = personal_data.organization_export(organization=organization, by=request.user)
    return json_response(data, personal_data.export_filename(organization.slug))


def organization_export_page(request, pk):
    _require(request, EXPORT)
    organization = get_object_or_404(Organization, pk=pk)
    data = personal_data.organization_export(organization=organization, by=request.user)
    return TemplateResponse(
        request,
        "organizations/personal_data_export.html",
        {
            "data": data,
            "organization": organization,
            "sections": personal_data.readable_sections(data),
            "back_url": reverse("admin:organizations_organization_change", args=[pk]),
        },
    )


def organization_erase(request, pk):
    _require(request, ERASE)
    organization = get_object_or_404(Organization, pk=pk)
    back_url = reverse("admin:organizations_organization_change", args=[pk])
    if request.method == "POST":
        try:
            personal_data.organization_erase(organization=organization, by=request.user)
        except personal_data.ErasureRefused as error:
            messages.error(request, str(error))
            return redirect(back_url)
        messages.success(
            request,
            _("The personal data of “%(name)s” and its members' accounts are erased.")
            % {"name": organization.name},
        )
        return redirect("admin:organizations_personaldatarequest_changelist")
    members = organization.memberships.count()
    return _confirm(
        request,
        title=_("Erase the personal data of an organization"),
        subject=organization.name,
        consequences=[
            ngettext(
                "The account of its only member is erased.",
                "The accounts of its %(count)d members are erased.",
                members,
            )
            % {"count": members},
            _("Its delegates for events to come are removed; their seats go to the waiting list."),
            _("Its delegates of past events stay as anonymous lines, for the donors' figures."),
            _(
                "The organization is deleted, or kept anonymised and hidden if past events "
                "count its delegates."
            ),
        ],
        back_url=back_url,
    )


def account_export_json(request, pk):
    _require(request, EXPORT)
    user = get_object_or_404(get_user_model(), pk=pk)
    data = personal_data.account_export(user=user, by=request.user)
    return json_response(data, personal_data.export_filename(f"account-{user.pk}"))


def account_erase(request, pk):
    _require(request, ERASE)
    user = get_object_or_404(get_user_model(), pk=pk)
    back_url = reverse("admin:auth_user_change", args=[pk])
    refusal = personal_data.erasure_refusal(user)
    if refusal:
        messages.error(request, refusal)
        return redirect(back_url)
    if request.method == "POST":
        personal_data.account_erase(user=user, by=request.user)
        messages.success(request, _("The account and its personal data are erased."))
        return redirect("admin:organizations_personaldatarequest_changelist")
    membership = Membership.objects.select_related("organization").filter(user=user).first()
    consequences = [
        _("The account, its name, email address and password are removed."),
        _("Its delegate records for events to come are removed; past ones are anonymised."),
    ]
    if membership is not None:
        if membership.organization.memberships.exclude(user=user).exists():
            consequences.append(
                _("“%(name)s” stays with its other members.")
                % {"name": membership.organization.name}
            )
        else:
            consequences.append(
                _("This is the last member of “%(name)s”: its data is erased too.")
                % {"name": membership.organization.name}
            )
    return _confirm(
        request,
        title=_("Erase an account"),
        subject=user.get_full_name() or user.get_username(),
        consequences=consequences,
        back_url=back_url,
    )
