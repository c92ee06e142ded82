from django.urls import path

from . import views
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
]
