import datetime
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from organizations.admin import CountryScopedAdminMixin
from organizations.models import Organization
from organizations.roles import coordinated_countries

from . import reports, services
from .forms import NextEditionForm, day_label, reject_markup
from .models import (
    CountryQuota,
    Delegate,
    Event,
    Room,
    Session,
    SessionBooking,
    SessionSpeaker,
    Speaker,
    Track,
    validate_time_zone,
)


def _zone(name):
    """A time zone by name, or None when the name is not a valid one."""
    try:
        validate_time_zone(name)
    except ValidationError:
        return None
    return zoneinfo.ZoneInfo(name)


def times_help(event):
    if event is None or _zone(event.time_zone) is None:
        return _("In the event's own time zone.")
    return _("In the event's own time zone: %(time_zone)s, %(offset)s.") % {
        "time_zone": event.time_zone,
        "offset": event.utc_offset,
    }


def _event_by_pk(value):
    try:
        return Event.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


class EventTimeZoneMixin:
    """Dates and times in the change form are read and shown in the event's own time zone.

    An organizer in Brussels types the agenda of a forum in Almaty as it is printed (10:00 means
    10:00 in Almaty), whatever the server's TIME_ZONE. The response is rendered inside the
    override because the form's values are converted to local time while rendering.
    """

    def event_time_zone(self, request, object_id):
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.event_time_zone(request, object_id)
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        extra_context = {**(extra_context or {}), "event_time_zone": zone}
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


def warn_about_double_bookings(request, sessions):
    """A speaker in two places at once is probably a mistake, but not always: warn only."""
    for session in sessions:
        for other in SessionSpeaker.objects.clashing_with(session):
            tz = other.session.event.tzinfo
            starts_at = timezone.localtime(other.session.starts_at, tz)
            ends_at = timezone.localtime(other.session.ends_at, tz)
            messages.warning(
                request,
                _(
                    "%(speaker)s is also booked for “%(other)s” (%(event)s) on %(day)s from "
                    "%(start)s to %(end)s, which overlaps “%(session)s”."
                )
                % {
                    "speaker": other.speaker,
                    "other": other.session.title,
                    "event": other.session.event.title,
                    "day": formats.date_format(starts_at, "j E Y"),
                    "start": formats.time_format(starts_at, "H:i"),
                    "end": formats.time_format(ends_at, "H:i"),
                    "session": session.title,
                },
            )


class EventChoiceField(forms.ModelChoiceField):
    """Shown with its event when the list mixes several events' tracks or rooms."""

    def label_from_instance(self, obj):
        return f"{obj} ({obj.event})"


def narrow_to_event(db_field, event, kwargs):
    """Track and room choices: this event's own; every event's, labelled, while unknown."""
    if db_field.name not in ("track", "room"):
        return kwargs
    model = db_field.remote_field.model
    if event is not None and event.pk is not None:
        kwargs["queryset"] = model.objects.filter(event=event)
    elif event is not None:
        kwargs["queryset"] = model.objects.none()
    else:
        kwargs["queryset"] = model.objects.select_related("event")
        kwargs["form_class"] = EventChoiceField
    return kwargs


# --- Event -------------------------------------------------------------------------------------


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


class SessionInline(TranslationTabularInline):
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
class EventAdmin(EventTimeZoneMixin, TranslationAdmin):
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
            event = _event_by_pk(object_id)
            name = event.time_zone if event else None
        return _zone(name or Event._meta.get_field("time_zone").default)

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
        promoted = services.event_fill_free_seats(event=form.instance)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "delegate_counts": _delegate_counts(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _change_status(self, request, queryset, change, done_message):
        done = 0
        for event in queryset:
            try:
                change(event=event)
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
                    copy = services.event_copy_as_next_edition(event=event, **form.cleaned_data)
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
        request.events_admin_filtered_event = _event_by_pk(request.GET.get("event__id__exact"))
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
class SessionAdmin(EventTimeZoneMixin, TranslationAdmin):
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
        return _event_by_pk(request.POST.get("event") or request.GET.get("event"))

    def event_time_zone(self, request, object_id):
        try:
            event = self._event_of_form(request, object_id)
        except (ValueError, ValidationError):
            event = None
        return _zone(event.time_zone) if event else None

    def get_form(self, request, obj=None, **kwargs):
        request.events_admin_event = obj.event if obj else self._event_of_form(request)
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = narrow_to_event(db_field, getattr(request, "events_admin_event", None), kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
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
class SpeakerAdmin(TranslationAdmin):
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


# --- Delegates ---------------------------------------------------------------------------------


def promoted_message(promoted):
    names = ", ".join(f"{delegate.full_name} ({delegate.organization})" for delegate in promoted)
    return ngettext(
        "%(count)d delegate moved from the waiting list to a confirmed seat: %(names)s.",
        "%(count)d delegates moved from the waiting list to confirmed seats: %(names)s.",
        len(promoted),
    ) % {"count": len(promoted), "names": names}


def _delegate_counts(event_id):
    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    return Delegate.objects.filter(event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Delegate.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Delegate.Status.WAITLISTED)),
    )


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


class DelegateAdminForm(forms.ModelForm):
    """Organizers register a delegate on behalf of an organization: the same checks as the
    members' form, and the same service, so the limits hold (the window does not)."""

    class Meta:
        model = Delegate
        fields = ["event", "organization", *services.DELEGATE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "position", "language_needs", "accessibility_needs"):
            if name in self.fields:
                self.fields[name].validators.append(reject_markup)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

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
            taken = (
                Delegate.objects.active()
                .filter(event=event, email__iexact=email)
                .exclude(pk=self.instance.pk)
                .exists()
            )
            if taken:
                self.add_error(
                    "email",
                    _("A delegate with this email address is already registered for this event."),
                )
        return cleaned

    def validate_unique(self):
        # The unique index covers active delegates only; clean() says so next to the email.
        pass

    def values(self):
        return {name: self.cleaned_data.get(name) or "" for name in services.DELEGATE_FIELDS}


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
class DelegateAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    country_lookup = "organization__country"
    form = DelegateAdminForm
    list_display = [
        "full_name",
        "organization",
        "country",
        "event",
        "status_and_position",
        "gender",
        "age_band",
        "created_at",
    ]
    list_filter = [
        "event",
        OrganizationCountryFilter,
        ("organization", admin.RelatedOnlyFieldListFilter),
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_waitlist_position()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        person = [
            "full_name",
            "email",
            "position",
            "gender",
            "age_band",
            "language_needs",
            "accessibility_needs",
        ]
        fieldsets = [
            (None, {"fields": ["event", "organization"]}),
            (_("The delegate"), {"fields": person}),
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

    # --- Saving through the services ----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        request.delegate_refused = None
        try:
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
        except (services.DelegateRefused, ValidationError) as error:
            # Only when another step changed the event between the form's checks and now.
            request.delegate_refused = " ".join(getattr(error, "messages", [str(error)]))
            return
        for model_field in Delegate._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(saved, model_field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db
        if not change and saved.status == Delegate.Status.WAITLISTED:
            self.message_user(
                request,
                _("%(name)s is on the waiting list: %(reason)s")
                % {"name": saved.full_name, "reason": saved.limit_message},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        if getattr(request, "delegate_refused", None) is None:
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if getattr(request, "delegate_refused", None) is None:
            return super().log_change(request, obj, message)
        return None

    def _refused_response(self, request, url):
        self.message_user(request, request.delegate_refused, messages.ERROR)
        return HttpResponseRedirect(url)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "delegate_refused", None):
            return self._refused_response(request, request.get_full_path())
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "delegate_refused", None):
            return self._refused_response(request, request.get_full_path())
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        promoted = services.delegate_delete(delegate=obj)
        if promoted:
            self.message_user(request, promoted_message(promoted), messages.SUCCESS)

    def delete_queryset(self, request, queryset):
        promoted = []
        for delegate in queryset.order_by("event_id", "pk"):
            promoted += services.delegate_delete(delegate=delegate)
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
            content = build(self._filtered(request))
        except IncorrectLookupParameters:
            # A filter typed by hand: back to the list, which says so, as Django's own list does.
            return HttpResponseRedirect(f"{reverse('admin:events_delegate_changelist')}?e=1")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self._filename(request, extension)}"'
        )
        return response

    def _filename(self, request, extension):
        event = _event_by_pk(request.GET.get("event__id__exact"))
        stem = f"delegates-{event.slug}" if event else "delegates"
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"

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
        event = _event_by_pk(request.GET.get("event__id__exact"))
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
