"""Dates as the portal writes them, in the active language: `full_date` and `date_range`."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter(expects_localtime=True)
def full_date(value):
    """ "28 January 2025" ("28 января 2025", "28-yanvar, 2025-yil"): a date, or a time in the
    active time zone."""
    return date_format(value, "DATE_FORMAT")


@register.filter
def date_range(start, end):
    """'28–30 January 2025', '30 January – 2 February 2027' or across years; in the language.

    Each language's DATE_FORMAT and MONTH_DAY_FORMAT (portal/formats) begin with the day, whose
    month is the name as used with a day (the "E" format: genitive in Russian, "28 января").
    """
    if not start or not end or start == end:
        return date_format(start or end, "DATE_FORMAT") if (start or end) else ""
    if (start.year, start.month) == (end.year, end.month):
        return f"{date_format(start, 'j')}–{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        return f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


@register.filter
def deadline(moment, event):
    """A deadline in the event's own time, its zone named: "13 January 2027, 18:00 (UTC+6,
    Asia/Bishkek)" ("13 января 2027, 18:00 (UTC+6, Asia/Bishkek)")."""
    if not moment:
        return ""
    local = timezone.localtime(moment, event.tzinfo)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({event.time_zone_at(moment)})"
