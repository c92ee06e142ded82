"""One date and time style per language, on public pages, /my/ and the admin alike; deadlines
name their time zone."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from events.templatetags.dates import deadline
from tests.factories import EventFactory

CLOSES = datetime.datetime(2027, 1, 13, 12, 0, tzinfo=datetime.UTC)


def render(text, **context):
    return Template(text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "when"),
    [
        ("en", "13 January 2027", "13 January 2027, 12:00"),
        ("ru", "13 января 2027", "13 января 2027, 12:00"),
    ],
)
def test_one_style_per_language(language, date, when, settings):
    settings.TIME_ZONE = "UTC"
    with translation.override(language):
        assert render('{{ d|date:"DATE_FORMAT" }}', d=CLOSES.date()) == date
        assert render('{{ d|date:"DATETIME_FORMAT" }}', d=CLOSES) == when
        assert render("{{ d }}", d=CLOSES.date()) == date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "13 January 2027, 18:00 (UTC+6, Asia/Bishkek)"),
        ("ru", "13 января 2027, 18:00 (UTC+6, Asia/Bishkek)"),
    ],
)
def test_a_deadline_is_in_the_events_time_with_its_zone_named(language, expected):
    event = EventFactory(time_zone="Asia/Bishkek")
    with translation.override(language):
        assert deadline(CLOSES, event) == expected


@pytest.mark.django_db
def test_the_event_page_names_the_zone_of_its_registration_deadline(client):
    now = datetime.datetime.now(datetime.UTC)
    event = EventFactory(
        time_zone="Asia/Bishkek",
        start_date=(now + datetime.timedelta(days=60)).date(),
        end_date=(now + datetime.timedelta(days=61)).date(),
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=30),
    )
    content = client.get(event.get_absolute_url()).content.decode()
    assert "(UTC+6, Asia/Bishkek)." in content
    assert "p.m." not in content and ".." not in content.split("open until", 1)[1][:60]
