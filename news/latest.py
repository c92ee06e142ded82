"""The latest published posts that other pages show (home, a country, an event): one query."""

from .models import Post, country_q

LATEST = 3


def latest_posts(*, country=None, event=None, limit=LATEST):
    posts = Post.objects.public().order_by("-published_at", "-pk")
    if country:
        posts = posts.filter(country_q(country))
    if event is not None:
        posts = posts.filter(event=event)
    return list(posts[:limit])
