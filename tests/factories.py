"""factory-boy factories: plain defaults, no surprises. Approved public organizations and
published events unless a test says otherwise."""

import datetime
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import (
    CountryQuota,
    Delegate,
    Event,
    Room,
    Session,
    SessionBooking,
    SessionSpeaker,
    Speaker,
    Track,
)
from organizations.models import FocusArea, Membership, Organization, SustainableDevelopmentGoal

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Aigerim"
    last_name = "Example"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(user, create, extracted, **kwargs):
        if create:
            user.save()


class StaffFactory(UserFactory):
    is_staff = True


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"focus-area-{n}")
    name = factory.LazyAttribute(lambda area: area.slug.replace("-", " ").capitalize())
    name_en = factory.SelfAttribute("name")


class SustainableDevelopmentGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SustainableDevelopmentGoal
        django_get_or_create = ["number"]

    number = 13
    name = "Climate action"
    name_en = factory.SelfAttribute("name")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Green Steppe Initiative {n}")
    slug = factory.Sequence(lambda n: f"green-steppe-initiative-{n}")
    country = "KZ"
    city = "Almaty"
    legal_form = Organization.LegalForm.PUBLIC_ASSOCIATION
    description = "Works on clean air and urban green spaces."
    status = Organization.Status.APPROVED
    visibility = Organization.Visibility.PUBLIC
    submitted_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def focus_areas(organization, create, extracted, **kwargs):
        if create and extracted:
            organization.focus_areas.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OWNER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"EU–Central Asia Civil Society Forum {n}")
    title_en = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda event: event.start_date + datetime.timedelta(days=2))
    time_zone = "Asia/Almaty"
    city = "Almaty"
    city_en = "Almaty"
    country = "KZ"
    status = Event.Status.PUBLISHED


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    name_en = factory.SelfAttribute("name")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")
    name_en = factory.SelfAttribute("name")
    capacity = 100


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker Number {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    position = "Director"
    position_en = "Director"
    institution = "Example Institute"
    institution_en = "Example Institute"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Panel on digital transformation {n}")
    title_en = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = Session.Kind.PANEL
    starts_at = factory.LazyAttribute(
        lambda session: datetime.datetime.combine(
            session.event.start_date, datetime.time(10, 0), tzinfo=ALMATY
        )
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=1))


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    role = SessionSpeaker.Role.SPEAKER


class CountryQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryQuota

    event = factory.SubFactory(EventFactory)
    country = "KZ"
    quota = 10


class DelegateFactory(factory.django.DjangoModelFactory):
    """A confirmed delegate, written directly (tests of the limits go through the services)."""

    class Meta:
        model = Delegate

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Delegate Person {n}")
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    position = "Programme officer"
    status = Delegate.Status.CONFIRMED
    confirmed_at = factory.LazyAttribute(
        lambda delegate: timezone.now() if delegate.status == Delegate.Status.CONFIRMED else None
    )
    waitlisted_at = factory.LazyAttribute(
        lambda delegate: timezone.now() if delegate.status == Delegate.Status.WAITLISTED else None
    )


class SessionBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionBooking

    session = factory.SubFactory(SessionFactory)
    delegate = factory.SubFactory(DelegateFactory)
    status = SessionBooking.Status.CONFIRMED
