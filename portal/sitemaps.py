"""The sitemap: public pages of events, sessions, speakers and organizations."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event, Session, Speaker
from news.models import Post
from organizations.models import Organization


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "events:list", "organizations:list", "organizations:network", "news:list"]

    def location(self, item):
        return reverse(item)


class CountrySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return [code.lower() for code in settings.NETWORK_COUNTRIES]

    def location(self, iso2):
        return reverse("organizations:country", args=[iso2])


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Event.objects.public().order_by("-start_date", "pk").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at


class EventPageSitemap(Sitemap):
    """An event's agenda and speakers pages."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        events = Event.objects.public().order_by("-start_date", "pk").only("slug", "updated_at")
        return [(event, page) for event in events for page in ("events:agenda", "events:speakers")]

    def location(self, item):
        event, page = item
        return reverse(page, kwargs={"slug": event.slug})

    def lastmod(self, item):
        return item[0].updated_at


class SessionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Session.objects.public()
            .select_related("event")
            .only("slug", "event__slug", "event__updated_at")
            .order_by("event_id", "starts_at", "pk")
        )

    def lastmod(self, session):
        return session.event.updated_at


class SpeakerSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Speaker.objects.public().only("slug").order_by("pk")


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Organization.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, organization):
        return organization.updated_at


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Post.objects.public().only("slug", "updated_at").order_by("-published_at", "pk")

    def lastmod(self, post):
        return post.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "countries": CountrySitemap,
    "events": EventSitemap,
    "event-pages": EventPageSitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
    "organizations": OrganizationSitemap,
    "news": PostSitemap,
}
