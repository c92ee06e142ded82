"""The news pages in the page cache: a post change forgets the pages that show posts, and only
those; a draft edited changes nothing; newsletters and consents touch no page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news import subscriptions
from news.models import Post
from portal import cache as page_cache
from tests.factories import EventFactory, OrganizationFactory
from tests.news.factories import NewsletterFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    yield
    page_cache._outage.update(until=0.0, logged=False)
    page_cache._generation.update(value=None)


@pytest.fixture
def content():
    forum, other = EventFactory(slug="sixth-forum"), EventFactory(slug="youth-summit")
    organization = OrganizationFactory(name="Zhasyl Qala", slug="zhasyl-qala")
    post = PostFactory(title_en="Forum news", slug="forum-news", countries=["KZ"], event=forum)
    return {"forum": forum, "other": other, "organization": organization, "post": post}


def cached(client, django_assert_num_queries, paths):
    for page in paths:
        with django_assert_num_queries(0, info=page):
            assert client.get(page).status_code == 200, page


def test_a_post_change_forgets_what_shows_posts_and_keeps_the_rest(
    client, content, django_assert_num_queries
):
    showing = [
        reverse("home"),
        reverse("news:list"),
        reverse("news:feed"),
        content["post"].get_absolute_url(),
        content["forum"].get_absolute_url(),
        reverse("organizations:country", args=["kz"]),
        reverse("sitemap"),
    ]
    kept = [
        content["other"].get_absolute_url(),
        reverse("events:agenda", args=["sixth-forum"]),  # the agenda shows no news
        reverse("organizations:country", args=["uz"]),
        reverse("organizations:list"),
        content["organization"].get_absolute_url(),
        reverse("events:list"),
    ]
    for page in [*showing, *kept]:
        client.get(page)
    cached(client, django_assert_num_queries, [*showing, *kept])

    post = content["post"]
    post.title_en = "Forum news, updated"
    post.save()

    cached(client, django_assert_num_queries, kept)
    for page in showing:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert len(queries) > 0, page  # rendered again
        if page != reverse("sitemap"):
            assert "Forum news, updated" in response.content.decode(), page


def test_a_new_post_for_another_country_keeps_this_countrys_page(
    client, content, django_assert_num_queries
):
    kz = reverse("organizations:country", args=["kz"])
    uz = reverse("organizations:country", args=["uz"])
    client.get(kz)
    client.get(uz)
    PostFactory(title_en="Tashkent news", slug="tashkent-news", countries=["UZ"])
    cached(client, django_assert_num_queries, [kz])
    assert "Tashkent news" in client.get(uz).content.decode()


def test_a_draft_edited_and_newsletter_work_change_no_page(
    client, content, django_assert_num_queries
):
    pages = [reverse("home"), reverse("news:list"), content["forum"].get_absolute_url()]
    draft = PostFactory(slug="draft", status=Post.Status.DRAFT, event=content["forum"])
    for page in pages:
        client.get(page)
    draft.title_en = "Still a draft"
    draft.save()
    newsletter = NewsletterFactory()
    newsletter.focus_areas.set([])
    subscriptions.subscribe(email="someone@example.org")
    cached(client, django_assert_num_queries, pages)


def test_publishing_a_draft_shows_it(client, content):
    draft = PostFactory(title_en="Fresh news", slug="fresh", status=Post.Status.DRAFT)
    client.get(reverse("news:list"))
    draft.status = Post.Status.PUBLISHED
    draft.save()
    assert "Fresh news" in client.get(reverse("news:list")).content.decode()
