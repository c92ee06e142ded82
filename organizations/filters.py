"""The directory's filters, shared by the directory page and the open-data exports.

Each filter value also gets a count: how many organizations it would show together with the
other active filters (`facet_counts`). Every facet costs one aggregate query, whatever the
number of organizations. The counts need no DISTINCT (a costly sort): each filter on a
many-to-many relation matches one value, so it never repeats an organization, and search
filters through subqueries rather than joins.
"""

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.cache import remember

from . import search
from .models import FocusArea, Organization, SustainableDevelopmentGoal

FIRST_DECADE = 1990


def decade_choices(today=None):
    this_year = (today or timezone.localdate()).year
    choices = [("before-1990", _("Before 1990"))]
    for start in range(FIRST_DECADE, this_year + 1, 10):
        choices.append((f"{start}s", f"{start}–{start + 9}"))
    return choices


def decade_range(value):
    """(first year, last year) of a decade choice; None for an open end."""
    if value == "before-1990":
        return None, FIRST_DECADE - 1
    start = int(value.removesuffix("s"))
    return start, start + 9


def decade_q(value):
    first, last = decade_range(value)
    condition = Q(year_founded__lte=last)
    if first is not None:
        condition &= Q(year_founded__gte=first)
    return condition


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=100,
        help_text=_("Name, acronym, city or words of the description, in Latin or Cyrillic."),
    )
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    focus_area = django_filters.ChoiceFilter(
        label=_("Focus area"), field_name="focus_areas__slug", empty_label=_("All focus areas")
    )
    sdg = django_filters.ChoiceFilter(
        label=_("Sustainable Development Goal"),
        field_name="sdgs__number",
        empty_label=_("All goals"),
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"),
        choices=Organization.LegalForm.choices,
        empty_label=_("All legal forms"),
    )
    founded = django_filters.ChoiceFilter(
        label=_("Year founded"),
        method="filter_founded",
        empty_label=_("Any year"),
    )

    # The order in which the form shows them and a shared link lists them.
    FACETS = ("country", "focus_area", "sdg", "legal_form", "founded")

    class Meta:
        model = Organization
        fields = ["q", "country", "focus_area", "sdg", "legal_form", "founded"]

    def __init__(self, data=None, *args, public=False, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Counting only public organizations: the counts can be shared by every visitor.
        self.public = public
        # Loaded once per request: they label the choices and the counts.
        self.focus_areas = list(FocusArea.objects.all())
        self.goals = list(SustainableDevelopmentGoal.objects.all())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code
        ]
        self.filters["focus_area"].extra["choices"] = [(a.slug, a.name) for a in self.focus_areas]
        self.filters["sdg"].extra["choices"] = [(str(g.number), str(g)) for g in self.goals]
        self.filters["founded"].extra["choices"] = decade_choices()
        self.form.fields["q"].widget.input_type = "search"

    def filter_search(self, queryset, name, value):
        return queryset.filter(pk__in=self.search_pks)

    @cached_property
    def search_pks(self):
        """The organizations the query finds, searched once although the page filters (and
        counts) several querysets; over the public directory, once per change to it."""

        def found():
            matches = search.matching(self.queryset, self.query, typo_pks=self.typo_pks)
            return sorted(matches.values_list("pk", flat=True))

        if not self.public:
            return found()
        return remember(["directory", "directory-text"], ("directory-search", self.query), found)

    @cached_property
    def typo_pks(self):
        """The organizations the query finds despite typos: computed once, although the page
        filters the queryset again for every facet."""
        return search.typo_matches(self.queryset, self.query, shared=self.public)

    def filter_founded(self, queryset, name, value):
        return queryset.filter(decade_q(value))

    @property
    def active(self):
        """The valid, non-empty filter values, in form order."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {
            name: cleaned[name] for name in self.Meta.fields if cleaned.get(name) not in (None, "")
        }

    @property
    def query(self):
        return self.active.get("q", "")

    def queryset_without(self, excluded):
        """The queryset with every active filter but `excluded`."""
        queryset = self.queryset.all()
        for name, value in self.active.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_counts(self):
        """{facet: {value: count}}, each facet counted under the other active filters.

        Over public organizations (`public=True`), counted once per change to the directory and
        set of filters: kept in the cache (portal.cache.remember) until an organization it could
        count changes."""
        if not self.public:  # members see more than what the directory's token follows
            return self._count_facets()
        key = ("directory-facets", timezone.localdate().year, sorted(self.active.items()))
        # A search's counts are over what it finds, which descriptions decide too.
        names = ["directory", "directory-text"] if self.query else ["directory"]
        return remember(names, key, self._count_facets)

    def _count_facets(self):
        counts = {}
        for name, group_by in (
            ("country", "country"),
            ("focus_area", "focus_areas__slug"),
            ("sdg", "sdgs__number"),
            ("legal_form", "legal_form"),
        ):
            rows = (
                self.queryset_without(name)
                .order_by()
                .values_list(group_by)
                .annotate(count=Count("pk"))
                .values_list(group_by, "count")
            )
            counts[name] = {str(value): count for value, count in rows if value is not None}
        decades = [value for value, _label in decade_choices()]
        totals = self.queryset_without("founded").aggregate(
            **{
                f"decade_{index}": Count("pk", filter=decade_q(value))
                for index, value in enumerate(decades)
            }
        )
        counts["founded"] = {value: totals[f"decade_{i}"] for i, value in enumerate(decades)}
        return counts
