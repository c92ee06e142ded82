"""What the events admins share: times in the event's own time zone, track and room choices
narrowed to the event, the double-booking warning and the waiting list's message."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Event, SessionSpeaker, validate_time_zone


def zone_or_none(name):
    """A time zone by name, or None when the name is not a valid one."""
    try:
        validate_time_zone(name)
    except ValidationError:
        return None
    return zoneinfo.ZoneInfo(name)


def times_help(event):
    if event is None or zone_or_none(event.time_zone) is None:
        return _("In the event's own time zone.")
    return _("In the event's own time zone: %(time_zone)s, %(offset)s.") % {
        "time_zone": event.time_zone,
        "offset": event.utc_offset,
    }


def event_by_pk(value):
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
                    "day": formats.date_format(starts_at, "DATE_FORMAT"),
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


def promoted_message(promoted):
    names = ", ".join(f"{delegate.full_name} ({delegate.organization})" for delegate in promoted)
    return ngettext(
        "%(count)d delegate moved from the waiting list to a confirmed seat: %(names)s.",
        "%(count)d delegates moved from the waiting list to confirmed seats: %(names)s.",
        len(promoted),
    ) % {"count": len(promoted), "names": names}


class ServiceSaveMixin:
    """An admin whose change form saves through a service that may still refuse.

    The form's checks ran first, but another step can change things before the save (another
    registration takes the address, the organization is suspended, the event cancelled). The
    admin implements `save_through_services(request, obj, form, change)`, which returns the
    saved object; when it raises one of `refusals`, nothing was written, so Django's next steps
    are skipped too: no related objects saved, nothing logged, and instead of "saved" the
    organizer is sent back to the same form with the reason as an error message. The refusal
    travels from `save_model` to those hooks on the request, the only object they all receive.
    """

    refusals = (ValidationError,)

    def save_through_services(self, request, obj, form, change):
        raise NotImplementedError

    @staticmethod
    def _refusal(request):
        return getattr(request, "_service_save_refusal", None)

    def save_model(self, request, obj, form, change):
        request._service_save_refusal = None
        try:
            saved = self.save_through_services(request, obj, form, change)
        except self.refusals as error:
            request._service_save_refusal = " ".join(getattr(error, "messages", [str(error)]))
            return
        # The admin goes on with `obj` (its log entry, its redirect): it becomes the saved row.
        for model_field in type(saved)._meta.concrete_fields:
            setattr(obj, model_field.attname, getattr(saved, model_field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        if self._refusal(request) is None:
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if self._refusal(request) is None:
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if self._refusal(request) is None:
            return super().log_change(request, obj, message)
        return None

    def _refused_response(self, request):
        self.message_user(request, self._refusal(request), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def response_add(self, request, obj, post_url_continue=None):
        if self._refusal(request):
            return self._refused_response(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._refusal(request):
            return self._refused_response(request)
        return super().response_change(request, obj)
