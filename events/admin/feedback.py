"""Delegates' feedback on sessions: the list, and the results of an event per session."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import reports
from ..models import Event, SessionFeedback


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(admin.ModelAdmin):
    list_display = ["session", "event", "rating", "comment", "created_at"]
    list_filter = ["session__event", "rating"]
    list_select_related = ["session__event"]
    search_fields = ["session__title_en", "session__title_ru", "comment"]
    # The person who gave it stays out of the organizers' view: feedback is read as a whole.
    exclude = ["user"]
    readonly_fields = ["session", "rating", "comment", "created_at", "updated_at"]

    @admin.display(description=gettext_lazy("event"), ordering="session__event")
    def event(self, feedback):
        return feedback.session.event

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "results/<int:event_id>/",
                view(self.results),
                name="events_sessionfeedback_results",
            ),
            *super().get_urls(),
        ]

    def results(self, request, event_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=event_id)
        overall = SessionFeedback.objects.filter(session__event=event).aggregate(
            count=Count("pk"), average=Avg("rating")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Feedback on %(event)s") % {"event": event.title},
            "opts": self.model._meta,
            "event": event,
            "overall": overall,
            "sessions": reports.feedback_by_session(event),
            "tracks": reports.feedback_by_track(event),
        }
        return TemplateResponse(request, "admin/events/sessionfeedback/results.html", context)
