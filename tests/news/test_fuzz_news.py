"""The news list's filters, the newsletter preferences and the unsubscribe page, fed generated
bad input (tests/fuzz.py): never a server error, and no one unsubscribed by a forged token."""

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news import subscriptions
from tests import fuzz
from tests.factories import EventFactory, MembershipFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(reference_data):
    PostFactory(slug="forum-news", countries=["KZ"], event=EventFactory(slug="fifth-forum"))
    subscriptions.subscribe(email="dana@example.org")


@given(pairs=fuzz.form_data(["focus_area", "country", "event", "page"], extra=("q",)))
def test_news_list_filters(client, content, pairs):
    for url in ("/news/", "/news/feed/", "/news/forum-news/"):
        fuzz.assert_no_server_error(fuzz.get(client, url, pairs), url)


@given(token=st.binary(min_size=1, max_size=300) | st.sampled_from([b"a" * 5000, b"..", b":"]))
def test_unsubscribe_with_any_token(client, content, token):
    response = client.post(f"/newsletter/unsubscribe/{quote_from_bytes(token, safe='')}/")
    assert response.status_code in (400, 404), response.status_code
    assert subscriptions.is_subscribed("dana@example.org")


@given(pairs=fuzz.form_data(["newsletter"]))
def test_preferences_with_any_input(client, content, pairs):
    client.force_login(MembershipFactory().user)
    response = fuzz.post(client, "/newsletter/", pairs)
    fuzz.assert_no_server_error(response, "/newsletter/")
