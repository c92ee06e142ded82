from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Event
from .templatetags.dates import date_range

FEED_SIZE = 30


class EventFeed(Feed):
    """Atom feed of published events, newest announcements first."""

    feed_type = Atom1Feed
    title = gettext_lazy("EU–Central Asia Civil Society Forum: events")
    subtitle = gettext_lazy("Forum events of the EU–Central Asia civil society network.")

    def link(self):
        return reverse("events:list")

    def items(self):
        return Event.objects.public().prefetch_related("themes").order_by("-created_at")[:FEED_SIZE]

    def item_title(self, item):
        if item.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": item.title}
        return item.title

    def item_description(self, item):
        when = date_range(item.start_date, item.end_date)
        place = ", ".join(part for part in (item.city, str(item.country.name)) if part)
        return " · ".join(part for part in (when, place, item.summary) if part)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]
