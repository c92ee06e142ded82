"""Delegates in the admin: the list with its filters, registration on behalf of an
organization, the actions, the CSV and Excel exports and the donors' report."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizations.admin import CountryScopedAdminMixin
from organizations.admin_export import background_export
from organizations.admin_titles import DeclinedTitlesMixin
from organizations.models import Organization
from organizations.roles import coordinated_countries

from .. import reports, services
from ..forms import DelegateFieldsMixin
from ..models import Delegate, Event, SessionBooking
from .common import ServiceSaveMixin, event_by_pk, promoted_message
from .history import HistoryAdmin


class OrganizationCountryFilter(admin.SimpleListFilter):
    """The country of the delegate's organization (the countries that sent delegates)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("organization__country", flat=True)
            .distinct()
        )
        choices = [(str(code), Organization(country=code).country.name) for code in codes]
        return sorted(choices, key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(organization__country=self.value().upper()[:2])
        return queryset


class EventOrganizationFilter(admin.SimpleListFilter):
    """The organizations that sent delegates to the event chosen in the event filter.

    Listed once the list is narrowed to one event: across all events they would be thousands
    of links (and most of the page's time); the search box finds an organization meanwhile."""

    title = _("organization")
    parameter_name = "organization__id__exact"

    def lookups(self, request, model_admin):
        event = request.GET.get("event__id__exact", "")
        if not event.isdigit():
            selected = self.value()
            if selected and selected.isdigit():
                return list(Organization.objects.filter(pk=int(selected)).values_list("pk", "name"))
            return []
        return list(
            Organization.objects.filter(
                pk__in=model_admin.get_queryset(request)
                .filter(event_id=int(event))
                .values("organization_id")
            )
            .order_by("name")
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(organization_id=int(value))
        return queryset


class DelegateAdminForm(DelegateFieldsMixin, forms.ModelForm):
    """Organizers register a delegate on behalf of an organization: the same checks as the
    members' form, and the same service, so the limits hold (the window does not)."""

    class Meta:
        model = Delegate
        fields = ["event", "organization", *services.DELEGATE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or (self.instance.event if self.instance.pk else None)
        organization = cleaned.get("organization") or (
            self.instance.organization if self.instance.pk else None
        )
        if self.instance.pk is None and event and organization:
            refusal = services.registration_refusal(event, organization, check_window=False)
            if refusal:
                self.add_error("organization" if not organization.is_verified else "event", refusal)
        email = cleaned.get("email")
        if event and email and (self.instance.pk is None or self.instance.is_active):
            try:
                services.check_email_free(Delegate(pk=self.instance.pk, event=event, email=email))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def validate_unique(self):
        # The unique index covers active delegates only; clean() says so next to the email.
        pass


class SessionBookingInline(admin.TabularInline):
    model = SessionBooking
    fields = ["session", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("sessions booked")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session")


@admin.register(Delegate)
class DelegateAdmin(DeclinedTitlesMixin, ServiceSaveMixin, CountryScopedAdminMixin, HistoryAdmin):
    titles = {
        "select": _("Select delegate to change"),
        "select_view": _("Select delegate to view"),
        "add": _("Add delegate"),
        "change": _("Change delegate"),
        "view": _("View delegate"),
    }
    country_lookup = "organization__country"
    form = DelegateAdminForm
    list_display = [
        "full_name",
        "organization",
        "country",
        "event",
        "status_and_position",
        "gender_and_age",
        "created_at",
    ]
    list_filter = [
        "event",
        OrganizationCountryFilter,
        EventOrganizationFilter,
        "status",
        "gender",
        "age_band",
    ]
    list_select_related = ["event", "organization"]
    search_fields = [
        "full_name",
        "email",
        "position",
        "organization__name",
        "organization__acronym",
    ]
    search_help_text = _(
        "Name, email or position of the delegate; name or acronym of the organization."
    )
    autocomplete_fields = ["event", "organization"]
    actions = ["confirm", "move_to_waiting_list", "cancel"]
    inlines = [SessionBookingInline]
    ordering = ["event", "organization__name", "full_name"]
    change_list_template = "admin/events/delegate/change_list.html"
    status_fields = [
        "status",
        "waitlisted_at",
        "confirmed_at",
        "cancelled_at",
        "created_by",
        "created_at",
        "updated_at",
    ]

    # Long texts the list never shows: the list's query sorts every delegate with its event and
    # organization before it takes a page, and these made most of each row's width.
    LIST_DEFERRED = [
        f"{relation}__{field}{suffix}"
        for relation, fields in (
            ("event", ["description", "how_to_take_part"]),
            ("organization", ["description"]),
        )
        for field in fields
        for suffix in ("", "_en", "_ru")
        if relation == "event" or not suffix
    ] + [
        "organization__pending_changes",
        "organization__reviewed_snapshot",
        "language_needs",
        "accessibility_needs",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_waitlist_position()
        match = request.resolver_match
        if match is not None and match.url_name == "events_delegate_changelist":
            queryset = queryset.defer(*self.LIST_DEFERRED)
        return queryset

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["event", "organization"]}),
            (_("The delegate"), {"fields": services.DELEGATE_FIELDS}),
        ]
        if obj is not None:
            fieldsets.append((_("Status"), {"fields": self.status_fields}))
        else:
            fieldsets.append(
                (
                    None,
                    {
                        "description": _(
                            "The delegate gets a seat if the event's capacity, the country's "
                            "quota and the organization's maximum leave one, and goes on the "
                            "waiting list otherwise. Only approved organizations can send "
                            "delegates. Registration outside the window is allowed here."
                        ),
                        "fields": [],
                    },
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["event", "organization", *self.status_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            organizations = Organization.objects.approved()
            countries = coordinated_countries(request.user)
            if countries is not None:
                organizations = organizations.filter(country__in=countries)
            kwargs["queryset"] = organizations
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("country"), ordering="organization__country")
    def country(self, delegate):
        return delegate.organization.country.name

    @admin.display(description=_("status"), ordering="status")
    def status_and_position(self, delegate):
        if delegate.status == Delegate.Status.WAITLISTED and delegate.waitlist_position:
            return _("Waiting list, number %(position)s") % {"position": delegate.waitlist_position}
        return delegate.get_status_display()

    @admin.display(description=_("gender, age"), ordering="gender")
    def gender_and_age(self, delegate):
        parts = [
            delegate.get_gender_display() if delegate.gender else "",
            delegate.get_age_band_display() if delegate.age_band else "",
        ]
        return ", ".join(part for part in parts if part) or "—"

    # --- Saving through the services ----------------------------------------------------------

    refusals = (services.DelegateRefused, ValidationError)

    def save_through_services(self, request, obj, form, change):
        if change:
            saved = services.delegate_update(delegate=obj, by=request.user, **form.values())
        else:
            saved = services.delegate_register(
                event=form.cleaned_data["event"],
                organization=form.cleaned_data["organization"],
                by=request.user,
                check_window=False,
                **form.values(),
            )
        if not change and saved.status == Delegate.Status.WAITLISTED:
            self.message_user(
                request,
                _("%(name)s is on the waiting list: %(reason)s")
                % {"name": saved.full_name, "reason": saved.limit_message},
                messages.WARNING,
            )
        return saved

    def delete_model(self, request, obj):
        promoted = services.delegate_delete(delegate=obj, by=request.user)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    def delete_queryset(self, request, queryset):
        promoted = []
        for delegate in queryset.order_by("event_id", "pk"):
            promoted += services.delegate_delete(delegate=delegate, by=request.user)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    # --- Actions ------------------------------------------------------------------------------

    def _run(self, request, queryset, service, done_message):
        done, promoted = 0, []
        for delegate in queryset.order_by("event_id", "waitlisted_at", "pk"):
            try:
                result = service(delegate=delegate, by=request.user)
            except services.DelegateRefused as error:
                self.message_user(request, str(error), messages.ERROR)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{delegate.full_name}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                if not getattr(result, "changed", True):
                    self.message_user(
                        request,
                        _("%(name)s: nothing to do, already done.") % {"name": delegate.full_name},
                        messages.INFO,
                    )
                    continue
                done += 1
                promoted += getattr(result, "promoted", [])
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    @admin.action(
        description=_("Confirm the selected delegates (if the limits leave a seat)"),
        permissions=["change"],
    )
    def confirm(self, request, queryset):
        self._run(
            request,
            queryset,
            services.delegate_confirm,
            lambda n: ngettext(
                "%(count)d delegate confirmed.", "%(count)d delegates confirmed.", n
            ),
        )

    @admin.action(
        description=_("Move the selected delegates to the waiting list"), permissions=["change"]
    )
    def move_to_waiting_list(self, request, queryset):
        self._run(
            request,
            queryset,
            services.delegate_move_to_waiting_list,
            lambda n: ngettext(
                "%(count)d delegate moved to the waiting list.",
                "%(count)d delegates moved to the waiting list.",
                n,
            ),
        )

    @admin.action(description=_("Cancel the selected delegates"), permissions=["change"])
    def cancel(self, request, queryset):
        already = queryset.filter(status=Delegate.Status.CANCELLED).count()
        if already:
            self.message_user(
                request,
                ngettext(
                    "%(count)d of them was already cancelled.",
                    "%(count)d of them were already cancelled.",
                    already,
                )
                % {"count": already},
                messages.INFO,
            )
        self._run(
            request,
            queryset.exclude(status=Delegate.Status.CANCELLED),
            services.delegate_cancel,
            lambda n: ngettext(
                "%(count)d delegate cancelled.", "%(count)d delegates cancelled.", n
            ),
        )

    # --- Exports and the report ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export.csv", view(self.export_csv), name="events_delegate_export_csv"),
            path("export.xlsx", view(self.export_xlsx), name="events_delegate_export_xlsx"),
            path("report/", view(self.report_index), name="events_delegate_report_index"),
            path("report/<int:event_id>/", view(self.report), name="events_delegate_report"),
            *super().get_urls(),
        ]

    def _filtered(self, request):
        """The change list's rows with its filters and search, all pages."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return changelist.get_queryset(request)

    def _export(self, request, build, content_type, extension):
        try:
            delegates = self._filtered(request)
            total = delegates.count()
        except IncorrectLookupParameters:
            # A filter typed by hand: back to the list, which says so, as Django's own list does.
            return HttpResponseRedirect(f"{reverse('admin:events_delegate_changelist')}?e=1")
        background = background_export(request, f"delegates-{extension}", total)
        if background is not None:
            return background
        content = build(delegates)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self._filename(request, extension)}"'
        )
        return response

    def _filename(self, request, extension):
        event = event_by_pk(request.GET.get("event__id__exact"))
        stem = f"delegates-{event.slug}" if event else "delegates"
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"

    # What a background export (exports/jobs.py) asks of the admin.
    def export_queryset(self, request):
        return self._filtered(request)

    def export_filename(self, request, extension):
        return self._filename(request, extension)

    def export_csv(self, request):
        return self._export(request, reports.export_csv, "text/csv; charset=utf-8", "csv")

    def export_xlsx(self, request):
        return self._export(
            request,
            lambda delegates: reports.export_xlsx(delegates, str(_("Delegates"))),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )

    def changelist_view(self, request, extra_context=None):
        event = event_by_pk(request.GET.get("event__id__exact"))
        query = request.GET.urlencode()
        extra_context = {
            **(extra_context or {}),
            "export_query": f"?{query}" if query else "",
            "report_event": event,
        }
        return super().changelist_view(request, extra_context)

    def report_index(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        delegates = self.get_queryset(request)
        events = Event.objects.annotate(
            confirmed=Count(
                "delegates",
                filter=Q(
                    delegates__in=delegates.filter(status=Delegate.Status.CONFIRMED).values("pk")
                ),
            ),
            waitlisted=Count(
                "delegates",
                filter=Q(
                    delegates__in=delegates.filter(status=Delegate.Status.WAITLISTED).values("pk")
                ),
            ),
        ).order_by("-start_date")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Delegates report"),
            "opts": self.model._meta,
            "events": events,
        }
        return TemplateResponse(request, "admin/events/delegate/report_index.html", context)

    def report(self, request, event_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_id)
        countries = coordinated_countries(request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Delegates at %(event)s") % {"event": event.title},
            "opts": self.model._meta,
            "event": event,
            "countries_only": countries,
            "report": reports.delegate_report(self.get_queryset(request), event),
            "changelist_url": reverse("admin:events_delegate_changelist")
            + f"?event__id__exact={event.pk}",
        }
        return TemplateResponse(request, "admin/events/delegate/report.html", context)
