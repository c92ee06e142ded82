"""Passport data: on the letter, the rooming list and the organization's own pages only; not for
country coordinators unless granted; erased by the periodic task after the retention period."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate
from logistics import services, tasks
from logistics.models import Hotel, RoomBlock, TravelStay
from organizations.roles import coordinator_appoint
from outbox.models import Mail
from tests.factories import StaffFactory

from .conftest import PASSPORT_NUMBER, add_passport, grant, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    user = StaffFactory(username="coordinator-kz")
    coordinator_appoint(user=user, countries=["KZ"])
    return user


@pytest.fixture
def stay(delegate):
    travel = add_passport(delegate)
    hotel = Hotel.objects.create(event=delegate.event, name="Hotel Kazakhstan")
    travel.room_block = RoomBlock.objects.create(
        hotel=hotel,
        room_type="Single",
        rooms=20,
        check_in=delegate.event.start_date,
        check_out=delegate.event.end_date,
    )
    travel.room_number = "512"
    travel.save()
    return travel


def test_passport_data_is_on_no_other_page_export_or_mail(client, stay, organizer, door_staff):
    delegate = stay.delegate
    letter = services.letter_issue(delegate=delegate, by=organizer)
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    services.check_in(badge=badge, by=door_staff)
    client.force_login(organizer)
    pages = [
        reverse("admin:events_delegate_changelist"),
        reverse("admin:events_delegate_change", args=[delegate.pk]),
        reverse("admin:events_delegate_export_csv"),
        reverse("admin:events_delegate_export_xlsx"),
        reverse("admin:events_delegate_report", args=[delegate.event.pk]),
        reverse("admin:events_delegate_history", args=[delegate.pk]),
        reverse("admin:logistics_badge_changelist"),
        reverse("admin:logistics_letter_changelist"),
        reverse("admin:logistics_checkin_changelist"),
        reverse("admin:logistics_attendance", args=[delegate.event.pk]),
        reverse("admin:logistics_travelstay_changelist"),
        f"/verify/{letter.reference}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PASSPORT_NUMBER.encode() not in response.content, url
    client.force_login(door_staff)
    page = client.get(reverse("logistics:check-in", args=[delegate.event.slug]), {"q": badge.code})
    assert PASSPORT_NUMBER.encode() not in page.content

    # The letter's mail carries it in the PDF only, never in its text.
    services.letter_issue(delegate=delegate, by=organizer)
    letters = [message for message in mail.outbox if "invitation letter" in message.subject]
    assert letters == [] or all(PASSPORT_NUMBER not in message.body for message in letters)


def test_the_letter_and_the_rooming_list_carry_it(client, stay, organizer):
    letter = services.letter_issue(delegate=stay.delegate, by=organizer)
    client.force_login(organizer)

    response = client.get(reverse("admin:logistics_letter_pdf", args=[letter.pk]))
    assert PASSPORT_NUMBER in pdf_text(response.content)

    from openpyxl import load_workbook

    response = client.get(
        reverse("admin:logistics_hotel_rooming_list", args=[stay.room_block.hotel.pk])
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][4] == "512"
    assert PASSPORT_NUMBER in rows[1]


def test_coordinators_do_not_see_it_unless_granted(client, stay, organizer, coordinator):
    letter = services.letter_issue(delegate=stay.delegate, by=organizer)
    client.force_login(coordinator)

    assert client.get(reverse("admin:logistics_letter_pdf", args=[letter.pk])).status_code == 403
    assert client.get(reverse("admin:logistics_travelstay_change", args=[stay.pk])).status_code in (
        302,
        403,
    )
    delegate_page = client.get(reverse("admin:events_delegate_change", args=[stay.delegate.pk]))
    assert delegate_page.status_code == 200
    assert PASSPORT_NUMBER.encode() not in delegate_page.content

    grant(coordinator, "view_travelstay")
    page = client.get(reverse("admin:logistics_travelstay_change", args=[stay.pk]))
    assert page.status_code == 200
    assert PASSPORT_NUMBER.encode() not in page.content

    grant(coordinator, "view_passport_data")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    client.force_login(coordinator)
    page = client.get(reverse("admin:logistics_travelstay_change", args=[stay.pk]))
    assert PASSPORT_NUMBER.encode() in page.content


def test_erased_by_the_periodic_task_after_the_retention_period(
    client, stay, organizer, settings, caplog
):
    settings.PASSPORT_DATA_RETENTION_DAYS = 30
    letter = services.letter_issue(delegate=stay.delegate, by=organizer)
    from logistics import jobs

    jobs.send_letters([letter.pk])
    assert Mail.objects.filter(attachments__isnull=False).exclude(attachments=[]).exists()
    event = stay.delegate.event

    assert tasks.erase_passport_data() == 0  # the event is not over
    event.start_date = timezone.localdate() - datetime.timedelta(days=33)
    event.end_date = timezone.localdate() - datetime.timedelta(days=31)
    event.save()
    with caplog.at_level(logging.INFO, logger="logistics.services"):
        assert tasks.erase_passport_data.delay().get() == 1

    travel = TravelStay.objects.get(pk=stay.pk)
    assert travel.passport_number == "" and travel.passport_name == ""
    assert travel.date_of_birth is None and travel.passport_expiry is None
    assert travel.passport_erased_at is not None
    assert travel.room_number == "512"  # the stay itself stays
    assert "Passport data erased for 1 delegates" in caplog.text
    assert PASSPORT_NUMBER not in caplog.text
    for row in Mail.objects.all():
        assert row.attachments == [] or "letter" not in row.attachments[0]["filename"]
    # The verification page still answers, with the initials kept on the letter.
    assert client.get(f"/verify/{letter.reference}/").status_code == 200


def test_the_erasure_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "logistics.erase_passport_data" in tasks_scheduled


def test_erasing_an_organization_takes_its_delegates_passport_data(stay, organizer, door_staff):
    from portal.personal_data import organization_erase

    delegate = stay.delegate
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    services.check_in(badge=badge, by=door_staff)
    event = delegate.event
    event.start_date = timezone.localdate() - datetime.timedelta(days=5)
    event.end_date = timezone.localdate() - datetime.timedelta(days=3)
    event.save()

    organization_erase(organization=delegate.organization, by=organizer)

    assert not TravelStay.objects.filter(pk=stay.pk).exists()
    badge.refresh_from_db()
    assert badge.full_name == "—" and badge.check_ins.count() == 1


def test_a_granted_coordinator_sees_the_travel_of_their_countries_only(
    client, stay, organizer, coordinator
):
    from tests.factories import DelegateFactory, OrganizationFactory

    other = add_passport(
        DelegateFactory(event=stay.delegate.event, organization=OrganizationFactory(country="TJ")),
        passport_number="TJ9999999",
    )
    for codename in ("view_travelstay", "view_passport_data", "view_letter"):
        grant(coordinator, codename)
    client.force_login(coordinator)

    listing = client.get(reverse("admin:logistics_travelstay_changelist")).content.decode()
    assert stay.delegate.full_name in listing
    assert other.delegate.full_name not in listing
    assert (
        client.get(reverse("admin:logistics_travelstay_change", args=[other.pk])).status_code == 404
    )
    letter = services.letter_issue(delegate=other.delegate, by=organizer)
    assert client.get(reverse("admin:logistics_letter_pdf", args=[letter.pk])).status_code == 404
