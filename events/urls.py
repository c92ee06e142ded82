from django.urls import path

from .feeds import EventFeed
from .views import delegates, forum, public

app_name = "events"

urlpatterns = [
    path("events/", public.event_list, name="list"),
    # Before the event's slug, which would otherwise match "feed".
    path("events/feed/", EventFeed(), name="feed"),
    # A person's own agenda and calendar (never cached: see events/forum.py).
    path("my/agenda/", forum.my_agenda, name="my-agenda"),
    path("my/agenda/merge/", forum.stars_merge, name="my-agenda-merge"),
    path("my/agenda/sessions.json", forum.session_summaries, name="my-agenda-sessions"),
    path("my/agenda/calendar/", forum.calendar_feed, name="my-agenda-calendar"),
    path("calendar/<str:token>.ics", forum.private_calendar, name="private-calendar"),
    path("events/<slug:slug>/", public.event_detail, name="detail"),
    path("events/<slug:slug>/agenda/", public.agenda, name="agenda"),
    path("events/<slug:slug>/speakers/", public.event_speakers, name="speakers"),
    path("events/<slug:slug>/calendar.ics", public.event_calendar, name="calendar"),
    path("events/<slug:slug>/now/", forum.now_view, name="now"),
    path("events/<slug:slug>/schedule.xml", public.schedule_xml, name="schedule-xml"),
    path("events/<slug:slug>/schedule.json", public.schedule_json, name="schedule-json"),
    path("events/<slug:event_slug>/sessions/<slug:slug>/", public.session_detail, name="session"),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/calendar.ics",
        public.session_calendar,
        name="session-calendar",
    ),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/star/",
        forum.session_star,
        name="session-star",
    ),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/online/",
        forum.session_online,
        name="session-online",
    ),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/feedback/",
        forum.session_feedback,
        name="session-feedback",
    ),
    path("speakers/<slug:slug>/", public.speaker_detail, name="speaker"),
    # A member's delegates, under /my/ next to the organization's own pages.
    path("my/delegates/", delegates.my_delegates, name="my-delegates"),
    path(
        "my/events/<slug:slug>/delegates/",
        delegates.my_event_delegates,
        name="my-event-delegates",
    ),
    path(
        "my/events/<slug:slug>/delegates/add/",
        delegates.delegate_add,
        name="my-delegate-add",
    ),
    path("my/delegates/<int:pk>/edit/", delegates.delegate_edit, name="my-delegate-edit"),
    path("my/delegates/<int:pk>/cancel/", delegates.delegate_cancel, name="my-delegate-cancel"),
    path(
        "my/delegates/<int:pk>/sessions/",
        delegates.delegate_sessions,
        name="my-delegate-sessions",
    ),
]
