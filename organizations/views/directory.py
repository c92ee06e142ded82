"""The public side of the network: the directory, profiles, the network in figures and the
open data (the country pages, which also list events, are in portal/views.py).

What a visitor may see is decided by one queryset: `Organization.objects.visible_to(user)` for
the directory and profiles (members of approved organizations also see network-only ones),
`Organization.objects.public()` for everything counted or exported. Every page runs a fixed
number of queries, whatever the number of organizations.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.views.decorators.http import condition, require_safe
from django.views.generic import DetailView, ListView
from django_countries import countries

from portal.cache import remember
from portal.dependencies import directory_texts

from .. import charts, opendata, search
from ..cards import organization_cards
from ..filters import OrganizationFilter
from ..models import (
    FocusArea,
    Organization,
    SustainableDevelopmentGoal,
    sees_network_profiles,
)

# Public, approved: the condition on related organizations for counts over focus areas and SDGs.
PUBLIC_ORGANIZATIONS = Q(
    organizations__status=Organization.Status.APPROVED,
    organizations__visibility=Organization.Visibility.PUBLIC,
)


def network_countries():
    return [code.lower() for code in settings.NETWORK_COUNTRIES]


def _canonical_query(filterset, page_number=1):
    """The active filters in a stable order: the same page always has the same address."""
    params = [(name, str(value)) for name, value in filterset.active.items()]
    if page_number > 1:
        params.append(("page", str(page_number)))
    return params


class OrganizationListView(ListView):
    template_name = "organizations/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 24

    @cached_property
    def filterset(self):
        network = sees_network_profiles(self.request.user)
        return OrganizationFilter(
            self.request.GET or None,
            queryset=Organization.objects.visible_to(self.request.user, network=network),
            request=self.request,
            public=not network,
        )

    def get_queryset(self):
        queryset = self.filterset.qs.prefetch_related("focus_areas")
        if self.filterset.query:
            return search.order_by_relevance(queryset, self.filterset.query)
        return queryset.order_by("name", "pk")

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range shows the nearest page rather than an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        # Before the choices get their counts: the chips name a choice without its number.
        chips = self.active_filter_chips()
        counts = filterset.facet_counts()
        form = filterset.form
        selected = filterset.active

        def labelled(name, choices, always=None):
            facet = counts[name]
            return [
                (value, f"{label} ({facet.get(str(value), 0)})")
                for value, label in choices
                if always is None
                or value in always
                or facet.get(str(value))
                or selected.get(name) == value
            ]

        # The fields add their own "All ..." choice in front.
        form.fields["country"].choices = labelled(
            "country",
            [(code, name) for code, name in countries if code],
            always=settings.NETWORK_COUNTRIES,
        )
        for name in ("focus_area", "sdg", "legal_form", "founded"):
            choices = [choice for choice in form.fields[name].choices if choice[0] != ""]
            form.fields[name].choices = labelled(name, choices)

        page = context["page_obj"]
        context["organizations"] = organization_cards(context["organizations"])
        context["filter_fields"] = self.filter_fields(form)
        query = _canonical_query(filterset, page.number)
        context.update(
            {
                "form": form,
                "active_filters": chips,
                "query": filterset.query,
                "canonical_url": self.request.build_absolute_uri(
                    reverse("organizations:list") + ("?" + urlencode(query) if query else "")
                ),
                "export_query": urlencode(_canonical_query(filterset)),
                "licence_name": opendata.LICENCE_NAME,
                "licence_url": opendata.LICENCE_URL,
            }
        )
        return context

    def filter_fields(self, form):
        """The filters' fields with their counts; for visitors, once per change and set of
        filters (a form with errors shows them, and what was typed, every time)."""

        def render():
            return render_to_string(
                "organizations/includes/_directory_filter_fields.html", {"form": form}
            )

        if not self.filterset.public or form.errors:
            return render()
        parameters = sorted(
            (name, tuple(values)) for name, values in self.request.GET.lists() if name != "page"
        )
        names = ["directory", "directory-text"] if self.filterset.query else ["directory"]
        return remember(names, ("directory-filters", get_language(), tuple(parameters)), render)

    def active_filter_chips(self):
        """One removable chip per active filter, each with the link that drops it."""
        filterset = self.filterset
        chips = []
        for name, value in filterset.active.items():
            field = filterset.form.fields[name]
            shown = f"“{value}”" if name == "q" else dict(field.choices).get(value, value)
            remaining = [(key, val) for key, val in _canonical_query(filterset) if key != name]
            chips.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": shown,
                    "remove_url": "?" + urlencode(remaining) if remaining else "",
                }
            )
        return chips


class OrganizationDetailView(DetailView):
    template_name = "organizations/organization_detail.html"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).prefetch_related(
            "focus_areas", "sdgs"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        languages = dict(Organization.Language.choices)
        context.update(
            {
                "working_languages": [
                    languages[code] for code in organization.working_languages if code in languages
                ],
                "network_country_codes": network_countries(),
                "is_public": organization.visibility == Organization.Visibility.PUBLIC,
                "canonical_url": self.request.build_absolute_uri(organization.get_absolute_url()),
                "logo_url": (
                    self.request.build_absolute_uri(organization.logo.url)
                    if organization.logo
                    else ""
                ),
            }
        )
        return context


def public_counts(key, compute):
    """compute()'s figures about the public directory, counted once per change to it."""
    return remember(["directory"], key, compute)


def _focus_area_counts(organizations_filter):
    """(name, slug, count) of every focus area, in this language."""
    return [
        (area.name, area.slug, area.organization_count)
        for area in FocusArea.objects.annotate(
            organization_count=Count("organizations", filter=organizations_filter)
        )
    ]


def focus_area_chart(key, title, organizations_filter, directory_query=""):
    """The chart of organizations per focus area; `key` also names its counts in the cache,
    kept until the public directory changes (so `organizations_filter` must count only public
    organizations)."""
    areas = public_counts(
        ("focus-area-counts", key, directory_query, get_language()),
        lambda: _focus_area_counts(organizations_filter),
    )
    list_url = reverse("organizations:list")
    return charts.bar_chart(
        key=key,
        title=title,
        description=gettext(
            "Bar chart of the number of organizations per focus area; "
            "an organization can work on several. The numbers follow in a table."
        ),
        label_heading=gettext("Focus area"),
        value_heading=gettext("Organizations"),
        rows=[
            charts.Row(name, count, f"{list_url}?{directory_query}focus_area={slug}")
            for name, slug, count in areas
        ],
    )


def _network_figures():
    public = Organization.objects.public()
    by_country = dict(
        public.order_by()
        .values_list("country")
        .annotate(count=Count("pk"))
        .values_list("country", "count")
    )
    by_goal = [
        (str(goal), goal.number, goal.organization_count)
        for goal in SustainableDevelopmentGoal.objects.annotate(
            organization_count=Count("organizations", filter=PUBLIC_ORGANIZATIONS)
        )
    ]
    by_year = dict(
        public.filter(approved_at__isnull=False)
        .annotate(year=ExtractYear("approved_at"))
        .order_by()
        .values_list("year")
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    return by_country, by_goal, by_year


@require_safe
def network(request):
    # Counted once per change to the public directory, not on every render.
    by_country, by_goal, by_year = public_counts(
        ("network-figures", get_language()), _network_figures
    )
    codes = list(settings.NETWORK_COUNTRIES) + sorted(
        code for code in by_country if code not in settings.NETWORK_COUNTRIES
    )
    names = dict(countries)
    country_chart = charts.bar_chart(
        key="countries",
        title=gettext("Organizations by country"),
        description=gettext(
            "Bar chart of the number of organizations per country. The numbers follow in a table."
        ),
        label_heading=gettext("Country"),
        value_heading=gettext("Organizations"),
        rows=[
            charts.Row(
                str(names.get(code, code)),
                by_country.get(code, 0),
                reverse("organizations:country", args=[code.lower()])
                if code in settings.NETWORK_COUNTRIES
                else f"{reverse('organizations:list')}?country={code}",
            )
            for code in codes
        ],
    )
    focus_chart = focus_area_chart(
        "focus-areas", gettext("Organizations by focus area"), PUBLIC_ORGANIZATIONS
    )
    list_url = reverse("organizations:list")
    sdg_chart = charts.bar_chart(
        key="sdgs",
        title=gettext("Organizations by Sustainable Development Goal"),
        description=gettext(
            "Bar chart of the number of organizations working towards each of the 17 goals. "
            "The numbers follow in a table."
        ),
        label_heading=gettext("Goal"),
        value_heading=gettext("Organizations"),
        rows=[
            charts.Row(name, count, f"{list_url}?sdg={number}") for name, number, count in by_goal
        ],
    )
    rows, running = [], 0
    if by_year:
        for year in range(min(by_year), max(by_year) + 1):
            running += by_year.get(year, 0)
            rows.append(charts.Row(str(year), by_year.get(year, 0), extra=running))
    year_chart = charts.column_chart(
        key="years",
        title=gettext("Organizations verified per year"),
        description=gettext(
            "Column chart of the number of organizations verified each year. "
            "The numbers, with the running total, follow in a table."
        ),
        label_heading=gettext("Year"),
        value_heading=gettext("Verified that year"),
        extra_heading=gettext("Total at the end of the year"),
        rows=rows,
    )
    total = sum(by_country.values())
    return render(
        request,
        "organizations/network.html",
        {
            "total": total,
            "country_count": sum(1 for count in by_country.values() if count),
            "focus_area_count": sum(1 for row in focus_chart.rows if row.value),
            "charts": [country_chart, year_chart, focus_chart, sdg_chart],
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


# --- Open data ---------------------------------------------------------------------------------


def _export_filterset(request):
    if not hasattr(request, "_open_data_filterset"):
        request._open_data_filterset = OrganizationFilter(
            request.GET or None, queryset=Organization.objects.public(), request=request
        )
    return request._open_data_filterset


def _export_state(request):
    if not hasattr(request, "_open_data_state"):
        request._open_data_state = opendata.summary(_export_filterset(request).qs)
    return request._open_data_state


def _export_etag(kind):
    def etag(request, *args, **kwargs):
        filterset = _export_filterset(request)
        return opendata.etag(kind, urlencode(_canonical_query(filterset)), _export_state(request))

    return etag


def _export_last_modified(request, *args, **kwargs):
    return _export_state(request)["last_modified"]


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


OPEN_DATA_HEADERS = {
    "Link": f'<{opendata.LICENCE_URL}>; rel="license"',
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=0, must-revalidate",
}


def _kept_export(request, kind, chunks):
    """A filtered export, built once per change to what it shows (the directory, and the texts
    of the organizations of its country or of all), per filters and address of the site."""
    filterset = _export_filterset(request)
    query = urlencode(_canonical_query(filterset))
    if not query:
        # The whole directory while its prepared file is being built: streamed, not kept.
        return chunks()
    key = ("open-data", kind, query, _base_url(request))
    names = ["directory", *directory_texts(request.GET)]
    return [remember(names, key, lambda: "".join(chunks()).encode())]


def _open_data_response(request, content, content_type, filename, disposition):
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    for name, value in OPEN_DATA_HEADERS.items():
        response[name] = value
    return response


def _prepared_or(kind, dynamic):
    """The whole directory comes from the prepared file (exports/opendata_files.py); a filtered
    one, or the whole one while its file is being prepared, is built for the request."""

    @require_safe
    @functools.wraps(dynamic)
    def view(request):
        if not request.GET:
            prepared = opendata.prepared_response(request, kind, headers=OPEN_DATA_HEADERS)
            if prepared is not None:
                return prepared
        return dynamic(request)

    return view


@condition(etag_func=_export_etag("csv"), last_modified_func=_export_last_modified)
def _open_data_csv(request):
    queryset = _export_filterset(request).qs
    return _open_data_response(
        request,
        _kept_export(request, "csv", lambda: opendata.csv_lines(queryset, _base_url(request))),
        "text/csv; charset=utf-8; header=present",
        "organizations.csv",
        "attachment",
    )


@condition(etag_func=_export_etag("json"), last_modified_func=_export_last_modified)
def _open_data_json(request):
    filterset = _export_filterset(request)
    meta = opendata.metadata(
        state=_export_state(request),
        source_url=request.build_absolute_uri(reverse("organizations:list")),
        filters=dict(_canonical_query(filterset)),
    )
    return _open_data_response(
        request,
        _kept_export(
            request,
            "json",
            lambda: opendata.json_chunks(filterset.qs, _base_url(request), meta=meta),
        ),
        "application/json; charset=utf-8",
        "organizations.json",
        "inline",
    )


open_data_csv = _prepared_or("csv", _open_data_csv)
open_data_json = _prepared_or("json", _open_data_json)
