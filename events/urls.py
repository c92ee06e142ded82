from django.urls import path

from . import views, views_delegates
from .feeds import EventFeed

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    # Before the event's slug, which would otherwise match "feed".
    path("events/feed/", EventFeed(), name="feed"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("events/<slug:slug>/speakers/", views.event_speakers, name="speakers"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="calendar"),
    path("events/<slug:event_slug>/sessions/<slug:slug>/", views.session_detail, name="session"),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/calendar.ics",
        views.session_calendar,
        name="session-calendar",
    ),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
    # A member's delegates, under /my/ next to the organization's own pages.
    path("my/delegates/", views_delegates.my_delegates, name="my-delegates"),
    path(
        "my/events/<slug:slug>/delegates/",
        views_delegates.my_event_delegates,
        name="my-event-delegates",
    ),
    path(
        "my/events/<slug:slug>/delegates/add/",
        views_delegates.delegate_add,
        name="my-delegate-add",
    ),
    path("my/delegates/<int:pk>/edit/", views_delegates.delegate_edit, name="my-delegate-edit"),
    path(
        "my/delegates/<int:pk>/cancel/", views_delegates.delegate_cancel, name="my-delegate-cancel"
    ),
    path(
        "my/delegates/<int:pk>/sessions/",
        views_delegates.delegate_sessions,
        name="my-delegate-sessions",
    ),
]
