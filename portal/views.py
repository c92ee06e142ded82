import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from events.models import Event
from organizations.models import Organization

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    events = Event.objects.published().upcoming().prefetch_related("themes")[:4]
    next_forum, upcoming = (events[0], events[1:]) if events else (None, [])
    last_forum = Event.objects.published().past().prefetch_related("themes").first()
    by_country = dict(
        Organization.objects.public()
        .values_list("country")
        .annotate(count=Count("pk"))
        .values_list("country", "count")
    )
    return render(
        request,
        "home.html",
        {
            "next_forum": next_forum,
            "upcoming_events": upcoming,
            "last_forum": last_forum,
            "organization_count": sum(by_country.values()),
            "country_count": len(by_country),
            "network_size": settings.NETWORK_SIZE,
        },
    )


@never_cache
@require_safe
def healthz(request):
    """200 when the application and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok"})
