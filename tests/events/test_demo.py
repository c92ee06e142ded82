import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Session

pytestmark = pytest.mark.django_db

FORUM = "fifth-eu-central-asia-civil-society-forum"


def test_demo_forum_shows_a_full_three_day_agenda_with_the_articles_speakers(client, settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)

    agenda = client.get(reverse("events:agenda", kwargs={"slug": FORUM}))
    speakers = client.get(reverse("events:speakers", kwargs={"slug": FORUM}))

    days = agenda.context["days"]
    by_slug = {
        session.slug: session
        for session in Session.objects.filter(event__slug=FORUM).prefetch_related("appearances")
    }
    for day in days:
        day["sessions"] = [by_slug[slug] for slug in day["slugs"]]
    assert [day["number"] for day in days] == [1, 2, 3]
    assert all(len(day["sessions"]) >= 5 for day in days)
    names = [speaker.name for speaker in speakers.context["speakers"]]
    # The press coverage's people first (protocol order), then clearly fictional ones.
    assert names[:3] == ["Aleška Simkić", "Roman Vassilenko", "Stephen O’Malley"]
    assert len(names) > 3 and all("Demo-" in name for name in names[3:])
    # Every session but the breaks and the reception names its speakers.
    unnamed = [
        s.slug
        for day in days
        for s in day["sessions"]
        if s.kind not in ("break", "networking") and not s.appearances.all()
    ]
    assert unnamed == []
    content = agenda.content.decode()
    assert "Times are Almaty time, UTC+5." in content
    assert ">09:30</time>" in content
    languages = {s.language for day in days for s in day["sessions"]}
    assert languages == {"en", "ru"}


def test_demo_forum_in_russian(client, settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)

    response = client.get(
        reverse("events:session", kwargs={"event_slug": FORUM, "slug": "opening-plenary"}),
        headers={"accept-language": "ru"},
    )

    content = response.content.decode()
    assert "Пленарное открытие: гражданское общество как партнёр устойчивого развития" in content
    assert "Приветственные выступления Европейского союза" in content
    assert "Синхронный перевод на русский" in content
