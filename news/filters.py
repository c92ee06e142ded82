"""The news list's filters (in the URL, like the directory's)."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.models import Event
from organizations.models import FocusArea

from .models import Post, country_q


class PostFilter(django_filters.FilterSet):
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="focus_areas",
        to_field_name="slug",
        queryset=FocusArea.objects.all(),
        empty_label=_("All themes"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), method="filter_country", empty_label=_("All countries")
    )
    event = django_filters.ModelChoiceFilter(
        label=_("Event"),
        to_field_name="slug",
        queryset=Event.objects.public(),
        empty_label=_("All events"),
    )

    class Meta:
        model = Post
        fields = ["focus_area", "country", "event"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(countries)
        self.filters["country"].extra["choices"] = [
            (code.lower(), names[code]) for code in settings.NETWORK_COUNTRIES
        ]

    def filter_country(self, queryset, name, value):
        return queryset.filter(country_q(value))
