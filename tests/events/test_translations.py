"""Content in English and Russian; Russian falls back to English when it is empty."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event, Session
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _get_ru(client, url):
    return client.get(url, headers={"accept-language": "ru"})


def test_event_in_russian_uses_the_russian_texts(client, forum):
    forum.title_ru = "Пятый форум"
    forum.description_ru = "Форум в Алматы."
    forum.city_ru = "Алматы"
    forum.save()

    content = _get_ru(client, forum.get_absolute_url()).content.decode()

    assert "<h1>Пятый форум</h1>" in content
    assert "Форум в Алматы." in content
    assert "28–30 января 2025" in content


def test_empty_russian_falls_back_to_english(client, forum, opening):
    assert forum.title_ru in (None, "")

    event_page = _get_ru(client, forum.get_absolute_url()).content.decode()
    agenda = _get_ru(client, reverse("events:agenda", kwargs={"slug": forum.slug}))

    # Marked as English, so that a screen reader reads it as English on the Russian page.
    assert '<h1 lang="en">Fifth Forum</h1>' in event_page
    assert 'lang="en">Opening plenary</a>' in agenda.content.decode()
    assert '<span lang="en">Climate</span>' in agenda.content.decode()  # the track: English only


def test_fallback_on_the_models(forum):
    session = SessionFactory(event=forum, title_en="Panel", title_ru="", description_en="About")

    with translation.override("ru"):
        session = Session.objects.get(pk=session.pk)
        assert session.title == "Panel"
        assert session.description == "About"
        session.title_ru = "Панель"
        assert session.title == "Панель"
        assert Event.objects.get(pk=forum.pk).title == "Fifth Forum"


def test_session_and_speaker_pages_in_russian(client, forum, opening):
    opening.title_ru = "Пленарное открытие"
    opening.interpretation_ru = "Синхронный перевод на русский"
    opening.save()
    speaker = opening.speakers.get()
    speaker.position_ru = "Посол"
    speaker.save()

    session_page = _get_ru(client, opening.get_absolute_url()).content.decode()
    speaker_page = _get_ru(client, speaker.get_absolute_url()).content.decode()

    assert "Пленарное открытие" in session_page
    assert "Синхронный перевод на русский" in session_page
    assert "Посол" in speaker_page
    assert re.search(r"28 января 2025, 10:00", session_page)
