"""Figures that every render of a page would count again (the directory's facet counts, the
network's charts, a country's cities) are counted once per change to the public directory and
kept in the cache (portal.cache.remember), also with the page cache off, as in these tests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization
from portal import cache as page_cache
from tests.factories import FocusAreaFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache_state():
    yield
    page_cache._outage.update(until=0.0, logged=False)
    page_cache._generation.update(value=None)


def option_labels(response, field):
    return dict(response.context["form"].fields[field].choices)


def grouped_counts(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"] and "GROUP BY" in q["sql"]]


def test_the_facet_counts_are_counted_once_and_follow_a_change(client, steady_generation):
    area = FocusAreaFactory(name_en="Climate")
    OrganizationFactory(country="KZ", focus_areas=[area])
    OrganizationFactory(country="UZ")
    url = reverse("organizations:list")

    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url)
    assert option_labels(first, "country")["KZ"].endswith("(1)")
    assert len(grouped_counts(first_queries.captured_queries)) == 4  # the decades: one more
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url)
    assert grouped_counts(second_queries.captured_queries) == []
    assert len(second_queries) <= len(first_queries) - 5
    assert option_labels(second, "country")["KZ"].endswith("(1)")

    # A new public organization changes the counts on the very next render.
    OrganizationFactory(country="KZ", focus_areas=[area])
    third = client.get(url)
    assert option_labels(third, "country")["KZ"].endswith("(2)")
    assert option_labels(third, "focus_area")[area.slug].endswith("(2)")

    # So does one leaving the directory.
    Organization.objects.get(country="UZ").delete()
    assert option_labels(client.get(url), "country")["UZ"].endswith("(0)")


def test_counts_of_network_only_profiles_are_not_shared_with_visitors(client):
    OrganizationFactory(country="KG")
    hidden = OrganizationFactory(country="KG", visibility=Organization.Visibility.NETWORK)
    url = reverse("organizations:list")
    assert option_labels(client.get(url), "country")["KG"].endswith("(1)")

    member = MembershipFactory(organization=hidden).user
    client.force_login(member)
    assert option_labels(client.get(url), "country")["KG"].endswith("(2)")
    # A network-only profile's edit touches no public page, and members count afresh.
    OrganizationFactory(country="KG", visibility=Organization.Visibility.NETWORK)
    assert option_labels(client.get(url), "country")["KG"].endswith("(3)")

    client.logout()
    assert option_labels(client.get(url), "country")["KG"].endswith("(1)")


def test_the_network_and_country_figures_follow_an_approval(client):
    OrganizationFactory(country="TJ", city="Dushanbe")
    waiting = OrganizationFactory(
        country="TJ", city="Khujand", status=Organization.Status.SUBMITTED, approved_at=None
    )
    network, country = (
        reverse("organizations:network"),
        reverse("organizations:country", args=["tj"]),
    )
    assert client.get(network).context["total"] == 1
    assert client.get(country).context["figures"] == {"total": 1, "cities": 1}
    assert client.get(reverse("home")).context["organization_count"] == 1

    waiting.status = Organization.Status.APPROVED
    waiting.save()

    assert client.get(network).context["total"] == 2
    assert client.get(country).context["figures"] == {"total": 2, "cities": 2}
    assert client.get(reverse("home")).context["organization_count"] == 2


def test_the_counts_are_counted_on_every_render_while_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    OrganizationFactory(country="TM")
    url = reverse("organizations:list")
    assert option_labels(client.get(url), "country")["TM"].endswith("(1)")
    OrganizationFactory(country="TM")
    assert option_labels(client.get(url), "country")["TM"].endswith("(2)")


def session_queries(queries):
    return [q["sql"] for q in queries if 'FROM "events_session"' in q["sql"]]


@pytest.mark.parametrize(
    "page",
    ["events:agenda", "events:calendar", "events:schedule-xml", "events:schedule-json"],
)
def test_an_events_sessions_are_built_once_per_change_for_visitors(client, steady_generation, page):
    from tests.factories import EventFactory, SessionFactory

    forum, other = EventFactory(), EventFactory()
    session = SessionFactory(event=forum, title_en="Opening plenary")
    SessionFactory(event=other, title_en="Youth panel")
    url = reverse(page, args=[forum.slug])

    with CaptureQueriesContext(connection) as first:
        assert "Opening plenary" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert "Opening plenary" in client.get(url).content.decode()
    assert session_queries(first.captured_queries)
    assert session_queries(second.captured_queries) == []

    # A change to another event keeps them; a change to this one shows on the next request.
    other.sessions.get().save()
    with CaptureQueriesContext(connection) as third:
        client.get(url)
    assert session_queries(third.captured_queries) == []
    session.title_en = "Opening plenary, moved to the morning"
    session.save()
    assert "moved to the morning" in client.get(url).content.decode()
    # Each language has its own.
    session.title_ru = "Пленарное открытие"
    session.save()
    client.get(url)
    russian = client.get(url, headers={"accept-language": "ru"}).content.decode()
    assert "Пленарное открытие" in russian


def test_a_signed_in_persons_agenda_is_their_own(client, steady_generation):
    from events.models import SessionStar
    from tests.factories import EventFactory, SessionFactory, UserFactory

    forum = EventFactory()
    session = SessionFactory(event=forum, title_en="Opening plenary")
    url = reverse("events:agenda", args=[forum.slug])
    client.get(url)  # a visitor's, kept
    user = UserFactory()
    SessionStar.objects.create(user=user, session=session)
    client.force_login(user)

    content = client.get(url).content.decode()

    assert 'aria-pressed="true"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def organization_row_queries(queries):
    return [
        q["sql"]
        for q in queries
        if 'FROM "organizations_organization"' in q["sql"]
        and "COUNT(" not in q["sql"]
        and "MAX(" not in q["sql"]
    ]


def test_a_filtered_export_is_built_once_per_change_to_its_country(client, steady_generation):
    kazakh = OrganizationFactory(country="KZ", description="Clean air in Almaty.")
    uzbek = OrganizationFactory(country="UZ", description="Water in Karakalpakstan.")
    url = reverse("organizations:open-data-csv") + "?country=KZ"

    def get():
        response = client.get(url)
        return b"".join(response.streaming_content).decode()

    assert "Clean air in Almaty." in get()
    with CaptureQueriesContext(connection) as again:
        assert "Clean air in Almaty." in get()
    assert organization_row_queries(again.captured_queries) == []

    # Another country's texts change: still kept. This country's: built again, at once.
    uzbek.description = "Water and irrigation in Karakalpakstan."
    uzbek.save()
    with CaptureQueriesContext(connection) as after_other:
        get()
    assert organization_row_queries(after_other.captured_queries) == []
    kazakh.description = "Clean air and green spaces in Almaty."
    kazakh.save()
    assert "Clean air and green spaces in Almaty." in get()


def test_the_directorys_filters_are_rendered_once_per_change_and_show_errors(
    client, steady_generation
):
    OrganizationFactory(country="KZ")
    url = reverse("organizations:list")
    assert "Kazakhstan (1)" in client.get(url).content.decode()
    assert "Kazakhstan (1)" in client.get(url).content.decode()  # the kept rendering

    OrganizationFactory(country="KZ")
    assert "Kazakhstan (2)" in client.get(url).content.decode()

    # A filter with a wrong value says so, with what was sent, every time (never kept).
    for _attempt in range(2):
        content = client.get(url + "?founded=someday").content.decode()
        assert "is-invalid" in content
        assert "Kazakhstan (2)" in content
