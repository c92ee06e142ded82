"""Newsletters and posts in the admin: the recipient count, preview, test send, sending now or
later, the progress endpoint; organizers only, coordinators see their countries' recipients."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from news import subscriptions
from news.models import Newsletter, NewsletterRecipient, Post
from organizations.models import CountryCoordinator
from organizations.roles import sync_groups
from outbox.models import Mail
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.news.factories import NewsletterFactory, PostFactory
from tests.organizations.registration_helpers import image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    sync_groups()
    user = StaffFactory(username="organizer", email="organizer@example.org")
    user.groups.add(Group.objects.get(name="Organizers"))
    return user


@pytest.fixture
def coordinator():
    sync_groups()
    user = StaffFactory(username="coordinator", email="kg@example.org")
    user.groups.add(Group.objects.get(name="Country coordinators"))
    CountryCoordinator.objects.create(user=user, countries=["KG"])
    return user


@pytest.fixture
def audience_of_three():
    kz, kg = OrganizationFactory(country="KZ"), OrganizationFactory(country="KG")
    for organization, email, language in [
        (kz, "aigerim@example.org", "ru"),
        (kz, "dana@example.org", "en"),
        (kg, "aida@example.org", "ru"),
    ]:
        MembershipFactory(
            organization=organization,
            user=UserFactory(username=email, email=email),
            language=language,
        )
        subscriptions.subscribe(email=email)
    MembershipFactory(organization=kz, user=UserFactory(username="quiet", email="q@example.org"))


def test_the_change_page_counts_the_recipients_and_offers_the_steps(
    client, organizer, audience_of_three, django_assert_max_num_queries
):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:news_newsletter_change", args=[newsletter.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Recipients now" in content
    assert '<div class="readonly">3</div>' in content
    assert reverse("admin:news_newsletter_preview", args=[newsletter.pk]) in content
    assert reverse("admin:news_newsletter_send", args=[newsletter.pk]) in content
    assert "Send a test to me (organizer@example.org)" in content
    assert "<script>" not in content.replace("<script src=", "")  # no inline script


def test_the_changelist(client, organizer, django_assert_max_num_queries):
    for n in range(5):
        NewsletterFactory(subject_en=f"Letter {n}")
    client.force_login(organizer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:news_newsletter_changelist"))
    assert response.status_code == 200
    assert "Letter 4" in response.content.decode()


def test_adding_a_newsletter(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("admin:news_newsletter_add"),
        {
            "subject_en": "The programme is out",
            "subject_ru": "Программа опубликована",
            "body_en": "See **the agenda**.",
            "body_ru": "Смотрите **программу**.",
            "people": "contacts",
            "countries": ["KZ", "KG"],
            "organization_statuses": ["approved"],
            "delegate_statuses": [],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newsletter = Newsletter.objects.get()
    assert newsletter.created_by == organizer
    assert sorted(str(code) for code in newsletter.countries) == ["KG", "KZ"]
    assert newsletter.status == Newsletter.Status.DRAFT


def test_delegates_need_an_event_said_next_to_the_field(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("admin:news_newsletter_add"),
        {"subject_en": "Hello", "body_en": "Text", "people": "delegates"},
    )
    assert response.status_code == 200
    assert "Choose the event whose delegates receive it." in response.content.decode()
    assert not Newsletter.objects.exists()


def test_preview_shows_both_languages_sanitized(client, organizer, audience_of_three):
    newsletter = NewsletterFactory(body_en="Hi <script>alert(1)</script> **there**")
    client.force_login(organizer)
    response = client.get(reverse("admin:news_newsletter_preview", args=[newsletter.pk]))
    content = response.content.decode()
    assert "<strong>there</strong>" in content
    assert "<script>alert" not in content
    assert "Открыта регистрация на форум" in content
    assert "3 recipients" in content


def test_a_test_send_goes_to_the_organizer_through_the_outbox(client, organizer):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    response = client.post(reverse("admin:news_newsletter_test", args=[newsletter.pk]), follow=True)
    assert "is on its way to organizer@example.org" in response.content.decode()
    mails = Mail.objects.order_by("pk")
    assert [mail.to for mail in mails] == [["organizer@example.org"], ["organizer@example.org"]]
    assert [mail.subject for mail in mails] == [
        "[Test] Registration for the forum is open",
        "[Тест] Открыта регистрация на форум",
    ]
    assert all("List-Unsubscribe" in mail.headers for mail in mails)
    assert not NewsletterRecipient.objects.exists()
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT


def test_send_now(
    client, organizer, audience_of_three, mailoutbox, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    url = reverse("admin:news_newsletter_send", args=[newsletter.pk])
    page = client.get(url)
    assert "It goes to 3 recipients." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"when": "now"}, follow=True)
    assert "Sending to 3 recipients has started" in response.content.decode()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "aida@example.org",
        "aigerim@example.org",
        "dana@example.org",
    ]
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    # Sent: it stays as it went out, and cannot be sent again.
    change = client.get(reverse("admin:news_newsletter_change", args=[newsletter.pk]))
    assert 'name="subject_en"' not in change.content.decode()
    assert "newsletter-progress" in change.content.decode()
    again = client.post(url, {"when": "now"}, follow=True)
    assert "already being sent or was sent" in again.content.decode()
    assert len(mailoutbox) == 3


def test_send_later_and_take_it_back(client, organizer):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    url = reverse("admin:news_newsletter_send", args=[newsletter.pk])
    past = client.post(url, {"when": "later", "scheduled_at": "2020-01-01T10:00"})
    assert "This time has passed" in past.content.decode()
    missing = client.post(url, {"when": "later", "scheduled_at": ""})
    assert "Give the date and time" in missing.content.decode()
    at = timezone.localtime() + datetime.timedelta(days=2)
    client.post(url, {"when": "later", "scheduled_at": at.strftime("%Y-%m-%dT%H:%M")})
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SCHEDULED
    assert abs((newsletter.scheduled_at - at).total_seconds()) < 60
    client.post(url, {"unschedule": "1"})
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT and newsletter.scheduled_at is None


def test_the_progress_endpoint(
    client, organizer, audience_of_three, django_capture_on_commit_callbacks
):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:news_newsletter_send", args=[newsletter.pk]), {"when": "now"})
    url = reverse("admin:news_newsletter_progress", args=[newsletter.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["status"] == "sent"
    assert data["total"] == data["sent"] == 3 and data["percent"] == 100
    assert "no-cache" in response["Cache-Control"]
    # No address in it.
    assert "@" not in response.content.decode()


def test_only_organizers_reach_newsletters(client, coordinator, audience_of_three):
    newsletter = NewsletterFactory()
    anonymous = client.get(reverse("admin:news_newsletter_progress", args=[newsletter.pk]))
    assert anonymous.status_code == 302
    client.force_login(coordinator)
    for name in ("change", "preview", "send", "progress"):
        response = client.get(reverse(f"admin:news_newsletter_{name}", args=[newsletter.pk]))
        assert response.status_code == 403, name
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get(reverse("admin:news_newsletter_changelist")).status_code == 302


def test_coordinators_see_the_recipients_of_their_countries_only(
    client, organizer, coordinator, audience_of_three, django_assert_max_num_queries
):
    newsletter = NewsletterFactory()
    client.force_login(organizer)
    client.post(reverse("admin:news_newsletter_send", args=[newsletter.pk]), {"when": "now"})
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:news_newsletterrecipient_changelist"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "aida@example.org" in content
    assert "aigerim@example.org" not in content and "dana@example.org" not in content
    other = NewsletterRecipient.objects.get(email="dana@example.org")
    assert (
        client.get(reverse("admin:news_newsletterrecipient_change", args=[other.pk])).status_code
        == 404
    )
    assert client.get(reverse("admin:news_subscription_changelist")).status_code == 403


def test_no_address_on_any_public_page(client, audience_of_three):
    NewsletterFactory()
    PostFactory(slug="news")
    for url in ["/", "/news/", "/news/news/", "/news/feed/", "/sitemap.xml"]:
        assert "@example.org" not in client.get(url).content.decode(), url


def test_a_post_image_is_checked_by_its_content(client, organizer):
    client.force_login(organizer)
    data = {
        "title_en": "Forum opens",
        "slug": "forum-opens",
        "body_en": "Text",
        "status": "published",
        "countries": ["KZ"],
    }
    not_an_image = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", "image/png")
    response = client.post(reverse("admin:news_post_add"), {**data, "image": not_an_image})
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    gif = image_file(name="photo.png", image_format="GIF")
    response = client.post(reverse("admin:news_post_add"), {**data, "image": gif})
    assert "is not a PNG, JPEG or WebP image" in response.content.decode()
    assert not Post.objects.exists()
    response = client.post(reverse("admin:news_post_add"), {**data, "image": image_file()})
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.image.name.startswith("news/") and post.image.name.endswith(".png")
    assert post.published_at is not None
