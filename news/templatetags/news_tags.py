from django import template
from django.urls import reverse

from ..latest import latest_posts

register = template.Library()


@register.inclusion_tag("news/includes/_latest_posts.html", takes_context=True)
def event_news(context, event):
    """The latest news about `event` (nothing when there is none)."""
    return {
        "posts": latest_posts(event=event),
        "heading_id": "event-news-heading",
        "more_url": f"{reverse('news:list')}?event={event.slug}",
        "request": context.get("request"),
    }
