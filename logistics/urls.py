from django.urls import path

from .views import door, my, programme

app_name = "logistics"

urlpatterns = [
    path("events/<slug:slug>/programme.pdf", programme.programme, name="programme"),
    path("verify/<str:reference>/", door.verify, name="verify"),
    path("check-in/", door.check_in_events, name="check-in-events"),
    path("check-in/<slug:slug>/", door.check_in, name="check-in"),
    path("check-in/<slug:slug>/check/", door.check_in_post, name="check-in-post"),
    path("check-in/<slug:slug>/counts.json", door.check_in_counts, name="check-in-counts"),
    path("my/events/<slug:slug>/travel/", my.event_logistics, name="my-event"),
    path("my/delegates/<int:pk>/travel/", my.travel_edit, name="my-travel"),
    path("my/letters/<str:reference>.pdf", my.letter_download, name="my-letter"),
    path("my/certificates/<str:reference>.pdf", my.certificate_download, name="my-certificate"),
]
