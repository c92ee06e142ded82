"""Editions of an event: publish, unpublish, cancel, and copy as the next edition."""

import datetime
import uuid

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from ..history import record_author
from ..models import CountryQuota, Event, Room, Track


def _set_status(event, status, by):
    event.status = status
    event.full_clean()
    record_author(event, by)
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_publish(*, event, by=None):
    return _set_status(event, Event.Status.PUBLISHED, by)


@transaction.atomic
def event_unpublish(*, event, by=None):
    """Back to draft: visitors get 404 again, organizers keep editing."""
    return _set_status(event, Event.Status.DRAFT, by)


@transaction.atomic
def event_cancel(*, event, by=None):
    """Stays visible, marked as cancelled, so that people who planned to come find out."""
    return _set_status(event, Event.Status.CANCELLED, by)


def shift_by_years(day, years=1):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_edition_slug(event, start_date):
    """A free slug for the copy: the title's slug with the new year, numbered if taken."""
    base = slugify(event.title_en or event.title)[:180] or "event"
    candidate = f"{base}-{start_date.year}"
    number = 2
    while Event.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{start_date.year}-{number}"
        number += 1
    return candidate


@transaction.atomic
def event_copy_as_next_edition(
    *, event, start_date=None, slug=None, title_en=None, title_ru=None, by=None
):
    """A draft copy of `event` with its themes, tracks, rooms and country quotas.

    Dates (and the registration window) move by the same number of days; sessions and speakers
    are not copied, since every edition has its own programme.
    """
    start_date = start_date or shift_by_years(event.start_date)
    shift = datetime.timedelta(days=(start_date - event.start_date).days)
    source = Event.objects.get(pk=event.pk)
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy._state.adding = True
    copy.uid = uuid.uuid4()
    copy.slug = slug or next_edition_slug(event, start_date)
    copy.status = Event.Status.DRAFT
    copy.edition = event.edition + 1 if event.edition else None
    copy.start_date = start_date
    copy.end_date = event.end_date + shift
    if title_en:
        copy.title_en = title_en
    if title_ru is not None:
        copy.title_ru = title_ru
    if copy.registration_opens_at:
        copy.registration_opens_at += shift
    if copy.registration_closes_at:
        copy.registration_closes_at += shift
    copy.full_clean()
    record_author(copy, by)
    copy.save()
    copy.themes.set(source.themes.all())
    for model in (Track, Room, CountryQuota):
        rows = list(model.objects.filter(event=source))
        for row in rows:
            row.pk = None
            row.event = copy
        if model is CountryQuota:
            # The quotas have a history: it starts with the copy.
            author = by if by is not None and by.is_authenticated else None
            bulk_create_with_history(rows, CountryQuota, default_user=author)
        else:
            model.objects.bulk_create(rows)
    return copy
