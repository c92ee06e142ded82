from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy

from . import markdown
from .models import Post

FEED_SIZE = 30


class PostFeed(Feed):
    """Atom feed of the published news, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("EU–Central Asia civil society network: news")
    subtitle = gettext_lazy("News of the EU–Central Asia civil society network and its forum.")

    def link(self):
        return reverse("news:list")

    def items(self):
        return (
            Post.objects.public()
            .prefetch_related("focus_areas")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or markdown.plain_text(item.body)[:500]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [area.name for area in item.focus_areas.all()]
