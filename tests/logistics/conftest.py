import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from logistics.models import PASSPORT_CONSENT_VERSION, TravelStay
from organizations.models import Membership
from organizations.roles import CHECK_IN_STAFF, ORGANIZERS, sync_groups
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

PASSPORT_NUMBER = "N12345678"
KAZAKH_NAME = "Әлия Қасымқызы Нұрғалиева"
UZBEK_NAME = "Gʻulom Oʻktamovich Sharipov"


def pdf_text(content):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_qr_codes(content, scale=3):
    """Every QR code on every page, decoded by zxing-cpp from the page rendered by PDFium."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(content)
    found = []
    for page in document:
        image = page.render(scale=scale).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    document.close()
    return found


@pytest.fixture
def forum_today(db):
    """A published three-day forum that started yesterday (check-in happens today)."""
    today = timezone.localdate()
    return EventFactory(
        title_en="Sixth EU–Central Asia Forum",
        title_ru="Шестой форум ЕС–Центральная Азия",
        slug="sixth-forum",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=1),
    )


@pytest.fixture
def member(db):
    membership = MembershipFactory(
        organization__name="Жасыл Қала",
        organization__country="KZ",
        user__email="owner-a@example.org",
    )
    return membership.user


@pytest.fixture
def delegate(forum_today, member):
    return DelegateFactory(
        event=forum_today,
        organization=Membership.objects.get(user=member).organization,
        full_name=KAZAKH_NAME,
        email="aliya@example.org",
        gender="female",
        age_band="25-34",
    )


def add_passport(delegate, **overrides):
    values = {
        "passport_name": delegate.full_name,
        "nationality": "KZ",
        "passport_number": PASSPORT_NUMBER,
        "passport_expiry": delegate.event.end_date + datetime.timedelta(days=900),
        "date_of_birth": datetime.date(1994, 5, 17),
        "visa_needed": True,
        "consent_confirmed_at": timezone.now(),
        "consent_version": PASSPORT_CONSENT_VERSION,
    }
    values.update(overrides)
    travel, _ = TravelStay.objects.update_or_create(delegate=delegate, defaults=values)
    return travel


@pytest.fixture
def organizer(db):
    sync_groups()
    user = StaffFactory(username="organizer", first_name="Olga", last_name="Organizer")
    user.groups.add(Group.objects.get(name=ORGANIZERS))
    return user


@pytest.fixture
def door_staff(db):
    sync_groups()
    user = UserFactory(email="door@example.org", first_name="Daniyar", last_name="Door")
    user.groups.add(Group.objects.get(name=CHECK_IN_STAFF))
    return user


def grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))
