"""The programme in the admin: events with their tracks, rooms, sessions and quotas, sessions
with their speakers, and speakers."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from organizations.admin_languages import GroupedLanguagesMixin, MainLanguagesInlineMixin
from organizations.admin_titles import DeclinedTitlesMixin

from .. import photos, services
from ..forms import NextEditionForm, day_label
from ..models import (
    CountryQuota,
    Delegate,
    Event,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
)
from .common import (
    EventTimeZoneMixin,
    event_by_pk,
    narrow_to_event,
    promoted_message,
    times_help,
    warn_about_double_bookings,
    zone_or_none,
)
from .history import HistoryAdmin, with_changes


class TrackInline(TranslationTabularInline):
    model = Track
    extra = 0


class RoomInline(TranslationTabularInline):
    model = Room
    extra = 0


class CountryQuotaInline(admin.TabularInline):
    model = CountryQuota
    extra = 0


class SessionInlineFormSet(BaseInlineFormSet):
    def clean(self):
        """Two sessions of this form in one room at once (the database cannot see new rows)."""
        super().clean()
        booked = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            room, starts_at, ends_at = data.get("room"), data.get("starts_at"), data.get("ends_at")
            if not (room and starts_at and ends_at):
                continue
            for other_title, other_room, other_start, other_end in booked:
                if room == other_room and starts_at < other_end and other_start < ends_at:
                    form.add_error(
                        "room",
                        _("%(room)s is already booked for “%(session)s” at that time.")
                        % {"room": room, "session": other_title},
                    )
                    break
            else:
                booked.append(
                    (data.get("title_en") or form.instance.title, room, starts_at, ends_at)
                )


class SessionInline(MainLanguagesInlineMixin, TranslationTabularInline):
    model = Session
    formset = SessionInlineFormSet
    fields = ["title", "slug", "kind", "track", "room", "starts_at", "ends_at"]
    prepopulated_fields = {"slug": ["title_en"]}
    show_change_link = True
    extra = 0
    verbose_name_plural = _("sessions (speakers and descriptions: open a session)")

    def get_formset(self, request, obj=None, **kwargs):
        request.events_admin_event = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        event = getattr(request, "events_admin_event", None) or Event()
        kwargs = narrow_to_event(db_field, event, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("starts_at", "ends_at"):
            # One native date-and-time picker per cell keeps a long agenda readable as a table.
            kwargs["form_class"] = forms.DateTimeField
            kwargs["widget"] = forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M"
            )
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            field.help_text = times_help(getattr(request, "events_admin_event", None))
            return field
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name.startswith(("title", "slug")):
            field.widget.attrs["size"] = 28 if db_field.name.startswith("title") else 20
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("track", "room")


@admin.register(Event)
class EventAdmin(GroupedLanguagesMixin, EventTimeZoneMixin, HistoryAdmin, TranslationAdmin):
    list_display = ["title", "start_date", "end_date", "city", "country", "status", "sessions"]
    list_filter = ["status", "country"]
    search_fields = ["title_en", "title_ru", "city_en", "slug"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["themes"]
    inlines = [TrackInline, RoomInline, SessionInline, CountryQuotaInline]
    actions = ["publish", "unpublish", "cancel", "copy_as_next_edition"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "edition", "status", "summary"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "time_zone",
                    "city",
                    "country",
                    "venue",
                    "address",
                    "directions",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (_("Description and themes"), {"fields": ["description", "themes", "how_to_take_part"]}),
        (
            _("Registration of delegates"),
            {
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                    "max_delegates_per_organization",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def sessions(self, event):
        return event.session_count

    def event_time_zone(self, request, object_id):
        name = request.POST.get("time_zone")
        if not name and object_id:
            event = event_by_pk(object_id)
            name = event.time_zone if event else None
        return zone_or_none(name or Event._meta.get_field("time_zone").default)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [
            inline_form.instance
            for formset in formsets
            if formset.model is Session
            for inline_form in formset.forms
            if inline_form.instance.pk and inline_form.has_changed()
        ]
        warn_about_double_bookings(request, changed)
        # A raised capacity, quota or maximum gives the waiting list its seats at once.
        promoted = services.event_fill_free_seats(event=form.instance, by=request.user)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "delegate_counts": _delegate_counts(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # The country quotas are edited on the event's page: their changes are shown with it.
        quotas = (
            CountryQuota.history.filter(event_id=unquote(object_id))
            .select_related("history_user")
            ._select_related_history_tracked_objs()[:200]
        )
        extra_context = {
            **(extra_context or {}),
            "related_history": [
                {
                    "title": _("Country quotas"),
                    "records": with_changes(list(quotas), CountryQuota),
                }
            ],
        }
        return super().history_view(request, object_id, extra_context)

    def _change_status(self, request, queryset, change, done_message):
        done = 0
        for event in queryset:
            try:
                change(event=event, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(event)s” was not changed: %(reason)s")
                    % {"event": event, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._change_status(
            request,
            queryset,
            services.event_publish,
            lambda n: ngettext(
                "%(count)d event was published.", "%(count)d events were published.", n
            ),
        )

    @admin.action(
        description=_("Unpublish the selected events (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._change_status(
            request,
            queryset,
            services.event_unpublish,
            lambda n: ngettext(
                "%(count)d event is a draft again.", "%(count)d events are drafts again.", n
            ),
        )

    @admin.action(description=_("Cancel the selected events"), permissions=["change"])
    def cancel(self, request, queryset):
        self._change_status(
            request,
            queryset,
            services.event_cancel,
            lambda n: ngettext(
                "%(count)d event was cancelled: visitors see it marked as cancelled.",
                "%(count)d events were cancelled: visitors see them marked as cancelled.",
                n,
            ),
        )

    @admin.action(description=_("Copy as next edition"), permissions=["add"])
    def copy_as_next_edition(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one event to copy as its next edition."), messages.ERROR
            )
            return None
        event = queryset.get()
        if "apply" in request.POST:
            form = NextEditionForm(request.POST)
            if form.is_valid():
                try:
                    copy = services.event_copy_as_next_edition(
                        event=event, by=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        format_html(
                            _(
                                "“{copy}” was created as a draft from “{event}”, with its tracks "
                                "and rooms. Add its sessions, then publish it."
                            ),
                            copy=copy,
                            event=event,
                        ),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:events_event_change", args=[copy.pk])
                    )
        else:
            start_date = services.shift_by_years(event.start_date)
            form = NextEditionForm(
                initial={
                    "title_en": event.title_en,
                    "title_ru": event.title_ru,
                    "slug": services.next_edition_slug(event, start_date),
                    "start_date": start_date,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy as next edition"),
            "opts": self.model._meta,
            "event": event,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/copy_as_next_edition.html", context)


# --- Session -----------------------------------------------------------------------------------


def _selected_event(request):
    """The event chosen in the change list's event filter, if any."""
    if not hasattr(request, "events_admin_filtered_event"):
        request.events_admin_filtered_event = event_by_pk(request.GET.get("event__id__exact"))
    return request.events_admin_filtered_event


class SessionDayFilter(admin.SimpleListFilter):
    """Days of the chosen event, in its own time zone (offered once an event is chosen)."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        event = _selected_event(request)
        return [(day.isoformat(), day_label(day)) for day in event.days] if event else []

    def queryset(self, request, queryset):
        event = _selected_event(request)
        if not (event and self.value()):
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        starts, ends = event.day_bounds(day)
        return queryset.filter(starts_at__gte=starts, starts_at__lt=ends)


class SessionTrackFilter(admin.SimpleListFilter):
    """Tracks of the chosen event (offered once an event is chosen)."""

    title = _("track")
    parameter_name = "track"

    def lookups(self, request, model_admin):
        event = _selected_event(request)
        return [(track.pk, track.name) for track in event.tracks.all()] if event else []

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(track_id=int(self.value()))
        return queryset


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    fields = ["speaker", "role", "order"]
    autocomplete_fields = ["speaker"]


@admin.register(Session)
class SessionAdmin(
    GroupedLanguagesMixin, DeclinedTitlesMixin, EventTimeZoneMixin, HistoryAdmin, TranslationAdmin
):
    titles = {
        "select": _("Select session to change"),
        "select_view": _("Select session to view"),
        "add": _("Add session"),
        "change": _("Change session"),
        "view": _("View session"),
    }
    list_display = ["title", "event", "local_start", "room", "track", "kind", "language"]
    list_filter = ["event", SessionDayFilter, SessionTrackFilter, "kind", "language"]
    list_select_related = ["event", "room", "track"]
    search_fields = ["title_en", "title_ru", "slug", "event__title_en"]
    autocomplete_fields = ["event"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [SessionSpeakerInline]
    fieldsets = [
        (None, {"fields": ["event", "title", "slug", "kind"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "track", "room"]}),
        (_("Language"), {"fields": ["language", "interpretation"]}),
        (None, {"fields": ["description", "capacity"]}),
        (
            _("Online and afterwards"),
            {
                "fields": [
                    "online_url",
                    "online_access",
                    "online_opens_minutes",
                    "recording_url",
                    "materials",
                ]
            },
        ),
    ]

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, session):
        starts_at = timezone.localtime(session.starts_at, session.event.tzinfo)
        return f"{formats.date_format(starts_at, 'D j M Y')}, {starts_at:%H:%M}"

    def _event_of_form(self, request, object_id=None):
        if object_id:
            session = Session.objects.select_related("event").filter(pk=object_id).first()
            if session is not None and "event" not in request.POST:
                return session.event
        return event_by_pk(request.POST.get("event") or request.GET.get("event"))

    def event_time_zone(self, request, object_id):
        try:
            event = self._event_of_form(request, object_id)
        except (ValueError, ValidationError):
            event = None
        return zone_or_none(event.time_zone) if event else None

    def get_form(self, request, obj=None, **kwargs):
        request.events_admin_event = obj.event if obj else self._event_of_form(request)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = narrow_to_event(db_field, getattr(request, "events_admin_event", None), kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("online_url", "recording_url"):
            kwargs["assume_scheme"] = "https"
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("starts_at", "ends_at"):
            field.help_text = times_help(getattr(request, "events_admin_event", None))
        return field

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_about_double_bookings(request, [form.instance])
        if form.instance.capacity is not None:
            promoted = services.session_fill_free_seats(session=form.instance)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d delegate on the session's waiting list got a seat.",
                        "%(count)d delegates on the session's waiting list got a seat.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )


# --- Speaker -----------------------------------------------------------------------------------


@admin.register(Speaker)
class SpeakerAdmin(GroupedLanguagesMixin, DeclinedTitlesMixin, TranslationAdmin):
    titles = {
        "select": _("Select speaker to change"),
        "select_view": _("Select speaker to view"),
        "add": _("Add speaker"),
        "change": _("Change speaker"),
        "view": _("View speaker"),
    }
    list_display = ["name", "honorific", "position", "institution", "country", "precedence"]
    list_editable = ["precedence"]
    list_filter = ["country"]
    search_fields = ["name", "position_en", "institution_en", "institution_ru", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "honorific", "precedence"]}),
        (None, {"fields": ["position", "institution", "country", "organization"]}),
        (None, {"fields": ["bio", "photo"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class SpeakerForm(form):
            def clean_photo(self):
                photo = self.cleaned_data.get("photo")
                if photo and hasattr(photo, "content_type"):
                    # A new upload: checked by content, re-encoded, cropped square.
                    return photos.process_photo(photo)
                return photo

        return SpeakerForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data and obj.photo:
            photos.save_small(obj.photo)


def _delegate_counts(event_id):
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    return Delegate.objects.filter(event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Delegate.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Delegate.Status.WAITLISTED)),
    )
