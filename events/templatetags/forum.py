from django import template
from django.utils import formats

register = template.Library()


@register.filter(expects_localtime=True)
def full_date(value):
    """ "28 January 2025" ("28 января 2025"): a date, or a time in the active time zone."""
    return formats.date_format(value, "j E Y")
