"""The news pages: list with filters and pagination, a post with its sharing tags, the latest
posts on the home, event and country pages, the feed and the sitemap."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from news.models import Post
from tests.factories import EventFactory, FocusAreaFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts():
    climate = FocusAreaFactory(slug="climate", name="Climate", name_en="Climate")
    youth = FocusAreaFactory(slug="youth", name="Youth", name_en="Youth")
    forum = EventFactory(slug="sixth-forum", title_en="Sixth Forum")
    now = timezone.now()
    first = PostFactory(
        title_en="Forum in Almaty",
        title_ru="Форум в Алматы",
        slug="forum-in-almaty",
        summary_en="Three days of civil society.",
        body_en="## The plenary\n\nMinisters and **CSOs** met.",
        countries=["KZ"],
        event=forum,
        published_at=now - datetime.timedelta(days=2),
    )
    first.focus_areas.add(climate)
    second = PostFactory(
        title_en="Youth in Tashkent",
        slug="youth-in-tashkent",
        countries=["UZ", "KG"],
        published_at=now - datetime.timedelta(days=1),
    )
    second.focus_areas.add(youth)
    draft = PostFactory(title_en="Secret draft", slug="secret-draft", status=Post.Status.DRAFT)
    later = PostFactory(
        title_en="Not yet", slug="not-yet", published_at=now + datetime.timedelta(days=3)
    )
    return {"first": first, "second": second, "draft": draft, "later": later, "forum": forum}


def test_list_shows_published_posts_newest_first(client, posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/news/")
    assert response.status_code == 200
    titles = [post.title for post in response.context["posts"]]
    assert titles == ["Youth in Tashkent", "Forum in Almaty"]
    content = response.content.decode()
    assert "Secret draft" not in content and "Not yet" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("focus_area=climate", ["Forum in Almaty"]),
        ("focus_area=youth", ["Youth in Tashkent"]),
        ("country=kg", ["Youth in Tashkent"]),
        ("country=kz", ["Forum in Almaty"]),
        ("event=sixth-forum", ["Forum in Almaty"]),
        ("country=uz&focus_area=climate", []),
        ("country=xx", ["Youth in Tashkent", "Forum in Almaty"]),  # refused: unfiltered
        ("page=99", ["Youth in Tashkent", "Forum in Almaty"]),
    ],
)
def test_list_filters(client, posts, query, expected):
    response = client.get(f"/news/?{query}")
    assert response.status_code == 200
    assert [post.title for post in response.context["posts"]] == expected


def test_list_paginates_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    area = FocusAreaFactory(slug="climate")
    for n in range(30):
        post = PostFactory(slug=f"post-{n}", countries=["KZ"])
        post.focus_areas.add(area)
    with django_assert_max_num_queries(5):
        response = client.get("/news/?page=2")
    assert len(response.context["posts"]) == 12
    assert 'rel="prev"' in response.content.decode()


def test_post_page_renders_markdown_and_sharing_tags(client, posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/news/forum-in-almaty/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h2>The plenary</h2>" in content
    assert "<strong>CSOs</strong>" in content
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:title" content="Forum in Almaty">' in content
    assert 'content="Three days of civil society."' in content
    assert '<link rel="canonical" href="http://testserver/news/forum-in-almaty/">' in content
    assert 'href="/events/sixth-forum/"' in content
    assert 'href="/countries/kz/"' in content


def test_post_page_in_russian_falls_back_to_english(client, posts):
    response = client.get("/news/forum-in-almaty/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Форум в Алматы</h1>" in response.content.decode()
    # No Russian summary: the English one.
    assert "Three days of civil society." in response.content.decode()


def test_drafts_and_future_posts_are_not_found(client, posts):
    assert client.get("/news/secret-draft/").status_code == 404
    assert client.get("/news/not-yet/").status_code == 404
    assert client.get("/news/no-such-post/").status_code == 404


def test_organizers_preview_a_draft(client, posts):
    from tests.exports.test_export_jobs import _organizer

    organizer = _organizer("organizer")
    organizer.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(content_type__app_label="news")
    )
    client.force_login(organizer)
    response = client.get("/news/secret-draft/")
    assert response.status_code == 200
    assert "Draft: visitors do not see this post." in response.content.decode()


def test_latest_posts_on_the_home_event_and_country_pages(client, posts):
    home = client.get("/").content.decode()
    assert "Youth in Tashkent" in home and "Forum in Almaty" in home
    event = client.get("/events/sixth-forum/").content.decode()
    assert "Forum in Almaty" in event and "Youth in Tashkent" not in event
    kg = client.get("/countries/kg/").content.decode()
    assert "Youth in Tashkent" in kg and "Forum in Almaty" not in kg
    tj = client.get("/countries/tj/").content.decode()
    assert "Youth in Tashkent" not in tj and "Forum in Almaty" not in tj


def test_atom_feed(client, posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/news/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    titles = [
        entry.findtext("atom:title", namespaces=ns) for entry in feed.findall("atom:entry", ns)
    ]
    assert titles == ["Youth in Tashkent", "Forum in Almaty"]
    categories = [c.get("term") for c in feed.findall("atom:entry/atom:category", ns)]
    assert sorted(categories) == ["Climate", "Youth"]


def test_sitemap_lists_published_posts(client, posts):
    content = client.get("/sitemap.xml").content.decode()
    assert "/news/forum-in-almaty/" in content
    assert "/news/youth-in-tashkent/" in content
    assert "/news/secret-draft/" not in content
    assert "/news/not-yet/" not in content
    assert "<loc>http://testserver/news/</loc>" in content


def test_the_demo_has_news_from_the_fifth_forum(client, reference_data):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # again: nothing doubled
    assert Post.objects.public().count() == 4
    forum = client.get("/events/fifth-eu-central-asia-civil-society-forum/").content.decode()
    assert "Almaty hosts the fifth EU–Central Asia Civil Society Forum" in forum
    post = client.get("/news/7000-organizations-better-communication/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Более 7000 организаций гражданского общества на связи" in post.content.decode()
