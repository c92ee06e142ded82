"""The pages: verification, check-in, /my/ travel and stay, letters and certificates."""

import json

import pytest
from django.urls import reverse

from events.models import Delegate
from logistics import services
from logistics.models import CheckIn, EventLogistics, TravelStay
from tests.factories import DelegateFactory, MembershipFactory, SessionFactory, UserFactory

from .conftest import KAZAKH_NAME, PASSPORT_NUMBER, add_passport, pdf_text

pytestmark = pytest.mark.django_db


def _badge(delegate):
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    return badge


# --- Verification ------------------------------------------------------------------------------


def test_a_valid_letter_verifies_with_the_event_and_initials_only(client, delegate, organizer):
    add_passport(delegate)
    letter = services.letter_issue(delegate=delegate, by=organizer)

    response = client.get(f"/verify/{letter.reference}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-result="valid"' in page
    assert letter.reference in page
    assert "Sixth EU–Central Asia Forum" in page
    assert "Ә. Қ. Н." in page
    assert KAZAKH_NAME not in page and "Қасымқызы" not in page
    assert PASSPORT_NUMBER not in page


def test_a_withdrawn_letter_verifies_as_withdrawn(client, delegate, organizer):
    add_passport(delegate)
    letter = services.letter_issue(delegate=delegate, by=organizer)
    services.letter_withdraw(letter=letter)

    response = client.get(f"/verify/{letter.reference.lower()}/")

    assert response.status_code == 200
    assert 'data-result="withdrawn"' in response.content.decode()


def test_a_made_up_reference_is_not_found(client):
    response = client.get("/verify/L-AAAA-BBBB-CCCC/")

    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-result="not-found"' in page
    assert "L-AAAA-BBBB-CCCC" in page


def test_a_certificate_verifies(client, delegate, door_staff):
    services.check_in(badge=_badge(delegate), by=door_staff)
    (certificate,) = services.certificates_issue(delegate.event)

    response = client.get(certificate.get_verify_url())

    assert response.status_code == 200
    assert "Certificate of attendance" in response.content.decode()


# --- Check-in ----------------------------------------------------------------------------------


def test_check_in_needs_the_permission(client, forum_today):
    url = reverse("logistics:check-in", args=[forum_today.slug])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("logistics:check-in-post", args=[forum_today.slug])).status_code == 403
    )


def test_check_in_by_code_then_a_second_scan_says_when_and_by_whom(
    client, delegate, door_staff, django_assert_max_num_queries
):
    badge = _badge(delegate)
    client.force_login(door_staff)
    page = reverse("logistics:check-in", args=[delegate.event.slug])

    with django_assert_max_num_queries(12):
        found = client.get(page, {"q": badge.code})
    assert found.status_code == 200
    text = found.content.decode()
    assert KAZAKH_NAME in text and "Жасыл Қала" in text and "Kazakhstan" in text
    assert "camera=(self)" in found["Permissions-Policy"]
    assert PASSPORT_NUMBER not in text

    done = client.post(
        reverse("logistics:check-in-post", args=[delegate.event.slug]),
        {"code": badge.code},
        follow=True,
    )
    assert "is checked in" in done.content.decode()
    assert CheckIn.objects.filter(badge=badge).count() == 1

    again = client.post(
        reverse("logistics:check-in-post", args=[delegate.event.slug]),
        {"code": badge.code},
        follow=True,
    )
    text = again.content.decode()
    assert "was already checked in at" in text and "Daniyar Door" in text
    assert CheckIn.objects.filter(badge=badge).count() == 1


def test_a_name_finds_the_badge(client, delegate, door_staff):
    _badge(delegate)
    client.force_login(door_staff)
    response = client.get(
        reverse("logistics:check-in", args=[delegate.event.slug]), {"q": "қасымқызы"}
    )
    assert KAZAKH_NAME in response.content.decode()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Delegate.Status.CANCELLED, "registration is cancelled"),
        (Delegate.Status.WAITLISTED, "On the waiting list"),
    ],
)
def test_cancelled_and_waiting_delegates_are_refused(client, delegate, door_staff, status, reason):
    badge = _badge(delegate)
    Delegate.objects.filter(pk=delegate.pk).update(status=status)
    client.force_login(door_staff)

    response = client.post(
        reverse("logistics:check-in-post", args=[delegate.event.slug]),
        {"code": badge.code},
        follow=True,
    )

    assert reason in response.content.decode()
    assert not CheckIn.objects.exists()


def test_an_unknown_code_and_empty_input_never_fail(client, forum_today, door_staff):
    client.force_login(door_staff)
    url = reverse("logistics:check-in-post", args=[forum_today.slug])
    assert (
        "No badge of this event" in client.post(url, {"code": "nope"}, follow=True).content.decode()
    )
    assert "Scan a badge" in client.post(url, {}, follow=True).content.decode()
    page = client.get(reverse("logistics:check-in", args=[forum_today.slug]), {"q": "x" * 500})
    assert page.status_code == 200


def test_the_live_count_per_day(client, forum_today, door_staff):
    delegates = DelegateFactory.create_batch(3, event=forum_today)
    for delegate in delegates[:2]:
        services.check_in(badge=_badge(delegate), by=door_staff)
    client.force_login(door_staff)

    data = json.loads(
        client.get(reverse("logistics:check-in-counts", args=[forum_today.slug])).content
    )

    assert data["today"] == 2
    assert [day["count"] for day in data["days"]] == [0, 2, 0]


def test_attendance_at_a_session_where_organizers_turned_it_on(client, delegate, door_staff):
    session = SessionFactory(event=delegate.event, title_en="Workshop on water")
    EventLogistics.objects.create(event=delegate.event).attendance_sessions.add(session)
    badge = _badge(delegate)
    services.check_in(badge=badge, by=door_staff)
    client.force_login(door_staff)

    response = client.post(
        reverse("logistics:check-in-post", args=[delegate.event.slug]),
        {"code": badge.code, "session": session.pk},
        follow=True,
    )

    assert "checked in at Workshop on water" in response.content.decode()
    assert CheckIn.objects.filter(badge=badge).count() == 2
    assert CheckIn.objects.filter(badge=badge, session=session).count() == 1


def test_the_events_page_lists_or_forwards(client, forum_today, door_staff):
    client.force_login(door_staff)
    response = client.get(reverse("logistics:check-in-events"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/check-in/{forum_today.slug}/")


# --- /my/ --------------------------------------------------------------------------------------


def _travel_data(**overrides):
    data = {
        "arrival_date": "",
        "arrival_time": "",
        "arrival_transport": "plane",
        "arrival_details": "KC 921 from Tashkent",
        "departure_date": "",
        "departure_time": "",
        "departure_transport": "",
        "departure_details": "",
        "visa_needed": "on",
        "passport_name": "Aliya Kassymkyzy",
        "nationality": "KZ",
        "passport_number": "n 1234 5678",
        "passport_expiry": "2035-01-01",
        "date_of_birth": "1994-05-17",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_organization_enters_travel_and_passport_data_with_consent(client, delegate, member):
    client.force_login(member)
    url = reverse("logistics:my-travel", args=[delegate.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _travel_data())

    assert response.status_code == 302
    travel = TravelStay.objects.get(delegate=delegate)
    assert travel.passport_number == "N12345678"
    assert travel.consent_confirmed_by == member
    assert travel.consent_version
    listing = client.get(reverse("logistics:my-event", args=[delegate.event.slug]))
    assert KAZAKH_NAME in listing.content.decode()


def test_passport_data_without_consent_is_refused_next_to_the_field(client, delegate, member):
    client.force_login(member)
    response = client.post(
        reverse("logistics:my-travel", args=[delegate.pk]),
        _travel_data(consent=None, passport_expiry="2000-01-01", passport_number="!!"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm the delegate" in page
    assert "expires before the event ends" in page
    assert "Letters and digits only" in page
    assert "Aliya Kassymkyzy" in page  # what they typed is kept
    assert not TravelStay.objects.exists()


def test_another_organizations_delegate_letter_and_certificate_are_404(
    client, delegate, organizer, door_staff
):
    add_passport(delegate)
    letter = services.letter_issue(delegate=delegate, by=organizer)
    services.check_in(badge=_badge(delegate), by=door_staff)
    (certificate,) = services.certificates_issue(delegate.event)
    other = MembershipFactory(organization__country="KG").user
    client.force_login(other)

    assert client.get(reverse("logistics:my-travel", args=[delegate.pk])).status_code == 404
    assert client.get(reverse("logistics:my-letter", args=[letter.reference])).status_code == 404
    assert (
        client.get(reverse("logistics:my-certificate", args=[certificate.reference])).status_code
        == 404
    )


def test_the_organization_downloads_its_letter_and_certificate(
    client, delegate, member, organizer, door_staff, django_assert_max_num_queries
):
    add_passport(delegate)
    letter = services.letter_issue(delegate=delegate, by=organizer)
    services.check_in(badge=_badge(delegate), by=door_staff)
    (certificate,) = services.certificates_issue(delegate.event)
    client.force_login(member)

    with django_assert_max_num_queries(10):
        listing = client.get(reverse("logistics:my-event", args=[delegate.event.slug]))
    assert letter.reference in listing.content.decode()

    response = client.get(reverse("logistics:my-letter", args=[letter.reference]))
    assert response["Content-Type"] == "application/pdf"
    assert PASSPORT_NUMBER in pdf_text(response.content)
    response = client.get(reverse("logistics:my-certificate", args=[certificate.reference]))
    assert KAZAKH_NAME in pdf_text(response.content)
    services.letter_withdraw(letter=letter)
    assert client.get(reverse("logistics:my-letter", args=[letter.reference])).status_code == 404


def test_the_listing_stays_at_a_fixed_number_of_queries(
    client, forum_today, member, django_assert_max_num_queries
):
    organization = member.memberships.get().organization
    for delegate in DelegateFactory.create_batch(8, event=forum_today, organization=organization):
        add_passport(delegate)
    client.force_login(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("logistics:my-event", args=[forum_today.slug]))
    assert response.status_code == 200
    assert response.content.decode().count('data-delegate="') == 8
