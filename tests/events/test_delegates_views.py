"""/my/ delegates: object permissions over every URL, refusals in words, bad input, query counts."""

import datetime
import html

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import Delegate, SessionBooking
from tests.events.conftest import delegate_values
from tests.factories import (
    CountryQuotaFactory,
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Delegate.Status

# Every delegate URL under /my/: (name, method, what its arguments name).
DELEGATE_URLS = [
    ("events:my-delegates", "get", None),
    ("events:my-event-delegates", "get", "event"),
    ("events:my-delegate-add", "get", "event"),
    ("events:my-delegate-add", "post", "event"),
    ("events:my-delegate-edit", "get", "delegate"),
    ("events:my-delegate-edit", "post", "delegate"),
    ("events:my-delegate-cancel", "get", "delegate"),
    ("events:my-delegate-cancel", "post", "delegate"),
    ("events:my-delegate-sessions", "get", "delegate"),
    ("events:my-delegate-sessions", "post", "delegate"),
]


def _names_under_my(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names_under_my(pattern, route, inner)
        elif isinstance(pattern, URLPattern) and route.startswith("my/") and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _url(name, target, event=None, delegate=None):
    if target == "event":
        return reverse(name, kwargs={"slug": event.slug})
    if target == "delegate":
        return reverse(name, kwargs={"pk": delegate.pk})
    return reverse(name)


@pytest.fixture
def organization_b(open_forum):
    organization = OrganizationFactory(name="Beta Confidential", country="UZ")
    MembershipFactory(organization=organization, user__email="owner-b@example.org")
    workshop = SessionFactory(event=open_forum, capacity=10, title_en="Beta workshop")
    delegate = DelegateFactory(
        event=open_forum,
        organization=organization,
        full_name="Secret Delegate",
        email="secret@example.org",
    )
    SessionBookingFactory(session=workshop, delegate=delegate)
    return organization, delegate, workshop


def _fingerprint(organization):
    return sorted(
        Delegate.objects.filter(organization=organization).values_list(
            "full_name", "email", "status"
        )
    ) + sorted(
        SessionBooking.objects.filter(delegate__organization=organization).values_list(
            "session_id", "status"
        )
    )


def test_the_permission_tests_cover_every_delegate_url_under_my():
    # My agenda (a person's own stars and calendar) holds no organization's data.
    assert {
        name
        for name in _names_under_my()
        if name.startswith("events:") and not name.startswith("events:my-agenda")
    } == {name for name, _method, _target in DELEGATE_URLS}


@pytest.mark.parametrize(("name", "method", "target"), DELEGATE_URLS)
def test_member_of_a_gets_404_on_delegates_of_b(
    client, member, open_forum, organization_b, name, method, target
):
    organization, delegate, workshop = organization_b
    before = _fingerprint(organization)
    client.force_login(member)
    data = {
        **delegate_values(full_name="Hijacked", email="hijack@example.org"),
        "session": workshop.pk,
        "action": "unbook",
    }

    response = getattr(client, method)(_url(name, target, open_forum, delegate), data)

    if target == "delegate":
        assert response.status_code == 404
    else:
        # Pages about the member's own organization: nothing of B shows, nothing of B changes.
        assert response.status_code in (200, 302)
        content = response.content.decode()
        assert "Secret Delegate" not in content and "secret@example.org" not in content
    assert _fingerprint(organization) == before


@pytest.mark.parametrize(("name", "method", "target"), DELEGATE_URLS)
def test_account_without_organization_gets_404(
    client, open_forum, organization_b, name, method, target
):
    _, delegate, _workshop = organization_b
    client.force_login(UserFactory())

    response = getattr(client, method)(_url(name, target, open_forum, delegate))

    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "target"), DELEGATE_URLS)
def test_anonymous_visitor_is_sent_to_log_in(
    client, open_forum, organization_b, name, method, target
):
    _, delegate, _workshop = organization_b

    response = getattr(client, method)(_url(name, target, open_forum, delegate))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/my/")


def test_a_draft_event_is_404_for_members(client, member):
    draft = EventFactory(status="draft", registration_opens_at=timezone.now())
    client.force_login(member)

    assert client.get(reverse("events:my-delegate-add", args=[draft.slug])).status_code == 404


# --- Registering -------------------------------------------------------------------------------


def test_member_registers_a_delegate_and_sees_it_confirmed(
    client, member, open_forum, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:my-delegate-add", args=[open_forum.slug]),
            delegate_values(language_needs="Russian interpretation"),
            follow=True,
        )

    delegate = Delegate.objects.get()
    assert response.redirect_chain[-1][0] == f"/my/events/{open_forum.slug}/delegates/"
    assert (delegate.full_name, delegate.status, delegate.organization.name) == (
        "Dana Nurlanovna",
        Status.CONFIRMED,
        "Alpha Steppe",
    )
    assert delegate.language_needs == "Russian interpretation"
    content = response.content.decode()
    assert "Dana Nurlanovna is registered and confirmed." in content
    assert "99 of 100" in content
    assert len(mailoutbox) == 1


def test_beyond_a_limit_the_member_is_told_the_place_on_the_waiting_list(
    client, member, open_forum
):
    open_forum.capacity = 1
    open_forum.save()
    DelegateFactory(event=open_forum)
    DelegateFactory(event=open_forum, status=Status.WAITLISTED)
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-add", args=[open_forum.slug]), delegate_values(), follow=True
    )

    content = html.unescape(response.content.decode())
    assert (
        "Dana Nurlanovna is on the waiting list, number 2: The event's only seat is taken."
        in content
    )
    assert "Waiting list, number 2" in content


def test_register_and_add_another_comes_back_to_an_empty_form(client, member, open_forum):
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-add", args=[open_forum.slug]),
        {**delegate_values(), "add_another": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("events:my-delegate-add", args=[open_forum.slug])


@pytest.mark.parametrize("status", ["submitted", "changes_requested", "suspended", "unverified"])
def test_member_of_an_unapproved_organization_cannot_register(client, open_forum, status):
    membership = MembershipFactory(organization__status=status, organization__name="Waiting Org")
    client.force_login(membership.user)
    url = reverse("events:my-delegate-add", args=[open_forum.slug])

    page = client.get(url).content.decode()
    response = client.post(url, delegate_values())

    assert "Only approved organizations of the network can register delegates" in page
    assert 'name="full_name"' not in page
    assert response.status_code == 200
    assert "Only approved organizations" in response.content.decode()
    assert not Delegate.objects.exists()
    event_page = client.get(open_forum.get_absolute_url()).content.decode()
    assert "can register delegates once the organizers have approved it" in event_page
    assert "Register delegates" not in event_page


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (1, 9, "Registration of delegates opens on"),
        (-9, -1, "Registration of delegates closed on"),
    ],
)
def test_registration_outside_the_window_is_refused_clearly(client, member, opens, closes, message):
    now = timezone.now()
    event = EventFactory(
        registration_opens_at=now + datetime.timedelta(days=opens),
        registration_closes_at=now + datetime.timedelta(days=closes),
    )
    client.force_login(member)
    url = reverse("events:my-delegate-add", args=[event.slug])

    page = client.get(url).content.decode()
    response = client.post(url, delegate_values())

    assert message in page and 'name="full_name"' not in page
    assert message in response.content.decode()
    assert not Delegate.objects.exists()
    assert (
        message
        in client.get(reverse("events:my-event-delegates", args=[event.slug])).content.decode()
    )


def test_window_closing_while_the_form_is_open_keeps_what_was_typed(client, member, open_forum):
    client.force_login(member)
    url = reverse("events:my-delegate-add", args=[open_forum.slug])
    client.get(url)
    open_forum.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_forum.save()

    response = client.post(url, delegate_values())

    assert "Registration of delegates closed on" in response.content.decode()
    assert not Delegate.objects.exists()


LONG = "N" * 10_000
SCRIPT = '<script>alert("x")</script>'
BAD_VALUES = [
    ("full_name", "", "This field is required."),
    ("full_name", "   ", "This field is required."),
    ("full_name", LONG, "at most 150 characters"),
    ("full_name", SCRIPT, "HTML tags are not allowed"),
    ("email", "", "This field is required."),
    ("email", "not-an-email", "Enter a valid email address."),
    ("email", "a@b", "Enter a valid email address."),
    ("email", "x" * 140 + "@example.org", "at most 150 characters"),
    ("email", "taken@example.org", "already registered for this event"),
    ("position", "", "This field is required."),
    ("position", LONG, "at most 150 characters"),
    ("position", SCRIPT, "HTML tags are not allowed"),
    ("gender", "robot", "Select a valid choice."),
    ("age_band", "17", "Select a valid choice."),
    ("age_band", "25–34", "Select a valid choice."),
    ("language_needs", LONG, "at most 300 characters"),
    ("language_needs", SCRIPT, "HTML tags are not allowed"),
    ("accessibility_needs", "A" * 1001, "at most 1000 characters"),
    ("accessibility_needs", SCRIPT, "HTML tags are not allowed"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
@pytest.mark.parametrize("page", ["add", "edit"])
def test_bad_value_gets_a_field_error_and_keeps_everything_else(
    client, member, open_forum, field, value, message, page
):
    organization = member.memberships.get().organization
    DelegateFactory(event=open_forum, email="taken@example.org")
    existing = DelegateFactory(event=open_forum, organization=organization, email="old@example.org")
    client.force_login(member)
    data = delegate_values(
        full_name="Dana Nurlanovna", position="Programme officer", language_needs="Kazakh"
    )
    data[field] = value
    url = (
        reverse("events:my-delegate-add", args=[open_forum.slug])
        if page == "add"
        else reverse("events:my-delegate-edit", args=[existing.pk])
    )
    before = sorted(Delegate.objects.values_list("pk", "full_name", "email", "position"))

    response = client.post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    content = response.content.decode()
    assert f'id="error_1_id_{field}"' in content
    kept = {
        "full_name": 'value="Dana Nurlanovna"',
        "email": 'value="dana@example.org"',
        "position": 'value="Programme officer"',
        "language_needs": 'value="Kazakh"',
    }
    for other, snippet in kept.items():
        if other != field:
            assert snippet in content, other
    if field != "gender":
        assert 'value="female" id="id_gender_1" checked' in " ".join(content.split())
    assert sorted(Delegate.objects.values_list("pk", "full_name", "email", "position")) == before


def test_typed_markup_comes_back_escaped(client, member, open_forum):
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-add", args=[open_forum.slug]),
        delegate_values(full_name=SCRIPT),
    )

    content = response.content.decode()
    assert SCRIPT not in content
    assert "&lt;script&gt;" in content


def test_an_empty_post_shows_errors_not_a_blank_form(client, member, open_forum):
    client.force_login(member)

    response = client.post(reverse("events:my-delegate-add", args=[open_forum.slug]), {})

    assert set(response.context["form"].errors) == {"full_name", "email", "position"}


# --- Changing and cancelling -------------------------------------------------------------------


def test_member_changes_a_delegates_details(client, member, open_forum):
    delegate = DelegateFactory(event=open_forum, organization=member.memberships.get().organization)
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-edit", args=[delegate.pk]),
        delegate_values(full_name="Dana N.", email="DANA@example.org", gender="", age_band="65+"),
    )

    assert response.status_code == 302
    delegate.refresh_from_db()
    assert (delegate.full_name, delegate.email, delegate.gender, delegate.age_band) == (
        "Dana N.",
        "dana@example.org",
        "",
        "65+",
    )
    assert delegate.status == Status.CONFIRMED


def test_cancel_asks_first_then_gives_the_seat_to_the_waiting_list(
    client, member, open_forum, mailoutbox, django_capture_on_commit_callbacks
):
    organization = member.memberships.get().organization
    open_forum.capacity = 1
    open_forum.save()
    seated = DelegateFactory(event=open_forum, organization=organization, full_name="Seated")
    waiting = DelegateFactory(
        event=open_forum, organization=organization, full_name="Waiting", status="waitlisted"
    )
    client.force_login(member)
    url = reverse("events:my-delegate-cancel", args=[seated.pk])

    page = client.get(url).content.decode()
    assert "Cancel the registration of Seated?" in page
    assert Delegate.objects.get(pk=seated.pk).status == Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status, waiting.status) == (Status.CANCELLED, Status.CONFIRMED)
    content = response.content.decode()
    assert "The registration of Seated is cancelled." in content
    assert "Their seat went to Waiting, from your waiting list." in content
    assert [m.subject for m in mailoutbox] == [
        "Your registration for Sixth Forum is cancelled",
        "A seat at Sixth Forum is yours",
    ]


def test_two_cancels_at_the_same_moment_the_second_is_a_no_op_with_a_message(
    client, member, open_forum, monkeypatch
):
    """Two tabs (or two colleagues) send "cancel" together: both requests load the delegate
    while still confirmed, one cancels first. The other must not fail (it once answered 500)."""
    from events.views import delegates as views

    organization = member.memberships.get().organization
    delegate = DelegateFactory(event=open_forum, organization=organization, full_name="Twice")
    stale = Delegate.objects.get(pk=delegate.pk)  # loaded before the other request cancelled
    real_cancel = views.services.delegate_cancel

    def cancelled_meanwhile(request, pk):
        real_cancel(delegate=Delegate.objects.get(pk=pk), by=member)
        return stale

    monkeypatch.setattr(views, "_delegate", cancelled_meanwhile)
    client.force_login(member)

    response = client.post(reverse("events:my-delegate-cancel", args=[delegate.pk]), follow=True)

    assert response.status_code == 200
    assert "The registration of Twice was already cancelled: nothing more to do." in (
        response.content.decode()
    )
    assert Delegate.objects.get(pk=delegate.pk).status == Status.CANCELLED


def test_cancelling_an_already_cancelled_delegate_says_so(client, member, open_forum):
    organization = member.memberships.get().organization
    delegate = DelegateFactory(event=open_forum, organization=organization, full_name="Gone")
    client.force_login(member)
    url = reverse("events:my-delegate-cancel", args=[delegate.pk])
    client.post(url)

    again = client.post(url, follow=True)

    assert again.status_code == 200
    assert "The registration of Gone was already cancelled" in again.content.decode()


def test_a_cancelled_delegate_cannot_be_changed(client, member, open_forum):
    delegate = DelegateFactory(
        event=open_forum, organization=member.memberships.get().organization, status="cancelled"
    )
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-edit", args=[delegate.pk]), delegate_values()
    )

    assert "registration is cancelled: it can no longer be changed" in response.content.decode()
    delegate.refresh_from_db()
    assert delegate.full_name != "Dana Nurlanovna"


def test_delegates_of_a_past_event_can_no_longer_be_changed_or_cancelled(client, member):
    today = timezone.localdate()
    past = EventFactory(
        start_date=today - datetime.timedelta(days=5), end_date=today - datetime.timedelta(days=3)
    )
    delegate = DelegateFactory(event=past, organization=member.memberships.get().organization)
    client.force_login(member)

    client.post(reverse("events:my-delegate-cancel", args=[delegate.pk]))
    edit = client.post(reverse("events:my-delegate-edit", args=[delegate.pk]), delegate_values())

    delegate.refresh_from_db()
    assert delegate.status == Status.CONFIRMED
    assert "This event has taken place" in edit.content.decode()


# --- Sessions ----------------------------------------------------------------------------------


def test_member_books_and_gives_up_a_workshop_seat(client, member, open_forum):
    delegate = DelegateFactory(event=open_forum, organization=member.memberships.get().organization)
    workshop = SessionFactory(event=open_forum, capacity=1, title_en="Data workshop")
    SessionFactory(event=open_forum, capacity=None, title_en="Open plenary")
    client.force_login(member)
    url = reverse("events:my-delegate-sessions", args=[delegate.pk])

    page = client.get(url).content.decode()
    assert "Data workshop" in page and "Open plenary" not in page
    assert "1 of 1 seats left" in page

    booked = client.post(url, {"session": workshop.pk, "action": "book"}, follow=True)
    assert "A seat in “Data workshop” is booked for" in booked.content.decode()
    assert "0 of 1 seats left" in booked.content.decode()
    assert workshop.bookings.get().status == "confirmed"

    client.post(url, {"session": workshop.pk, "action": "unbook"})
    assert not workshop.bookings.exists()


@pytest.mark.parametrize(
    "data", [{}, {"session": "abc", "action": "book"}, {"session": "999999", "action": "book"}]
)
def test_a_bad_session_choice_is_a_message_not_an_error(client, member, open_forum, data):
    delegate = DelegateFactory(event=open_forum, organization=member.memberships.get().organization)
    client.force_login(member)

    response = client.post(
        reverse("events:my-delegate-sessions", args=[delegate.pk]), data, follow=True
    )

    assert response.status_code == 200
    assert "Choose one of the sessions listed." in response.content.decode()


# --- Lists and links ---------------------------------------------------------------------------


def _delegates(event, organization, count):
    other_event = EventFactory(registration_opens_at=timezone.now())
    for _number in range(count):
        DelegateFactory(event=event, organization=organization)
        waiting = DelegateFactory(event=event, organization=organization, status="waitlisted")
        SessionBookingFactory(delegate=waiting, session__event=event, session__capacity=5)
        DelegateFactory(event=other_event, organization=organization, status="cancelled")


@pytest.mark.parametrize("name", ["events:my-delegates", "events:my-event-delegates"])
def test_delegate_lists_run_a_fixed_number_of_queries(
    client, member, open_forum, django_assert_num_queries, name
):
    organization = member.memberships.get().organization
    client.force_login(member)
    per_event = name == "events:my-event-delegates"
    url = _url(name, "event" if per_event else None, open_forum)
    CountryQuotaFactory(event=open_forum, country="KZ", quota=50)
    _delegates(open_forum, organization, 1)
    client.get(url)  # warm the session

    # The session is read from the cache (cached_db), not the database.
    with django_assert_num_queries(8 if per_event else 4) as one:
        client.get(url)
    _delegates(open_forum, organization, 6)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200


def test_my_delegates_lists_events_and_each_events_delegates(client, member, open_forum):
    organization = member.memberships.get().organization
    DelegateFactory(event=open_forum, organization=organization, full_name="Dana")
    DelegateFactory(
        event=open_forum, organization=organization, full_name="Erlan", status="waitlisted"
    )
    client.force_login(member)

    content = " ".join(client.get(reverse("events:my-delegates")).content.decode().split())

    assert 'Register delegates <span class="visually-hidden">for Sixth Forum</span>' in content
    assert "Dana" in content and "Waiting list, number 1" in content


def test_event_page_offers_approved_members_to_register_delegates(client, member, open_forum):
    client.force_login(member)

    content = client.get(open_forum.get_absolute_url()).content.decode()

    assert reverse("events:my-delegate-add", args=[open_forum.slug]) in content
    assert "Register delegates" in content


def test_dashboard_links_to_the_delegates(client, member):
    client.force_login(member)

    content = client.get(reverse("organizations:my")).content.decode()

    assert reverse("events:my-delegates") in content
