"""The pages that compose organizations and events: the home page, a country's page and an
organization's profile with the forum events its delegates attended; an organization's personal
data on request (/my/data/); and the health check."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe
from django_countries import countries

from events.agenda import event_cards, with_theme_lists
from events.models import Event
from news.latest import latest_posts
from organizations.cards import organization_cards
from organizations.models import Membership, Organization
from organizations.text import normalize_name
from organizations.views.directory import (
    PUBLIC_ORGANIZATIONS,
    OrganizationDetailView,
    focus_area_chart,
    network_countries,
    public_counts,
)

from . import health, personal_data
from .forms import AccountErasureForm

# The most recent past events a country page lists; the events page has them all.
PAST_EVENTS = 6


def _organizations_by_country():
    return dict(
        Organization.objects.public()
        .order_by()
        .values_list("country")
        .annotate(count=Count("pk"))
        .values_list("country", "count")
    )


@require_safe
def home(request):
    events = Event.objects.public().upcoming().prefetch_related("themes")[:4]
    next_forum, upcoming = (events[0], events[1:]) if events else (None, [])
    last_forum = Event.objects.public().past().prefetch_related("themes").first()
    by_country = public_counts(("home-by-country",), _organizations_by_country)
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
            "latest_posts": latest_posts(),
        },
    )


@require_safe
def country_detail(request, iso2):
    if iso2 not in network_countries():
        if iso2.lower() in network_countries():
            # /countries/KZ/ and /countries/Kz/: the one address is lowercase.
            return redirect("organizations:country", iso2=iso2.lower(), permanent=True)
        raise Http404
    code = iso2.upper()
    country = dict(countries)[code]
    organizations = Organization.objects.public().filter(country=code)
    by_city = public_counts(
        ("country-cities", code),
        lambda: dict(
            organizations.order_by()
            .values_list("city")
            .annotate(n=Count("pk"))
            .values_list("city", "n")
        ),
    )
    figures = {
        "total": sum(by_city.values()),
        # "Almaty" and "Алматы" are one city.
        "cities": len({normalize_name(city) for city in by_city} - {""}),
    }
    # A country hosts a handful of forum events: all of them, in one query.
    events = event_cards(
        with_theme_lists(Event.objects.public().filter(country=code).order_by("-start_date"))
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
            "organizations": organization_cards(
                organizations.prefetch_related("focus_areas").order_by("name")[:12]
            ),
            "upcoming_events": sorted(
                (event for event in events if event.end_date >= today), key=lambda e: e.start_date
            ),
            "past_events": [event for event in events if event.end_date < today][:PAST_EVENTS],
            "event_count": len(events),
            "focus_chart": focus_chart,
            "directory_url": f"{reverse('organizations:list')}?country={code}",
            "canonical_url": request.build_absolute_uri(request.path),
            "latest_posts": latest_posts(country=code),
            "news_url": f"{reverse('news:list')}?country={iso2}",
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
def healthz_live(request):
    """Liveness: the process answers requests. Asks nothing else, so a database or cache that
    is down never gets a healthy server restarted."""
    return JsonResponse({"status": "ok"})


# --- Personal data on request (/my/data/) -----------------------------------------------------
# The export is the owners' only: anyone else (an editor, another organization's owner) gets 404,
# since the organization is reached through the signed-in person's owner membership. Erasure is
# every member's own, confirmed with their password.


def _my_membership(request, *, owner=False):
    """The signed-in person's membership: /my/data/ is about their organization only (404)."""
    memberships = Membership.objects.select_related("organization").filter(user=request.user)
    if owner:
        memberships = memberships.filter(role=Membership.Role.OWNER)
    membership = memberships.first()
    if membership is None:
        raise Http404
    return membership


def json_response(data, filename):
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def personal_data_overview(request):
    membership = _my_membership(request)
    return render(
        request,
        "organizations/personal_data.html",
        {
            "membership": membership,
            "organization": membership.organization,
            "is_owner": membership.role == Membership.Role.OWNER,
            "refusal": personal_data.erasure_refusal(request.user),
        },
    )


@never_cache
@login_required
def personal_data_export_json(request):
    organization = _my_membership(request, owner=True).organization
    data = personal_data.organization_export(organization=organization, by=request.user)
    return json_response(data, personal_data.export_filename(organization.slug))


@never_cache
@login_required
def personal_data_export_page(request):
    organization = _my_membership(request, owner=True).organization
    data = personal_data.organization_export(organization=organization, by=request.user)
    return render(
        request,
        "organizations/personal_data_export.html",
        {
            "data": data,
            "organization": organization,
            "sections": personal_data.readable_sections(data),
        },
    )


@never_cache
@sensitive_post_parameters("password")
@login_required
def account_erase(request):
    membership = _my_membership(request)
    refusal = personal_data.erasure_refusal(request.user)
    if refusal:
        messages.error(request, refusal)
        return redirect("organizations:my-data")
    form = AccountErasureForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        personal_data.account_erase(user=request.user, by=request.user)
        logout(request)
        messages.success(
            request, _("Your account is erased. Thank you for having been part of the network.")
        )
        return redirect("home")
    others = membership.organization.memberships.exclude(user=request.user).exists()
    return render(
        request,
        "organizations/account_erase.html",
        {"form": form, "membership": membership, "others_remain": others},
    )


@never_cache
@require_safe
def healthz_ready(request):
    """Readiness: 200 when the database answers ("degraded" when the cache or the broker does
    not), 503 when it does not; the body says which part is down."""
    status, body = health.readiness()
    return JsonResponse(body, status=status)
