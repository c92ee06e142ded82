"""Delegates through the services: seats, limits, the waiting list in order, emails, sessions."""

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.emails import delegate_language
from events.models import Delegate, SessionBooking
from organizations.models import Organization
from outbox.models import Mail
from tests.events.conftest import delegate_values
from tests.factories import (
    CountryQuotaFactory,
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

Status = Delegate.Status


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service with its after-commit emails sent, as in production."""

    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


def register(event, organization, name, *, by=None, **overrides):
    email = overrides.pop("email", f"{name.lower().replace(' ', '.')}@example.org")
    return services.delegate_register(
        event=event,
        organization=organization,
        by=by,
        **delegate_values(full_name=name, email=email, **overrides),
    )


def statuses(event):
    return {d.full_name: d.status for d in Delegate.objects.filter(event=event)}


def waiting_names(event):
    return [d.full_name for d in Delegate.objects.filter(event=event).waiting_list()]


# --- Registration and limits -------------------------------------------------------------------


def test_register_confirms_while_seats_are_left_then_waits_in_order(open_forum, member):
    organization = member.memberships.get().organization
    open_forum.capacity = 2
    open_forum.save()

    first = register(open_forum, organization, "First", by=member)
    second = register(open_forum, organization, "Second", by=member)
    third = register(open_forum, organization, "Third", by=member)
    fourth = register(open_forum, organization, "Fourth", by=member)

    assert [first.status, second.status] == [Status.CONFIRMED, Status.CONFIRMED]
    assert [third.status, fourth.status] == [Status.WAITLISTED, Status.WAITLISTED]
    assert third.limit_reached == "capacity"
    assert third.limit_message == "All 2 seats of the event are taken."
    assert waiting_names(open_forum) == ["Third", "Fourth"]
    positions = {
        d.full_name: d.waitlist_position
        for d in Delegate.objects.filter(event=open_forum).with_waitlist_position()
    }
    assert positions == {"First": None, "Second": None, "Third": 1, "Fourth": 2}
    assert first.created_by == member
    assert first.confirmed_at is not None and first.waitlisted_at is None


def test_country_quota_and_organization_maximum_send_to_the_waiting_list(open_forum):
    kz_one = OrganizationFactory(country="KZ", name="KZ One")
    kz_two = OrganizationFactory(country="KZ", name="KZ Two")
    kg = OrganizationFactory(country="KG", name="KG One")
    CountryQuotaFactory(event=open_forum, country="KZ", quota=2)
    open_forum.max_delegates_per_organization = 1
    open_forum.save()

    register(open_forum, kz_one, "Kz One A")
    over_maximum = register(open_forum, kz_one, "Kz One B")
    register(open_forum, kz_two, "Kz Two A")
    over_quota = OrganizationFactory(country="KZ", name="KZ Three")
    over_quota = register(open_forum, over_quota, "Kz Three A")
    other_country = register(open_forum, kg, "Kg A")

    assert over_maximum.status == Status.WAITLISTED
    assert over_maximum.limit_message == "KZ One has reached the maximum of 1 delegate."
    assert over_quota.status == Status.WAITLISTED
    assert over_quota.limit_message == "The quota of 2 delegates from Kazakhstan is reached."
    assert other_country.status == Status.CONFIRMED


def test_the_same_rules_hold_for_twenty_registrations_for_the_last_five_seats(open_forum):
    organization = OrganizationFactory()
    open_forum.capacity = 10
    open_forum.save()
    DelegateFactory.create_batch(5, event=open_forum, organization=organization)

    for number in range(20):
        register(open_forum, organization, f"Person {number}")

    assert Delegate.objects.filter(event=open_forum, status=Status.CONFIRMED).count() == 10
    assert waiting_names(open_forum) == [f"Person {number}" for number in range(5, 20)]


def test_a_duplicate_email_is_a_field_error_whatever_its_case(open_forum, member):
    organization = member.memberships.get().organization
    register(open_forum, organization, "Dana", email="dana@example.org")

    with pytest.raises(ValidationError) as error:
        register(open_forum, organization, "Dana again", email=" DANA@Example.org ")

    assert error.value.message_dict == {
        "email": ["A delegate with this email address is already registered for this event."]
    }
    assert Delegate.objects.count() == 1


def test_a_cancelled_delegate_can_be_registered_again(open_forum, member, run):
    organization = member.memberships.get().organization
    dana = register(open_forum, organization, "Dana", email="dana@example.org")
    run(services.delegate_cancel, delegate=dana)

    again = register(open_forum, organization, "Dana", email="dana@example.org")

    assert again.status == Status.CONFIRMED
    assert Delegate.objects.filter(email="dana@example.org").count() == 2


def test_the_same_email_may_register_for_another_event(open_forum, member):
    organization = member.memberships.get().organization
    other = EventFactory(
        registration_opens_at=open_forum.registration_opens_at,
        registration_closes_at=open_forum.registration_closes_at,
    )
    register(open_forum, organization, "Dana", email="dana@example.org")

    assert register(other, organization, "Dana", email="dana@example.org").status == (
        Status.CONFIRMED
    )


def _event_in_state(state):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return {
        "not_yet": {"registration_opens_at": now + day, "registration_closes_at": now + 9 * day},
        "closed": {"registration_opens_at": now - 9 * day, "registration_closes_at": now - day},
        "no_window": {},
        "draft": {"status": "draft", "registration_opens_at": now - day},
        "cancelled": {"status": "cancelled", "registration_opens_at": now - day},
        "past": {
            "start_date": timezone.localdate() - 10 * day,
            "end_date": timezone.localdate() - 8 * day,
            "registration_opens_at": now - 20 * day,
        },
    }[state]


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("not_yet", "Registration of delegates opens on"),
        ("closed", "Registration of delegates closed on"),
        ("no_window", "Registration of delegates is not open for this event."),
        ("draft", "The event is not published yet"),
        ("cancelled", "The event has been cancelled"),
        ("past", "This event has taken place"),
    ],
)
def test_registration_outside_the_window_is_refused_clearly(state, message):
    event = EventFactory(time_zone="Asia/Almaty", **_event_in_state(state))
    organization = OrganizationFactory()

    with pytest.raises(services.DelegateRefused) as error:
        register(event, organization, "Late")

    assert message in str(error.value)
    if state in ("not_yet", "closed"):
        assert "(UTC+5, Asia/Almaty)" in str(error.value)
    assert not Delegate.objects.exists()


def test_organizers_may_register_outside_the_window_but_not_beyond_the_limits():
    event = EventFactory(capacity=1, **_event_in_state("closed"))
    organization = OrganizationFactory()

    first = services.delegate_register(
        event=event, organization=organization, by=None, check_window=False, **delegate_values()
    )
    second = services.delegate_register(
        event=event,
        organization=organization,
        by=None,
        check_window=False,
        **delegate_values(email="second@example.org"),
    )

    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITLISTED)


@pytest.mark.parametrize(
    "status",
    [
        Organization.Status.UNVERIFIED,
        Organization.Status.SUBMITTED,
        Organization.Status.CHANGES_REQUESTED,
        Organization.Status.REJECTED,
        Organization.Status.SUSPENDED,
    ],
)
def test_an_organization_that_is_not_approved_cannot_register(open_forum, status):
    organization = OrganizationFactory(status=status, name="Pending Org")

    with pytest.raises(services.DelegateRefused) as error:
        register(open_forum, organization, "Someone")

    assert "Only approved organizations of the network can register delegates" in str(error.value)
    assert not Delegate.objects.exists()


# --- The waiting list --------------------------------------------------------------------------


@pytest.fixture
def crowded(open_forum):
    """Five seats, two for Kazakhstan, two per organization: five confirmed, four waiting."""
    open_forum.capacity = 5
    open_forum.max_delegates_per_organization = 2
    open_forum.save()
    CountryQuotaFactory(event=open_forum, country="KZ", quota=2)
    orgs = {
        key: OrganizationFactory(country=key[:2].upper(), name=key)
        for key in ("kz1", "kz2", "kg1", "uz1", "tj1")
    }
    people = {}
    for key, name in [
        ("kz1", "kz1-a"),
        ("kz1", "kz1-b"),
        ("kg1", "kg1-a"),
        ("kg1", "kg1-b"),
        ("uz1", "uz1-a"),
        ("kz2", "kz2-a"),
        ("kg1", "kg1-c"),
        ("uz1", "uz1-b"),
        ("tj1", "tj1-a"),
    ]:
        people[name] = register(open_forum, orgs[key], name)
    assert waiting_names(open_forum) == ["kz2-a", "kg1-c", "uz1-b", "tj1-a"]
    return open_forum, people


def test_cancellation_promotes_in_order_skipping_full_quota_and_full_organization(crowded, run):
    event, people = crowded

    cancelled = run(services.delegate_cancel, delegate=people["uz1-a"])

    # kz2-a waits for Kazakhstan's quota, kg1-c for its organization's maximum: uz1-b fits.
    assert [d.full_name for d in cancelled.promoted] == ["uz1-b"]
    assert waiting_names(event) == ["kz2-a", "kg1-c", "tj1-a"]

    run(services.delegate_cancel, delegate=people["kz1-a"])
    assert waiting_names(event) == ["kg1-c", "tj1-a"]
    assert statuses(event)["kz2-a"] == Status.CONFIRMED

    run(services.delegate_cancel, delegate=people["kg1-a"])
    assert waiting_names(event) == ["tj1-a"]
    assert statuses(event)["kg1-c"] == Status.CONFIRMED
    assert Delegate.objects.filter(event=event, status=Status.CONFIRMED).count() == 5


def test_cancelling_a_waiting_delegate_promotes_nobody_and_keeps_the_order(crowded, run):
    event, people = crowded

    cancelled = run(services.delegate_cancel, delegate=people["kg1-c"])

    assert cancelled.promoted == []
    assert waiting_names(event) == ["kz2-a", "uz1-b", "tj1-a"]


def test_cancelling_twice_changes_nothing(crowded, run):
    event, people = crowded
    run(services.delegate_cancel, delegate=people["uz1-a"])

    again = run(services.delegate_cancel, delegate=people["uz1-a"])

    assert again.status == Status.CANCELLED
    # The same shape on every path: the caller reads both without a special case.
    assert (again.changed, again.promoted) == (False, [])
    assert waiting_names(event) == ["kz2-a", "kg1-c", "tj1-a"]


def test_raising_the_capacity_promotes_as_many_as_fit(crowded, run):
    event, _people = crowded
    event.capacity = 50
    event.save()

    promoted = run(services.event_fill_free_seats, event=event)

    # kz2-a still waits for Kazakhstan's quota and kg1-c for its organization's maximum.
    assert [d.full_name for d in promoted] == ["uz1-b", "tj1-a"]
    assert waiting_names(event) == ["kz2-a", "kg1-c"]


def test_raising_the_quota_and_the_maximum_promotes_the_rest(crowded, run):
    event, _people = crowded
    event.capacity = 50
    event.max_delegates_per_organization = 3
    event.save()
    event.country_quotas.update(quota=3)

    promoted = run(services.event_fill_free_seats, event=event)

    assert [d.full_name for d in promoted] == ["kz2-a", "kg1-c", "uz1-b", "tj1-a"]
    assert waiting_names(event) == []


def test_raising_the_capacity_by_two_promotes_the_first_two_who_fit(open_forum, run):
    open_forum.capacity = 1
    open_forum.save()
    organization = OrganizationFactory()
    for name in ["A", "B", "C", "D"]:
        register(open_forum, organization, name)
    open_forum.capacity = 3
    open_forum.save()

    promoted = run(services.event_fill_free_seats, event=open_forum)

    assert [d.full_name for d in promoted] == ["B", "C"]
    assert waiting_names(open_forum) == ["D"]


def test_organizer_confirms_beyond_a_limit_only_with_a_clear_refusal(crowded, run):
    event, people = crowded

    with pytest.raises(services.DelegateRefused) as error:
        run(services.delegate_confirm, delegate=people["tj1-a"])

    assert str(error.value) == "tj1-a cannot be confirmed: All 5 seats of the event are taken."
    assert statuses(event)["tj1-a"] == Status.WAITLISTED


def test_moving_to_the_waiting_list_puts_last_and_gives_the_seat_to_the_next(crowded, run):
    event, people = crowded

    moved = run(services.delegate_move_to_waiting_list, delegate=people["uz1-a"])

    assert [d.full_name for d in moved.promoted] == ["uz1-b"]
    assert waiting_names(event) == ["kz2-a", "kg1-c", "tj1-a", "uz1-a"]


def test_confirming_a_cancelled_delegate_checks_their_email_again(open_forum, run):
    organization = OrganizationFactory()
    dana = register(open_forum, organization, "Dana", email="dana@example.org")
    run(services.delegate_cancel, delegate=dana)
    register(open_forum, organization, "Dana too", email="dana@example.org")

    with pytest.raises(ValidationError) as error:
        run(services.delegate_confirm, delegate=dana)

    assert "email" in error.value.message_dict


def test_deleting_a_confirmed_delegate_promotes_the_next(crowded, run):
    event, people = crowded

    promoted = run(services.delegate_delete, delegate=people["uz1-a"])

    assert [d.full_name for d in promoted] == ["uz1-b"]
    assert not Delegate.objects.filter(full_name="uz1-a").exists()


def test_update_changes_details_and_checks_the_email(open_forum):
    organization = OrganizationFactory()
    dana = register(open_forum, organization, "Dana", email="dana@example.org")
    register(open_forum, organization, "Erlan", email="erlan@example.org")

    updated = services.delegate_update(
        delegate=dana, by=None, full_name="  Dana N. ", position="Director", gender=""
    )
    assert (updated.full_name, updated.position, updated.gender) == ("Dana N.", "Director", "")

    with pytest.raises(ValidationError) as error:
        services.delegate_update(delegate=dana, by=None, email="ERLAN@example.org")
    assert "email" in error.value.message_dict


# --- Emails ------------------------------------------------------------------------------------


def test_confirmation_email_carries_the_events_calendar_and_a_copy_to_the_member(
    open_forum, member, run, mailoutbox
):
    organization = member.memberships.get().organization

    run(
        services.delegate_register,
        event=open_forum,
        organization=organization,
        by=member,
        **delegate_values(),
    )

    (message,) = mailoutbox
    assert message.to == ["dana@example.org"]
    assert message.cc == ["owner-a@example.org"]
    assert message.subject == "Your seat at Sixth Forum is confirmed"
    assert "Alpha Steppe registered you as its delegate, and your seat is confirmed" in message.body
    html = message.alternatives[0][0]
    assert "Sixth Forum" in html and "<p>" in html
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("sixth-forum.ics", "text/calendar; charset=utf-8")
    calendar = icalendar.Calendar.from_ical(content)
    (entry,) = calendar.events
    assert entry["SUMMARY"] == "Sixth Forum"
    assert entry.start == open_forum.start_date


def test_waitlisted_promoted_and_cancelled_emails(open_forum, member, run, mailoutbox):
    organization = member.memberships.get().organization
    open_forum.capacity = 1
    open_forum.save()
    first = run(
        services.delegate_register,
        event=open_forum,
        organization=organization,
        by=member,
        **delegate_values(email="first@example.org", full_name="First"),
    )
    run(
        services.delegate_register,
        event=open_forum,
        organization=organization,
        by=member,
        **delegate_values(email="second@example.org", full_name="Second"),
    )
    run(services.delegate_cancel, delegate=first, by=member)

    subjects = [(m.to[0], m.subject) for m in mailoutbox]
    assert subjects == [
        ("first@example.org", "Your seat at Sixth Forum is confirmed"),
        ("second@example.org", "You are on the waiting list for Sixth Forum"),
        ("first@example.org", "Your registration for Sixth Forum is cancelled"),
        ("second@example.org", "A seat at Sixth Forum is yours"),
    ]
    promoted = mailoutbox[-1]
    assert "a seat came free and you are now a confirmed delegate of Alpha Steppe" in (
        promoted.body
    )
    assert promoted.attachments[0][0] == "sixth-forum.ics"
    assert not mailoutbox[1].attachments and not mailoutbox[2].attachments


def test_emails_go_in_the_language_of_the_owner_unless_the_delegate_has_an_account(open_forum):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, language="ru")
    MembershipFactory(organization=organization, role="editor", language="en")
    stranger = DelegateFactory(event=open_forum, organization=organization)
    colleague = MembershipFactory(
        organization=OrganizationFactory(), user__email="known@example.org", language="en"
    )
    known = DelegateFactory(event=open_forum, organization=organization, email=colleague.user.email)

    assert delegate_language(stranger) == "ru"
    assert delegate_language(known) == "en"


def test_email_in_russian_names_the_event_in_russian(open_forum, run, mailoutbox):
    open_forum.title_ru = "Шестой форум"
    open_forum.save()
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, language="ru")

    run(
        services.delegate_register,
        event=open_forum,
        organization=organization,
        by=None,
        **delegate_values(),
    )

    assert "Шестой форум" in mailoutbox[0].body
    assert mailoutbox[0].cc == []


def test_a_mail_server_that_is_down_does_not_undo_a_registration(
    open_forum, run, settings, mailoutbox
):
    # A real SMTP connection to a closed port: the mail server is down.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2

    delegate = run(
        services.delegate_register,
        event=open_forum,
        organization=OrganizationFactory(),
        by=None,
        **delegate_values(),
    )

    delegate.refresh_from_db()
    assert delegate.status == Status.CONFIRMED
    waiting = Mail.objects.get()
    assert waiting.to == [delegate.email]
    assert waiting.status == Mail.Status.QUEUED
    assert "ConnectionRefusedError" in waiting.last_error
    assert waiting.attachments[0]["filename"].endswith(".ics")
    assert mailoutbox == []


# --- Session seats -----------------------------------------------------------------------------


@pytest.fixture
def workshop(open_forum):
    return SessionFactory(event=open_forum, kind="workshop", capacity=2, title_en="Workshop")


def test_session_seats_are_booked_then_waited_for_then_given_on(open_forum, workshop, run):
    organization = OrganizationFactory()
    people = [register(open_forum, organization, name) for name in ["A", "B", "C", "D"]]

    bookings = [services.session_book(delegate=p, session=workshop) for p in people]

    assert [b.status for b in bookings] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    promoted = run(services.session_unbook, booking=bookings[0])
    assert [b.delegate.full_name for b in promoted] == ["C"]
    assert dict(workshop.bookings.values_list("delegate__full_name", "status")) == {
        "B": "confirmed",
        "C": "confirmed",
        "D": "waitlisted",
    }


def test_booking_twice_returns_the_same_booking(open_forum, workshop):
    delegate = register(open_forum, OrganizationFactory(), "A")

    first = services.session_book(delegate=delegate, session=workshop)
    second = services.session_book(delegate=delegate, session=workshop)

    assert first.pk == second.pk
    assert SessionBooking.objects.count() == 1


def test_cancelling_a_delegate_frees_their_session_seat(open_forum, workshop, run):
    organization = OrganizationFactory()
    a, b, c = (register(open_forum, organization, name) for name in ["A", "B", "C"])
    for delegate in (a, b, c):
        services.session_book(delegate=delegate, session=workshop)

    run(services.delegate_cancel, delegate=a)

    assert dict(workshop.bookings.values_list("delegate__full_name", "status")) == {
        "B": "confirmed",
        "C": "confirmed",
    }


def test_a_waiting_delegate_cannot_book_nor_one_in_two_places_at_once(open_forum, workshop):
    open_forum.capacity = 1
    open_forum.save()
    organization = OrganizationFactory()
    confirmed = register(open_forum, organization, "A")
    waiting = register(open_forum, organization, "B")
    same_time = SessionFactory(
        event=open_forum, capacity=5, starts_at=workshop.starts_at, ends_at=workshop.ends_at
    )
    services.session_book(delegate=confirmed, session=workshop)

    with pytest.raises(services.DelegateRefused, match="Only a confirmed delegate"):
        services.session_book(delegate=waiting, session=workshop)
    with pytest.raises(services.DelegateRefused, match="already booked “Workshop”"):
        services.session_book(delegate=confirmed, session=same_time)


def test_a_session_without_capacity_or_of_another_event_has_no_seats(open_forum, workshop):
    delegate = register(open_forum, OrganizationFactory(), "A")
    free_for_all = SessionFactory(event=open_forum, capacity=None)
    elsewhere = SessionFactory(capacity=10)

    for session in (free_for_all, elsewhere):
        with pytest.raises(services.DelegateRefused, match="no seats to book"):
            services.session_book(delegate=delegate, session=session)


def test_raising_a_session_capacity_gives_seats_to_the_waiting(open_forum, workshop, run):
    organization = OrganizationFactory()
    for name in ["A", "B", "C", "D"]:
        services.session_book(delegate=register(open_forum, organization, name), session=workshop)
    workshop.capacity = 3
    workshop.save()

    promoted = run(services.session_fill_free_seats, session=workshop)

    assert [b.delegate.full_name for b in promoted] == ["C"]
