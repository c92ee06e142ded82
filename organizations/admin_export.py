"""Organizers' export of the organizations list (the admin list as filtered), as CSV.

Unlike the open data, it holds what organizers work with: review status, registration number
and the contact person. It takes a queryset already narrowed to what the reader may see."""

import csv
import io

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership

CHUNK = 1000

# Long exports are prepared in the background by the app that does it (exports/apps.py sets
# this), so that this app imports nothing from the apps above it.
_background = None


def set_background_export(function):
    """`function(request, kind, rows)` answers with a redirect to a background export, or None
    when the export is short enough to answer at once."""
    global _background
    _background = function


def background_export(request, kind, rows):
    return _background(request, kind, rows) if _background else None


def columns():
    return [
        _("Name"),
        _("Local name"),
        _("Acronym"),
        _("Country"),
        _("City"),
        _("Legal form"),
        _("Registration number"),
        _("Year founded"),
        _("Review status"),
        _("Visibility"),
        _("Focus areas"),
        _("Website"),
        _("Public email"),
        _("Phone"),
        _("Contact person"),
        _("Contact person's email"),
        _("Contact person's position"),
        _("Contact person's phone"),
        _("Registered"),
        _("Verified since"),
    ]


def _safe(value):
    """Text a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def rows(organizations):
    """One row per organization; a fixed number of queries per thousand rows."""
    owners = Prefetch(
        "memberships",
        queryset=Membership.objects.filter(role=Membership.Role.OWNER)
        .select_related("user")
        .order_by("created_at"),
        to_attr="owners",
    )
    organizations = organizations.prefetch_related("focus_areas", owners)
    for organization in organizations.iterator(chunk_size=CHUNK):
        owner = organization.owners[0].user if organization.owners else None
        yield [
            _safe(value)
            for value in (
                organization.name,
                organization.name_local,
                organization.acronym,
                str(organization.country.name),
                organization.city,
                organization.get_legal_form_display(),
                organization.registration_number,
                organization.year_founded or "",
                str(organization.get_status_display()),
                str(organization.get_visibility_display()),
                "; ".join(area.name for area in organization.focus_areas.all()),
                organization.website,
                organization.public_email,
                organization.phone,
                owner.get_full_name() if owner else "",
                owner.email if owner else "",
                organization.contact_position,
                organization.contact_phone,
                _date(organization.created_at),
                _date(organization.approved_at),
            )
        ]


def write_csv(organizations, output, *, progress=None):
    """Write to a text file; `progress(rows)` is called as rows are written."""
    # The byte order mark tells Excel the file is UTF-8 (names in Cyrillic stay readable).
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(columns())
    for count, row in enumerate(rows(organizations), start=1):
        writer.writerow(row)
        if progress is not None:
            progress(count)


class OrganizationExportMixin:
    """The organizations list's "Export CSV": the list as filtered, all pages; prepared in the
    background when it is long (exports/jobs.py)."""

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv),
                name="organizations_organization_export_csv",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        extra_context = {**(extra_context or {}), "export_query": f"?{query}" if query else ""}
        return super().changelist_view(request, extra_context)

    def export_queryset(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self.get_changelist_instance(request).get_queryset(request)

    def export_filename(self, request, extension):
        return f"organizations-{timezone.localdate():%Y-%m-%d}.{extension}"

    def export_csv(self, request):
        try:
            organizations = self.export_queryset(request)
            total = organizations.count()
        except IncorrectLookupParameters:
            # A filter typed by hand: back to the list, which says so.
            return HttpResponseRedirect(
                f"{reverse('admin:organizations_organization_changelist')}?e=1"
            )
        background = background_export(request, "organizations-csv", total)
        if background is not None:
            return background
        output = io.StringIO()
        write_csv(organizations, output)
        response = HttpResponse(output.getvalue().encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_filename(request, "csv")}"'
        )
        return response
