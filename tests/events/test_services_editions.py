import datetime

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.models import CountryQuota, Event
from tests.factories import EventFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (services.event_publish, Event.Status.PUBLISHED),
        (services.event_unpublish, Event.Status.DRAFT),
        (services.event_cancel, Event.Status.CANCELLED),
    ],
)
def test_status_changes(service, status):
    event = EventFactory(status=Event.Status.DRAFT if status != Event.Status.DRAFT else "published")

    service(event=event)

    event.refresh_from_db()
    assert event.status == status


def test_status_change_refuses_an_invalid_event():
    event = EventFactory(status=Event.Status.DRAFT)
    Event.objects.filter(pk=event.pk).update(time_zone="Nowhere/City")
    event.refresh_from_db()

    with pytest.raises(ValidationError):
        services.event_publish(event=event)

    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_copy_as_next_edition(forum, opening):
    theme = FocusAreaFactory()
    forum.themes.add(theme)
    forum.edition = 5
    forum.title_ru = "Пятый форум"
    forum.registration_opens_at = datetime.datetime(2024, 11, 1, 9, tzinfo=datetime.UTC)
    forum.save()
    CountryQuota.objects.create(event=forum, country="KZ", quota=40)

    copy = services.event_copy_as_next_edition(event=forum)

    assert copy.pk != forum.pk and copy.uid != forum.uid
    assert copy.status == Event.Status.DRAFT
    assert copy.edition == 6
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2026, 1, 28),
        datetime.date(2026, 1, 30),
    )
    assert copy.registration_opens_at == datetime.datetime(2025, 11, 1, 9, tzinfo=datetime.UTC)
    assert copy.slug == "fifth-forum-2026"
    assert (copy.title_en, copy.title_ru) == ("Fifth Forum", "Пятый форум")
    assert list(copy.themes.all()) == [theme]
    assert sorted(copy.tracks.values_list("name_en", flat=True)) == ["Climate"]
    assert sorted(copy.rooms.values_list("name_en", flat=True)) == [
        "Plenary hall",
        "Workshop room B",
    ]
    assert list(copy.country_quotas.values_list("country", "quota")) == [("KZ", 40)]
    assert not copy.sessions.exists()
    # The original is untouched.
    assert forum.tracks.count() == 1 and forum.sessions.count() == 1


def test_copy_with_chosen_dates_title_and_slug(forum):
    copy = services.event_copy_as_next_edition(
        event=forum,
        start_date=datetime.date(2027, 3, 1),
        slug="sixth-forum",
        title_en="Sixth Forum",
        title_ru="Шестой форум",
    )

    assert (copy.start_date, copy.end_date) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 3),
    )
    assert (copy.slug, copy.title_en, copy.title_ru) == (
        "sixth-forum",
        "Sixth Forum",
        "Шестой форум",
    )


def test_copy_twice_gets_distinct_slugs(forum):
    first = services.event_copy_as_next_edition(event=forum)
    second = services.event_copy_as_next_edition(event=forum)

    assert (first.slug, second.slug) == ("fifth-forum-2026", "fifth-forum-2026-2")


def test_copy_is_all_or_nothing(forum):
    EventFactory(slug="taken")

    with pytest.raises(ValidationError):
        services.event_copy_as_next_edition(event=forum, slug="taken")

    assert Event.objects.count() == 2


def test_shift_by_a_year_from_29_february():
    assert services.shift_by_years(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
