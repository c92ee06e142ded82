"""Every public page and every /my/ page at a phone's width (360 px), in English and in Russian:
the page is exactly as wide as the screen (nothing to scroll sideways) and axe finds no serious
or critical violation. Run over the demo content, signed in as a member of an approved CSO with
delegates at an event open for registration."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Delegate, Event, Session, Speaker
from organizations.models import Membership, Organization
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTH = 360
PASSWORD = "correct-horse-battery"  # the factories' password
FORUM = "/events/fifth-eu-central-asia-civil-society-forum/"
SIXTH = "sixth-eu-central-asia-civil-society-forum"


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", verbosity=0)
    now = timezone.now()
    sixth = Event.objects.get(slug=SIXTH)
    sixth.registration_opens_at = now - datetime.timedelta(days=1)
    sixth.registration_closes_at = now + datetime.timedelta(days=30)
    sixth.save()
    delegate = Delegate.objects.filter(event=sixth).select_related("organization").first()
    member = UserFactory(email="member@example.org")
    Membership.objects.create(
        user=member, organization=delegate.organization, role=Membership.Role.OWNER
    )
    session = Session.objects.filter(event__slug=FORUM.split("/")[2]).first()
    public = [
        "/",
        "/organizations/",
        "/organizations/?q=zhasyl",
        Organization.objects.public().first().get_absolute_url(),
        "/network/",
        "/countries/kz/",
        "/countries/tj/",
        "/events/",
        FORUM,
        FORUM + "agenda/",
        FORUM + "speakers/",
        FORUM + "now/",
        "/my/agenda/",
        session.get_absolute_url(),
        Speaker.objects.filter(sessions__isnull=False).first().get_absolute_url(),
        "/accounts/login/",
        "/accounts/password_reset/",
        "/organizations/register/",
        "/organizations/register/resend/",
        "/news/",
        "/news/almaty-hosts-the-fifth-forum/",
        "/no-such-page/",
    ]
    mine = [
        "/my/",
        "/my/edit/",
        "/my/members/invite/",
        "/my/delegates/",
        f"/my/events/{SIXTH}/delegates/",
        f"/my/events/{SIXTH}/delegates/add/",
        f"/my/delegates/{delegate.pk}/edit/",
        f"/my/delegates/{delegate.pk}/cancel/",
        f"/my/delegates/{delegate.pk}/sessions/",
        "/my/agenda/",
        FORUM + "agenda/",
        session.get_absolute_url() + "feedback/",
        session.get_absolute_url() + "star/",
        "/newsletter/",
    ]
    return public, mine


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("main input[name=username]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/my/**")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_page_fits_a_phone_without_serious_accessibility_violations(
    page, live_server, demo, language
):
    from axe_playwright_python.sync_playwright import Axe

    public, mine = demo
    page.set_viewport_size({"width": WIDTH, "height": 740})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    axe = Axe()
    widths, serious = {}, {}

    def check(path):
        response = page.goto(path)
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        assert page.locator("html").get_attribute("lang") == language
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        serious[path] = [
            (violation["id"], [node["target"] for node in violation["nodes"]][:3])
            for violation in axe.run(page).response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    for path in public:
        check(path)
    _log_in(page, "member@example.org")
    for path in mine:
        check("/" + path.lstrip("/"))
    assert widths == dict.fromkeys(widths, WIDTH)
    assert serious == dict.fromkeys(serious, [])
