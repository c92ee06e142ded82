import logging

from celery import current_app
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin

from . import services, tasks
from .admin_export import OrganizationExportMixin
from .admin_languages import GroupedLanguagesMixin
from .admin_titles import DeclinedTitlesMixin
from .forms import ReviewReasonForm
from .identifiers import clean_identifier
from .logos import process_logo
from .models import (
    CountryCoordinator,
    FocusArea,
    Invitation,
    Membership,
    Organization,
    PersonalDataRequest,
    ReviewLogEntry,
    ReviewReasonTemplate,
    SustainableDevelopmentGoal,
)
from .roles import coordinated_countries, coordinator_appoint, coordinator_dismiss
from .text import normalize_name

Status = Organization.Status
Pending = Organization.PendingChangesStatus


def _countries(request):
    """The countries a coordinator is limited to (None: all), once per request."""
    if not hasattr(request, "_coordinated_countries"):
        request._coordinated_countries = coordinated_countries(request.user)
    return request._coordinated_countries


class CountryScopedAdminMixin:
    """Country coordinators see only what belongs to their countries; others see everything."""

    country_lookup = "country"

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # The admin's default sends someone who opens another country's object to the index
        # with "perhaps it was deleted"; outside their countries it does not exist: 404.
        raise Http404

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        countries = _countries(request)
        if countries is not None:
            queryset = queryset.filter(**{f"{self.country_lookup}__in": countries})
        return queryset


@admin.register(FocusArea)
class FocusAreaAdmin(GroupedLanguagesMixin, TranslationAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(GroupedLanguagesMixin, TranslationAdmin):
    list_display = ["number", "name"]


@admin.register(ReviewReasonTemplate)
class ReviewReasonTemplateAdmin(GroupedLanguagesMixin, TranslationAdmin):
    list_display = ["title", "kind", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title", "text"]


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for a decision"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.awaiting_review()
        return queryset


class LikelyDuplicateFilter(admin.SimpleListFilter):
    title = _("likely duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        duplicate = Q(duplicate_identifier=True) | Q(duplicate_name=True)
        if self.value() == "yes":
            return queryset.filter(duplicate)
        if self.value() == "no":
            return queryset.exclude(duplicate)
        return queryset


class ReviewLogInline(admin.TabularInline):
    model = ReviewLogEntry
    fields = ["created_at", "action", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("review log")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "language", "created_at"]
    readonly_fields = ["user", "language", "created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        # Accounts join through registration or an owner's invitation.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class OrganizationAdminForm(forms.ModelForm):
    """The organizers' edit form: the same identifier and logo checks as the public forms."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=Organization.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organization
        # The admin builds the form from its fieldsets; these are the fields checked here.
        fields = ["country", "registration_number", "website", "logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return process_logo(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("country") and cleaned.get("registration_number"):
            try:
                cleaned["registration_number"] = clean_identifier(
                    cleaned["country"], cleaned["registration_number"]
                )
            except ValidationError as error:
                self.add_error("registration_number", error)
        return cleaned


logger = logging.getLogger(__name__)

# Decisions an organizer takes: (service, reason kind for the templates, reason required).
DECISIONS = {
    "approve": (services.organization_approve, None, False),
    "request_changes": (services.organization_request_changes, "changes_requested", True),
    "reject": (services.organization_reject, "rejected", True),
    "suspend": (services.organization_suspend, "suspended", False),
}
DECISION_LABELS = {
    "approve": _("Approve"),
    "request_changes": _("Request changes"),
    "reject": _("Reject"),
    "suspend": _("Suspend"),
}
# From this many selected organizations on, a decision runs in the worker and the request
# answers at once (approving 200 takes seconds: each one is checked, logged and emailed).
BACKGROUND_FROM = 20


def _in_background(decision, count):
    return ngettext(
        "“%(decision)s” runs in the background for %(count)d organization: refresh the list in "
        "a moment to see the result. Each decision is checked, logged and emailed as usual; one "
        "that is not allowed leaves the organization as it is.",
        "“%(decision)s” runs in the background for %(count)d organizations: refresh the list in "
        "a moment to see the result. Each decision is checked, logged and emailed as usual; one "
        "that is not allowed leaves the organization as it is.",
        count,
    ) % {"decision": DECISION_LABELS[decision], "count": count}


DECISION_DONE = {
    "approve": lambda count: ngettext(
        "%(count)d organization approved.", "%(count)d organizations approved.", count
    ),
    "request_changes": lambda count: ngettext(
        "Changes requested from %(count)d organization.",
        "Changes requested from %(count)d organizations.",
        count,
    ),
    "reject": lambda count: ngettext(
        "%(count)d organization rejected.", "%(count)d organizations rejected.", count
    ),
    "suspend": lambda count: ngettext(
        "%(count)d organization suspended.", "%(count)d organizations suspended.", count
    ),
}


@admin.register(Organization)
class OrganizationAdmin(
    DeclinedTitlesMixin, CountryScopedAdminMixin, OrganizationExportMixin, admin.ModelAdmin
):
    titles = {
        "select": _("Select organization to change"),
        "select_view": _("Select organization to view"),
        "add": _("Add organization"),
        "change": _("Change organization"),
        "view": _("View organization"),
    }
    form = OrganizationAdminForm
    list_display = [
        "name",
        "country_name",
        "review_status",
        "visibility",
        "submitted_at",
        "likely_duplicate",
    ]
    list_filter = [
        AwaitingReviewFilter,
        "status",
        ("country", CountryFilter),
        "focus_areas",
        "legal_form",
        "visibility",
        LikelyDuplicateFilter,
    ]
    search_fields = [
        "name",
        "name_local",
        "acronym",
        "registration_number",
        "public_email",
        "memberships__user__email",
    ]
    search_help_text = _(
        "Name in either script, acronym, national identifier, public or member email."
    )
    date_hierarchy = "submitted_at"
    # 50 rows render in a fraction of the time of Django's default 100 with 10,000 organizations.
    list_per_page = 50
    # Newest submissions first; unconfirmed registrations (no date yet) last.
    ordering = [F("submitted_at").desc(nulls_last=True), "name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas", "sdgs"]
    actions = ["approve", "request_changes", "reject", "suspend"]
    inlines = [MembershipInline, ReviewLogInline]
    readonly_fields = [
        "status",
        "pending_changes_status",
        "pending_changes_table",
        "changes_since_review",
        "likely_duplicates",
        "submitted_at",
        "approved_at",
        "erased_at",
        "consent_version",
        "consent_given_at",
        "public_id",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "pending_changes_status",
                    "pending_changes_table",
                    "changes_since_review",
                    "likely_duplicates",
                ]
            },
        ),
        # The reviewed profile, then what applies at once; the slug gives the profile's address.
        (_("Profile"), {"fields": [*services.REVIEWED_FIELDS, "visibility", "slug"]}),
        (
            _("Contact person (never public)"),
            {"fields": [*services.CONTACT_FIELDS, "consent_version", "consent_given_at"]},
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "submitted_at",
                    "approved_at",
                    "created_at",
                    "updated_at",
                    "erased_at",
                    "public_id",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_duplicate_flags()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # "Zhasyl Qala" finds "Жасыл Қала": compare the script-independent keys too.
        key = normalize_name(search_term)
        if key:
            results = results | queryset.filter(normalized_name__contains=key)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        # Organizations come in through registration, which records consent and an owner.
        return False

    # --- Columns and read-only fields ---------------------------------------------------------

    # The country's name from the field's own lookup: the admin's generic column looks the value
    # up in the flattened list of all countries, row by row (most of the list's time).
    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        return obj.country.name

    @admin.display(description=_("status"), ordering="status")
    def review_status(self, obj):
        if obj.pending_changes_status == Pending.SUBMITTED:
            return _("%(status)s, changes waiting for review") % {
                "status": obj.get_status_display()
            }
        if obj.pending_changes_status == Pending.CHANGES_REQUESTED:
            return _("%(status)s, changes to the edit requested") % {
                "status": obj.get_status_display()
            }
        return obj.get_status_display()

    @admin.display(description=_("likely duplicate"))
    def likely_duplicate(self, obj):
        other = getattr(obj, "duplicate_of", None)
        if not other:
            return ""
        return format_html(
            '<span class="duplicate-warning">{}</span>',
            _("Likely duplicate of “%(name)s”") % {"name": other},
        )

    @admin.display(description=_("changes waiting for review"))
    def pending_changes_table(self, obj):
        if not obj.pending_changes:
            return "—"
        rows = services.describe_changes(
            services.profile_snapshot(obj), services.proposed_profile(obj)
        )
        return _changes_table(rows, _("Public now"), _("Proposed"))

    @admin.display(description=_("what changed since the last review"))
    def changes_since_review(self, obj):
        rows = services.changes_since_last_review(obj)
        if rows is None:
            return _("First review: there is no earlier decision to compare with.")
        if not rows:
            return _("Nothing changed since the last review.")
        return _changes_table(rows, _("At the last review"), _("Now"))

    @admin.display(description=_("likely duplicates"))
    def likely_duplicates(self, obj):
        match = Q(normalized_name=obj.normalized_name)
        if obj.registration_number:
            match |= Q(country=obj.country, registration_number=obj.registration_number)
        others = Organization.objects.filter(match).exclude(pk=obj.pk).order_by("name")[:20]
        if not others:
            return _("None found.")
        return format_html(
            "<ul class='likely-duplicates'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({}, {})</li>",
                (
                    (
                        reverse("admin:organizations_organization_change", args=[other.pk]),
                        other.name,
                        other.country.name,
                        other.get_status_display(),
                    )
                    for other in others
                ),
            ),
        )

    # --- Review decisions ---------------------------------------------------------------------

    @admin.action(description=_("Approve (or accept the changes of) the selected organizations"))
    def approve(self, request, queryset):
        return self._decide(request, queryset, "approve")

    @admin.action(description=_("Request changes from the selected organizations"))
    def request_changes(self, request, queryset):
        return self._decide(request, queryset, "request_changes")

    @admin.action(description=_("Reject the selected organizations"))
    def reject(self, request, queryset):
        return self._decide(request, queryset, "reject")

    @admin.action(description=_("Suspend the selected organizations"))
    def suspend(self, request, queryset):
        return self._decide(request, queryset, "suspend")

    def _decide(self, request, queryset, decision, *, single=None):
        """Ask for the reason (and confirmation), then run the service for each organization."""
        service, kind, reason_required = DECISIONS[decision]
        form_kwargs = {"kind": kind or "", "reason_required": reason_required}
        if decision == "approve" and single is None:
            # Approving from the list needs no reason: one click for a batch of good ones.
            self._run(request, queryset, decision, "")
            return None
        if request.POST.get("confirm"):
            form = ReviewReasonForm(request.POST, **form_kwargs)
            if form.is_valid():
                self._run(request, queryset, decision, form.cleaned_data["full_reason"])
                return None
        else:
            form = ReviewReasonForm(**form_kwargs)
        context = {
            **self.admin_site.each_context(request),
            "title": DECISION_LABELS[decision],
            "decision": decision,
            "decision_label": DECISION_LABELS[decision],
            "organizations": list(queryset),
            "form": form,
            "asks_reason": kind is not None,
            "single": single,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/organizations/organization/review_decision.html", context
        )

    def _run(self, request, queryset, decision, reason):
        ids = list(queryset.values_list("pk", flat=True))
        if len(ids) > BACKGROUND_FROM and not current_app.conf.task_always_eager:
            try:
                tasks.decide.delay(decision, ids, request.user.pk, reason)
            except Exception:
                # The broker is down: decide here, slower, rather than not at all.
                logger.warning("The task broker is down: a bulk decision runs in the request.")
            else:
                self.message_user(request, _in_background(decision, len(ids)), messages.INFO)
                return
        # One transaction for the batch (each decision is a savepoint in it): one commit, and
        # the mails reach the outbox with their decisions.
        with transaction.atomic():
            done, refusals = tasks.decide_each(
                decision, queryset.order_by("pk"), by=request.user, reason=reason
            )
        for refusal in refusals:
            self.message_user(request, refusal, messages.ERROR)
        if done:
            self.message_user(
                request, DECISION_DONE[decision](done) % {"count": done}, messages.SUCCESS
            )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/<str:decision>/",
                self.admin_site.admin_view(self.decision_view),
                name="organizations_organization_decision",
            ),
            *super().get_urls(),
        ]

    def decision_view(self, request, object_id, decision):
        """The same decisions from an organization's own page."""
        if decision not in DECISIONS:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:organizations_organization_change", args=[obj.pk])
        response = self._decide(
            request, Organization.objects.filter(pk=obj.pk), decision, single=obj
        )
        return response or HttpResponseRedirect(change_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "decisions": [
                (decision, DECISION_LABELS[decision])
                for decision in services.available_decisions(obj)
            ]
            if obj is not None
            else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)


def _changes_table(rows, before_label, after_label):
    return format_html(
        "<table class='review-changes'><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("Field"),
        before_label,
        after_label,
        format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
    )


@admin.register(Membership)
class MembershipAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "organization__country"
    list_display = ["user", "organization", "role", "language"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["organization"]
    search_fields = ["user__email", "organization__name"]


@admin.register(Invitation)
class InvitationAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "organization__country"
    list_display = ["email", "organization", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["organization", "invited_by"]
    search_fields = ["email", "organization__name"]
    readonly_fields = ["organization", "email", "role", "invited_by", "language", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewLogEntry)
class ReviewLogEntryAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    """The audit trail: read only."""

    country_lookup = "organization__country"
    list_display = ["organization", "action", "from_status", "to_status", "by", "created_at"]
    list_select_related = ["organization", "by"]
    list_filter = ["action", "to_status"]
    search_fields = ["organization__name", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    """Every export and erasure of personal data: read only, organizers only."""

    list_display = ["created_at", "kind", "subject", "subject_label", "by", "by_organizer"]
    list_filter = ["kind", "subject", "by_organizer"]
    list_select_related = ["by"]
    search_fields = ["subject_label"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CountryCoordinator)
class CountryCoordinatorAdmin(DeclinedTitlesMixin, admin.ModelAdmin):
    titles = {
        "select": _("Select country coordinator to change"),
        "select_view": _("Select country coordinator to view"),
        "add": _("Add country coordinator"),
        "change": _("Change country coordinator"),
        "view": _("View country coordinator"),
    }
    """Appointing a coordinator makes them staff in the "Country coordinators" group."""

    list_display = ["user", "country_list"]
    autocomplete_fields = ["user"]
    search_fields = ["user__email", "user__username", "user__last_name"]

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        return ", ".join(country.name for country in obj.countries)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change):
        coordinator_appoint(user=obj.user, countries=obj.countries)

    def delete_model(self, request, obj):
        coordinator_dismiss(coordinator=obj)

    def delete_queryset(self, request, queryset):
        for coordinator in queryset.select_related("user"):
            coordinator_dismiss(coordinator=coordinator)
