"""Check-in staff in Chromium: a badge checked in by its typed code, and another by its QR code
shown to the camera (Chromium's fake video capture plays a Y4M file made here from the QR)."""

import datetime

import pytest
import segno
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from events.models import Delegate
from logistics import services
from logistics.models import CheckIn, TravelStay
from organizations.roles import CHECK_IN_STAFF, sync_groups
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def door(db):
    sync_groups()
    today = timezone.localdate()
    event = EventFactory(
        title_en="Sixth Forum",
        slug="sixth-forum",
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
    )
    organization = OrganizationFactory(name="Жасыл Қала", country="KZ")
    delegate = DelegateFactory(event=event, organization=organization, full_name="Әлия Нұрғалиева")
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    staff = UserFactory(email="door@example.org", first_name="Daniyar", last_name="Door")
    staff.groups.add(Group.objects.get(name=CHECK_IN_STAFF))
    return event, badge


def _log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("door@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_check_in_by_typed_code_on_a_phone(browser, live_server, door):
    event, badge = door
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    _log_in(page)
    page.goto(f"/check-in/{event.slug}/")

    page.get_by_label("Name or badge code").fill(badge.code)
    page.get_by_role("button", name="Find").click()
    card = page.locator(".check-in-card")
    expect(card).to_contain_text("Әлия Нұрғалиева")
    expect(card).to_contain_text("Жасыл Қала, Kazakhstan")
    expect(card).to_contain_text("Confirmed")
    card.get_by_role("button", name="Check in").click()

    expect(page.get_by_role("status")).to_contain_text("is checked in")
    expect(page.locator("#live-count [data-count]")).to_have_text("1")
    expect(page.locator(".check-in-already")).to_contain_text("by Daniyar Door")
    assert CheckIn.objects.filter(badge=badge).count() == 1
    assert errors == []
    context.close()


def _y4m(path, image, frames=10):
    """A few frames of `image` in the YUV4MPEG2 format (4:2:0) Chromium's fake camera plays."""
    width, height = image.size
    y, cb, cr = image.convert("YCbCr").split()
    half = (width // 2, height // 2)
    with open(path, "wb") as output:
        output.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            output.write(b"FRAME\n")
            output.write(y.tobytes())
            output.write(cb.resize(half).tobytes())
            output.write(cr.resize(half).tobytes())


def test_check_in_by_a_qr_code_shown_to_the_camera(live_server, door, tmp_path, playwright):
    # Its own Chromium (the fake camera is a launch flag), from the process's one Playwright.
    event, badge = door
    qr = tmp_path / "badge.png"
    segno.make(badge.code, error="m").save(qr, scale=10, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    code = Image.open(qr).convert("RGB")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    video = tmp_path / "camera.y4m"
    _y4m(video, frame)

    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(
            base_url=live_server.url, locale="en-US", permissions=["camera"]
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        _log_in(page)
        page.goto(f"/check-in/{event.slug}/")

        page.get_by_role("button", name="Scan a badge with the camera").click()
        card = page.locator(".check-in-card")
        expect(card).to_contain_text("Әлия Нұрғалиева")
        expect(page.get_by_label("Name or badge code")).to_have_value(badge.code)
        card.get_by_role("button", name="Check in").click()

        expect(page.get_by_role("status")).to_contain_text("is checked in")
        assert CheckIn.objects.filter(badge=badge).count() == 1
        context.close()
    finally:
        browser.close()


def test_a_member_enters_travel_and_passport_data_with_the_consent(page, db):
    event = EventFactory(title_en="Seventh Forum", slug="seventh-forum")
    membership = MembershipFactory(
        organization__name="Oʻzbek Youth", organization__country="UZ", user__email="m@example.org"
    )
    DelegateFactory(event=event, organization=membership.organization, full_name="Gʻulom Sharipov")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("m@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/my/events/{event.slug}/delegates/")
    page.get_by_role("link", name="Travel, letters and certificates").click()
    page.get_by_role("link", name="Travel and stay of Gʻulom Sharipov").click()

    page.get_by_label("Arrival date").fill(event.start_date.isoformat())
    page.get_by_label("Arrival by").select_option("plane")
    page.get_by_label("Name as in the passport").fill("GULOM SHARIPOV")
    page.get_by_label("Nationality").select_option("UZ")
    page.get_by_label("Passport number").fill("FA1234567")
    page.get_by_label("Passport valid until").fill("2034-01-01")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#div_id_consent")).to_contain_text("Confirm the delegate")
    expect(page.get_by_label("Passport number")).to_have_value("FA1234567")
    page.get_by_label("The delegate agrees").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("are saved")
    expect(page.locator("#logistics-table")).to_contain_text("Gʻulom Sharipov")
    travel = TravelStay.objects.get()
    assert travel.passport_number == "FA1234567" and travel.consent_confirmed_at is not None
