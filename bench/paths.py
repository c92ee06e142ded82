"""The benchmarked pages' slugs, looked up in the seeded database (Django set up)."""


def page_paths():
    from events.models import Event, Speaker
    from organizations.models import Organization

    event = Event.objects.get(slug="bench-largest-event")
    return {
        "event": event.slug,
        "session": event.sessions.order_by("pk").first().slug,
        "speaker": Speaker.objects.filter(appearances__session__event=event).first().slug,
        "organization": Organization.objects.public().order_by("pk").first().slug,
    }
