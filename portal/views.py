"""The pages that compose organizations and events: the home page, a country's page and an
organization's profile with the forum events its delegates attended; and the health check."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_countries import countries

from events.models import Event
from organizations.models import Organization
from organizations.text import normalize_name
from organizations.views.directory import (
    PUBLIC_ORGANIZATIONS,
    OrganizationDetailView,
    focus_area_chart,
    network_countries,
)

logger = logging.getLogger(__name__)

# The most recent past events a country page lists; the events page has them all.
PAST_EVENTS = 6


@require_safe
def home(request):
    events = Event.objects.public().upcoming().prefetch_related("themes")[:4]
    next_forum, upcoming = (events[0], events[1:]) if events else (None, [])
    last_forum = Event.objects.public().past().prefetch_related("themes").first()
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


@require_safe
def country_detail(request, iso2):
    if iso2 not in network_countries():
        raise Http404
    code = iso2.upper()
    country = dict(countries)[code]
    organizations = Organization.objects.public().filter(country=code)
    by_city = dict(
        organizations.order_by()
        .values_list("city")
        .annotate(n=Count("pk"))
        .values_list("city", "n")
    )
    figures = {
        "total": sum(by_city.values()),
        # "Almaty" and "Алматы" are one city.
        "cities": len({normalize_name(city) for city in by_city} - {""}),
    }
    # A country hosts a handful of forum events: all of them, in one query.
    events = list(
        Event.objects.public()
        .filter(country=code)
        .prefetch_related("themes")
        .order_by("-start_date")
    )
    today = timezone.localdate()
    focus_chart = focus_area_chart(
        "country-focus-areas",
        gettext("Organizations by focus area"),
        PUBLIC_ORGANIZATIONS & Q(organizations__country=code),
        directory_query=f"country={code}&",
    )
    return render(
        request,
        "organizations/country_detail.html",
        {
            "country_code": code,
            "country_name": country,
            "iso2": iso2,
            "figures": figures,
            "organizations": organizations.prefetch_related("focus_areas").order_by("name")[:12],
            "upcoming_events": sorted(
                (event for event in events if event.end_date >= today), key=lambda e: e.start_date
            ),
            "past_events": [event for event in events if event.end_date < today][:PAST_EVENTS],
            "event_count": len(events),
            "focus_chart": focus_chart,
            "directory_url": f"{reverse('organizations:list')}?country={code}",
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


class OrganizationProfileView(OrganizationDetailView):
    """The public profile, with the forum events its delegates attended (which, never who)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attended_events"] = list(
            Event.objects.attended_by(self.object).order_by("-start_date")
        )
        return context


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
