from django import template

from .. import cities

register = template.Library()


@register.filter
def city_name(city):
    """{{ organization.city|city_name }}: "Алматы" on a page in Russian for "Almaty"."""
    return cities.city_name(city)
