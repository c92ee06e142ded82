from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.PostListView.as_view(), name="list"),
    path("news/feed/", feeds.PostFeed(), name="feed"),
    path("news/<slug:slug>/", views.post_detail, name="detail"),
    path("newsletter/", views.preferences, name="preferences"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
