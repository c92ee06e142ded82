"""Failed sign-ins lock an account and an address (django-axes), on the site and in the admin;
the address is the one our own proxies saw, whatever a client writes in X-Forwarded-For."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.utils import timezone

from portal.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def person(db):
    return UserFactory(username="aigerim@example.org", email="aigerim@example.org")


def _try(client, url, username, password="wrong", address="203.0.113.1", **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def test_the_third_wrong_password_locks_and_then_the_right_one_is_refused(client, person):
    for _ in range(2):
        response = _try(client, LOGIN, "aigerim@example.org")
        assert response.status_code == 200
        assert "Please enter a correct email address and password" in response.content.decode()

    locked = _try(client, LOGIN, "aigerim@example.org")
    right = _try(client, LOGIN, "aigerim@example.org", PASSWORD)

    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Signing in is locked for a while" in content
    assert "locked for 15 minutes after the last failed attempt" in content
    assert 'href="/accounts/password_reset/"' in content
    assert locked["Retry-After"] == "900"
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_account_guessed_from_many_addresses_is_locked(client, person):
    for number in range(3):
        _try(client, LOGIN, "AIGERIM@example.org", address=f"198.51.100.{number + 1}")

    # A fourth address, the right password: the account itself is locked.
    response = _try(client, LOGIN, "aigerim@example.org", PASSWORD, address="198.51.100.99")

    assert response.status_code == 429


def test_one_address_guessing_many_accounts_is_locked(client, person):
    for number in range(3):
        _try(client, LOGIN, f"someone-{number}@example.org", address="198.51.100.7")

    from_there = _try(client, LOGIN, "aigerim@example.org", PASSWORD, address="198.51.100.7")
    elsewhere = _try(client, LOGIN, "aigerim@example.org", PASSWORD, address="198.51.100.8")

    assert from_there.status_code == 429
    assert elsewhere.status_code == 302


def test_the_admin_login_is_locked_the_same_way(client):
    UserFactory(username="organizer", is_staff=True, is_superuser=True)
    for _ in range(3):
        _try(client, ADMIN_LOGIN, "organizer")

    response = _try(client, ADMIN_LOGIN, "organizer", PASSWORD)

    assert response.status_code == 429
    assert "Signing in is locked for a while" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_site_and_in_the_admin_add_up(client, person):
    _try(client, LOGIN, "aigerim@example.org")
    _try(client, ADMIN_LOGIN, "aigerim@example.org")
    _try(client, LOGIN, "aigerim@example.org")

    assert _try(client, ADMIN_LOGIN, "aigerim@example.org", PASSWORD).status_code == 429


def test_the_lock_ends_by_itself_after_the_cool_off(client, person):
    for _ in range(3):
        _try(client, LOGIN, "aigerim@example.org")
    assert _try(client, LOGIN, "aigerim@example.org", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert _try(client, LOGIN, "aigerim@example.org", PASSWORD).status_code == 302


def test_an_organizer_unlocks_an_account_in_the_admin(client, admin_client, person):
    for _ in range(3):
        _try(client, LOGIN, "aigerim@example.org")
    attempts = admin_client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "aigerim@example.org" in attempts.content.decode()

    admin_client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert not AccessAttempt.objects.exists()
    assert _try(client, LOGIN, "aigerim@example.org", PASSWORD).status_code == 302


def test_a_success_clears_the_failures_before_it(client, person):
    _try(client, LOGIN, "aigerim@example.org")
    _try(client, LOGIN, "aigerim@example.org")
    assert _try(client, LOGIN, "aigerim@example.org", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    _try(client, LOGIN, "aigerim@example.org")
    _try(client, LOGIN, "aigerim@example.org")

    assert _try(client, LOGIN, "aigerim@example.org", PASSWORD).status_code == 302


def test_a_forged_forwarded_for_does_not_reset_the_count(client, person, settings):
    settings.TRUSTED_PROXY_HOPS = 0  # gunicorn reached directly
    for number in range(3):
        _try(client, LOGIN, f"x{number}@example.org", **{"x-forwarded-for": f"192.0.2.{number}"})

    response = _try(
        client, LOGIN, "aigerim@example.org", PASSWORD, **{"x-forwarded-for": "192.0.2.200"}
    )

    assert response.status_code == 429


def test_behind_one_proxy_only_the_address_it_saw_counts(client, person, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    for number in range(3):
        # The client wrote the first entry; nginx appended the address it saw.
        _try(
            client,
            LOGIN,
            f"x{number}@example.org",
            address="127.0.0.1",
            **{"x-forwarded-for": f"192.0.2.{number}, 198.51.100.50"},
        )

    same_client = _try(
        client,
        LOGIN,
        "aigerim@example.org",
        PASSWORD,
        address="127.0.0.1",
        **{"x-forwarded-for": "192.0.2.77, 198.51.100.50"},
    )
    another_client = _try(
        client,
        LOGIN,
        "aigerim@example.org",
        PASSWORD,
        address="127.0.0.1",
        **{"x-forwarded-for": "198.51.100.51"},
    )

    assert same_client.status_code == 429
    assert another_client.status_code == 302


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "", "198.51.100.1"),
        (0, "198.51.100.1", "192.0.2.9", "198.51.100.1"),  # direct: the header is ignored
        (1, "127.0.0.1", "198.51.100.2", "198.51.100.2"),  # nginx
        (1, "127.0.0.1", "192.0.2.9, 198.51.100.2", "198.51.100.2"),  # forged entry ignored
        (2, "127.0.0.1", "192.0.2.9, 198.51.100.3, 198.51.100.254", "198.51.100.3"),  # LB + nginx
        (2, "127.0.0.1", "198.51.100.3", "198.51.100.3"),  # too few entries: leftmost
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_from_trusted_proxy_hops(settings, hops, remote, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_registration_limit_ignores_a_forged_forwarded_for(client, settings):
    settings.PORTAL_RATE_LIMITS = {"register": (2, 3600)}
    for number in range(2):
        client.post(
            "/organizations/register/", {}, headers={"x-forwarded-for": f"192.0.2.{number}"}
        )

    response = client.post(
        "/organizations/register/", {}, headers={"x-forwarded-for": "192.0.2.99"}
    )

    assert response.status_code == 429
