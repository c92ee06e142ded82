"""The delegates' forms under /my/, fed generated bad input (tests/fuzz.py): never a server
error, and a refused form shows again what was typed."""

import pytest
from hypothesis import given

from events.forms import DelegateForm
from tests import fuzz
from tests.factories import DelegateFactory, SessionFactory

pytestmark = pytest.mark.django_db

FIELDS = [name for name in DelegateForm.base_fields if name != "full_name"]


@pytest.fixture
def member_client(client, member, open_forum):
    client.force_login(member)
    organization = member.memberships.get().organization
    delegate = DelegateFactory(event=open_forum, organization=organization, full_name="Seated")
    SessionFactory(event=open_forum, capacity=5)
    return client, delegate


def _check(client, url, pairs, typed):
    others = [(name, value) for name, value in pairs if name != b"full_name"]
    response = fuzz.post(client, url, [*others, (b"full_name", typed.encode())])
    fuzz.assert_no_server_error(response, url)
    if response.status_code == 200 and response.context and "form" in response.context:
        form = response.context["form"]
        if form is not None and form.is_bound and form.errors:
            assert fuzz.shown_again(response, typed), f"full_name lost on {url}"


@given(pairs=fuzz.form_data(FIELDS), typed=fuzz.plain_text)
def test_add_a_delegate(member_client, pairs, typed):
    client, _delegate = member_client
    _check(client, "/my/events/sixth-forum/delegates/add/", pairs, typed)


@given(pairs=fuzz.form_data(FIELDS), typed=fuzz.plain_text)
def test_edit_a_delegate(member_client, pairs, typed):
    client, delegate = member_client
    _check(client, f"/my/delegates/{delegate.pk}/edit/", pairs, typed)


@given(pairs=fuzz.form_data(["session", "sessions", "action", "booking"]))
def test_sessions_and_cancel(member_client, pairs):
    client, delegate = member_client
    for url in (f"/my/delegates/{delegate.pk}/sessions/", "/my/delegates/"):
        fuzz.assert_no_server_error(fuzz.post(client, url, pairs), url)
        fuzz.assert_no_server_error(fuzz.get(client, url, pairs), url)
