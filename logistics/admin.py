"""The organizers' side of the forum's logistics: hotels and rooms, travel and stay, letters,
badges, check-ins, certificates and print jobs; and actions on the delegates' and speakers'
lists (letters, badges)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin.delegates import DelegateAdmin
from events.admin.programme import EventAdmin, SpeakerAdmin
from events.models import Delegate, Event
from exports.models import export_storage
from organizations.admin import CountryScopedAdminMixin

from . import jobs, pdf, reports, services
from .models import (
    Badge,
    Certificate,
    CheckIn,
    EventLogistics,
    Hotel,
    Letter,
    PrintJob,
    RoomBlock,
    TravelStay,
)
from .privacy import can_view_passport_data


class RoomBlockInline(admin.TabularInline):
    model = RoomBlock
    extra = 1
    fields = ["room_type", "rooms", "check_in", "check_out", "assigned"]
    readonly_fields = ["assigned"]

    @admin.display(description=_("assigned"))
    def assigned(self, block):
        return block.guests.count() if block.pk else "—"


@admin.register(Hotel)
class HotelAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "address", "rooms", "rooming_list"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name"]
    inlines = [RoomBlockInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(room_count=Count("room_blocks__rooms"))

    @admin.display(description=_("room blocks"))
    def rooms(self, hotel):
        return hotel.room_count

    @admin.display(description=_("rooming list"))
    def rooming_list(self, hotel):
        url = reverse("admin:logistics_hotel_rooming_list", args=[hotel.pk])
        return format_html('<a href="{}">{}</a>', url, _("Excel"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/rooming-list.xlsx",
                self.admin_site.admin_view(self.rooming_list_view),
                name="logistics_hotel_rooming_list",
            ),
            *super().get_urls(),
        ]

    def rooming_list_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        hotel = get_object_or_404(Hotel.objects.select_related("event"), pk=pk)
        content = reports.rooming_list_xlsx(
            hotel, with_passport=can_view_passport_data(request.user)
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="rooming-list-{hotel.event.slug}-{hotel.pk}.xlsx"'
        )
        return response


@admin.register(TravelStay)
class TravelStayAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    # A coordinator an organizer gave access sees their countries only.
    country_lookup = "delegate__organization__country"
    list_display = [
        "delegate",
        "event",
        "arrival_date",
        "departure_date",
        "visa_needed",
        "travel_funded",
        "accommodation_funded",
        "room_block",
        "room_number",
    ]
    list_filter = [
        "delegate__event",
        "visa_needed",
        "travel_funded",
        "accommodation_funded",
        "room_block__hotel",
    ]
    list_select_related = ["delegate__event", "room_block__hotel"]
    search_fields = ["delegate__full_name", "delegate__organization__name"]
    autocomplete_fields = ["delegate"]
    list_editable = ["room_number"]
    passport_fieldset = (
        _("Passport data (for the letter; erased after the event)"),
        {
            "fields": [
                "passport_name",
                "nationality",
                "passport_number",
                "passport_expiry",
                "date_of_birth",
                "consent_confirmed_at",
                "consent_confirmed_by",
                "consent_version",
                "passport_erased_at",
            ]
        },
    )

    @admin.display(description=_("event"), ordering="delegate__event")
    def event(self, travel):
        return travel.delegate.event

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["delegate"]}),
            (
                _("Arrival and departure"),
                {
                    "fields": [
                        ("arrival_date", "arrival_time", "arrival_transport"),
                        "arrival_details",
                        ("departure_date", "departure_time", "departure_transport"),
                        "departure_details",
                    ]
                },
            ),
            (
                _("Stay"),
                {
                    "fields": [
                        "visa_needed",
                        "travel_funded",
                        "accommodation_funded",
                        "room_block",
                        "room_number",
                    ]
                },
            ),
        ]
        if can_view_passport_data(request.user):
            fieldsets.append(self.passport_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [
            "consent_confirmed_at",
            "consent_confirmed_by",
            "consent_version",
            "passport_erased_at",
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "room_block":
            kwargs["queryset"] = RoomBlock.objects.select_related("hotel")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(EventLogistics)
class EventLogisticsAdmin(admin.ModelAdmin):
    list_display = ["event", "signatory_name"]
    autocomplete_fields = ["event"]
    filter_horizontal = ["attendance_sessions"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "attendance_sessions":
            match = request.resolver_match
            obj = match.kwargs.get("object_id") if match else None
            from events.models import Session

            sessions = Session.objects.select_related("event").order_by("starts_at")
            if obj and str(obj).isdigit():
                event_logistics = EventLogistics.objects.filter(pk=int(obj)).first()
                if event_logistics:
                    sessions = sessions.filter(event_id=event_logistics.event_id)
            kwargs["queryset"] = sessions
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Letter)
class LetterAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "delegate__organization__country"
    list_display = [
        "reference",
        "delegate",
        "event",
        "status",
        "issued_at",
        "emailed_at",
        "download",
    ]
    list_filter = ["status", "delegate__event"]
    list_select_related = ["delegate__event"]
    search_fields = ["reference", "delegate__full_name"]
    readonly_fields = [
        "reference",
        "delegate",
        "holder_initials",
        "status",
        "issued_at",
        "issued_by",
        "emailed_at",
        "withdrawn_at",
    ]
    actions = ["withdraw", "email_again"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("event"))
    def event(self, letter):
        return letter.delegate.event

    @admin.display(description=_("PDF"))
    def download(self, letter):
        url = reverse("admin:logistics_letter_pdf", args=[letter.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/letter.pdf",
                self.admin_site.admin_view(self.pdf_view),
                name="logistics_letter_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not (self.has_view_permission(request) and can_view_passport_data(request.user)):
            raise PermissionDenied
        letter = get_object_or_404(
            self.get_queryset(request).select_related(
                "delegate__event", "delegate__organization", "delegate__travel"
            ),
            pk=pk,
        )
        return _pdf_response(pdf.letter_pdf(letter), f"letter-{letter.reference}.pdf")

    @admin.action(description=_("Withdraw the selected letters"), permissions=["change"])
    def withdraw(self, request, queryset):
        count = 0
        for letter in queryset:
            services.letter_withdraw(letter=letter)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d letter withdrawn.", "%(count)d letters withdrawn.", count)
            % {"count": count},
        )

    @admin.action(description=_("E-mail the selected letters again"), permissions=["change"])
    def email_again(self, request, queryset):
        letters = list(queryset.filter(status=Letter.Status.ISSUED))
        jobs.queue_letters(letters)
        self.message_user(
            request,
            ngettext(
                "%(count)d letter is queued to be e-mailed.",
                "%(count)d letters are queued to be e-mailed.",
                len(letters),
            )
            % {"count": len(letters)},
        )


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _print(modeladmin, request, badges, kind):
    job = jobs.start_print_job(kind=kind, ids=[badge.pk for badge in badges], by=request.user)
    modeladmin.message_user(
        request,
        _("The print job for %(count)d badges is with the worker: download it under Print jobs.")
        % {"count": len(badges)},
        messages.SUCCESS,
    )
    return redirect(reverse("admin:logistics_printjob_change", args=[job.pk]))


@admin.register(Badge)
class BadgeAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "country"
    list_display = ["full_name", "organization_name", "country", "role", "event", "checked_in"]
    list_filter = ["event", "role"]
    list_select_related = ["event"]
    search_fields = ["full_name", "organization_name", "code"]
    readonly_fields = ["code", "delegate", "speaker", "created_at"]
    fields = [
        "event",
        "role",
        "full_name",
        "organization_name",
        "country",
        "code",
        "delegate",
        "speaker",
        "created_at",
    ]
    actions = ["print_sheets", "print_pages"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(check_in_count=Count("check_ins"))

    @admin.display(description=_("check-ins"), ordering="check_in_count")
    def checked_in(self, badge):
        return badge.check_in_count

    @admin.action(description=_("Print the selected badges on A4 sheets"), permissions=["view"])
    def print_sheets(self, request, queryset):
        return _print(self, request, list(queryset), PrintJob.Kind.BADGE_SHEETS)

    @admin.action(description=_("Print the selected badges one per page"), permissions=["view"])
    def print_pages(self, request, queryset):
        return _print(self, request, list(queryset), PrintJob.Kind.BADGE_PAGES)


@admin.register(CheckIn)
class CheckInAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "badge__country"
    list_display = ["badge", "day", "session", "checked_in_at", "checked_in_by"]
    list_filter = ["badge__event", "day", "session"]
    list_select_related = ["badge", "session", "checked_in_by"]
    search_fields = ["badge__full_name", "badge__code"]
    readonly_fields = ["badge", "day", "session", "checked_in_at", "checked_in_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "attendance/<int:event_id>/",
                self.admin_site.admin_view(self.attendance_view),
                name="logistics_attendance",
            ),
            *super().get_urls(),
        ]

    def attendance_view(self, request, event_id):
        if not request.user.has_perm("events.view_delegate"):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_id)
        delegates = admin.site._registry[Delegate].get_queryset(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Attendance at %(event)s") % {"event": event.title},
            "opts": self.model._meta,
            "event": event,
            "report": reports.attendance_report(delegates, event),
        }
        return TemplateResponse(request, "admin/logistics/attendance.html", context)


@admin.register(Certificate)
class CertificateAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "delegate__organization__country"
    list_display = ["reference", "delegate", "days_attended", "issued_at", "emailed_at"]
    list_filter = ["delegate__event"]
    list_select_related = ["delegate"]
    search_fields = ["reference", "delegate__full_name"]
    readonly_fields = [
        "reference",
        "delegate",
        "holder_initials",
        "days_attended",
        "issued_at",
        "emailed_at",
    ]
    actions = ["print_certificates"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Print the selected certificates"), permissions=["view"])
    def print_certificates(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        job = jobs.start_print_job(kind=PrintJob.Kind.CERTIFICATES, ids=ids, by=request.user)
        return redirect(reverse("admin:logistics_printjob_change", args=[job.pk]))


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "created_by", "created_at", "download"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind",
        "status",
        "count",
        "error",
        "created_by",
        "created_at",
        "finished_at",
        "download",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("created_by")
        if not request.user.is_superuser:
            queryset = queryset.filter(created_by=request.user)
        return queryset

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != PrintJob.Status.READY:
            return job.get_status_display()
        url = reverse("admin:logistics_printjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download PDF"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/download.pdf",
                self.admin_site.admin_view(self.download_view),
                name="logistics_printjob_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request), pk=pk, status=PrintJob.Status.READY)
        try:
            handle = export_storage().open(job.path, "rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{job.kind}-{job.pk}.pdf",
            content_type="application/pdf",
        )


# --- Actions on the delegates' and speakers' lists ---------------------------------------------


def _allowed(modeladmin, request, permission):
    if request.user.has_perm(permission):
        return True
    modeladmin.message_user(request, _("You may not do this: ask an organizer."), messages.ERROR)
    return False


@admin.action(description=_("Issue invitation letters to the selected delegates and e-mail them"))
def issue_letters(modeladmin, request, queryset):
    if not _allowed(modeladmin, request, "logistics.add_letter"):
        return None
    letters = []
    for delegate in queryset.select_related("event", "organization", "travel"):
        try:
            letters.append(services.letter_issue(delegate=delegate, by=request.user))
        except services.LetterRefused as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
    jobs.queue_letters(letters)
    if letters:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d letter issued; it is queued to be e-mailed.",
                "%(count)d letters issued; they are queued to be e-mailed.",
                len(letters),
            )
            % {"count": len(letters)},
            messages.SUCCESS,
        )
    return None


def _delegate_badges(modeladmin, request, queryset, kind):
    if not _allowed(modeladmin, request, "logistics.add_badge"):
        return None
    badges = services.badges_for_delegates(queryset.filter(status=Delegate.Status.CONFIRMED))
    if not badges:
        modeladmin.message_user(request, _("No confirmed delegate selected."), messages.WARNING)
        return None
    return _print(modeladmin, request, badges, kind)


@admin.action(description=_("Print badges of the selected delegates (A4 sheets)"))
def print_delegate_badge_sheets(modeladmin, request, queryset):
    return _delegate_badges(modeladmin, request, queryset, PrintJob.Kind.BADGE_SHEETS)


@admin.action(description=_("Print badges of the selected delegates (one per page)"))
def print_delegate_badge_pages(modeladmin, request, queryset):
    return _delegate_badges(modeladmin, request, queryset, PrintJob.Kind.BADGE_PAGES)


@admin.action(description=_("Print badges of the selected speakers for their coming events"))
def print_speaker_badges(modeladmin, request, queryset):
    if not _allowed(modeladmin, request, "logistics.add_badge"):
        return None
    today = timezone.localdate()
    badges = []
    for event in Event.objects.filter(
        sessions__speakers__in=queryset, end_date__gte=today
    ).distinct():
        speakers = queryset.filter(sessions__event=event).distinct()
        badges += services.badges_for_speakers(event, speakers)
    if not badges:
        modeladmin.message_user(
            request, _("None of them speaks at an event to come."), messages.WARNING
        )
        return None
    return _print(modeladmin, request, badges, PrintJob.Kind.BADGE_SHEETS)


@admin.action(description=_("Send certificates of attendance (after the event)"))
def send_certificates(modeladmin, request, queryset):
    if not _allowed(modeladmin, request, "logistics.add_certificate"):
        return None
    today = timezone.localdate()
    for event in queryset:
        if event.end_date >= today:
            modeladmin.message_user(
                request,
                _("%(event)s is not over yet: certificates are sent after its last day.")
                % {"event": event.title},
                messages.ERROR,
            )
            continue
        jobs.queue_certificates(event)
        modeladmin.message_user(
            request,
            _(
                "The certificates of %(event)s are with the worker: everyone checked in gets "
                "theirs by e-mail (once)."
            )
            % {"event": event.title},
            messages.SUCCESS,
        )
    return None


EventAdmin.actions = [*EventAdmin.actions, send_certificates]
DelegateAdmin.actions = [
    *DelegateAdmin.actions,
    issue_letters,
    print_delegate_badge_sheets,
    print_delegate_badge_pages,
]
SpeakerAdmin.actions = [*(SpeakerAdmin.actions or []), print_speaker_badges]
