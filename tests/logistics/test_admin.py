"""The organizers' side: letters issued and e-mailed from the delegates' list, badges printed
through the worker, hotels and their rooming lists, the attendance report."""

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Delegate, SessionSpeaker
from logistics import services
from logistics.models import Badge, Letter, PrintJob
from tests.factories import (
    DelegateFactory,
    OrganizationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

from .conftest import KAZAKH_NAME, PASSPORT_NUMBER, add_passport, pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


def _action(client, action, pks, url=None, *, after_commit):
    with after_commit():
        return client.post(
            url or reverse("admin:events_delegate_changelist"),
            {"action": action, "_selected_action": [str(pk) for pk in pks]},
            follow=True,
        )


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Tasks and mail follow the commit: this runs them as the test database never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_letters_are_issued_and_emailed_with_the_pdf(client, delegate, organizer, after_commit):
    add_passport(delegate)
    other = DelegateFactory(event=delegate.event, full_name="No Passport Yet")
    client.force_login(organizer)

    response = _action(client, "issue_letters", [delegate.pk, other.pk], after_commit=after_commit)

    page = response.content.decode()
    assert "1 letter issued" in page
    assert "No Passport Yet: the passport data is missing" in page
    letter = Letter.objects.get(delegate=delegate)
    (message,) = [m for m in mail.outbox if delegate.email in m.to]
    assert "invitation letter" in message.subject
    ((filename, content, mimetype),) = message.attachments
    assert filename == f"letter-{letter.reference}.pdf" and mimetype == "application/pdf"
    assert PASSPORT_NUMBER in pdf_text(content)
    assert PASSPORT_NUMBER not in message.body
    assert letter.reference in message.body
    letter.refresh_from_db()
    assert letter.emailed_at is not None


def test_badges_for_the_selected_delegates_through_the_worker(
    client, forum_today, organizer, after_commit
):
    delegates = DelegateFactory.create_batch(3, event=forum_today)
    waiting = DelegateFactory(event=forum_today, status=Delegate.Status.WAITLISTED)
    client.force_login(organizer)

    selected = [d.pk for d in [*delegates, waiting]]
    response = _action(client, "print_delegate_badge_sheets", selected, after_commit=after_commit)

    assert response.status_code == 200
    job = PrintJob.objects.get()
    assert job.status == PrintJob.Status.READY and job.count == 3
    download = client.get(reverse("admin:logistics_printjob_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    codes = set(Badge.objects.values_list("code", flat=True))
    assert len(codes) == 3
    assert set(pdf_qr_codes(content)) == codes
    assert waiting.full_name not in pdf_text(content)


def test_badges_one_per_page_and_speakers_badges(client, forum_today, organizer, after_commit):
    session = SessionFactory(event=forum_today)
    speaker = SpeakerFactory(name="Ғани Өмірзақов", institution_en="EU Delegation")
    SessionSpeakerFactory(session=session, speaker=speaker, role=SessionSpeaker.Role.SPEAKER)
    client.force_login(organizer)

    _action(
        client,
        "print_speaker_badges",
        [speaker.pk],
        url=reverse("admin:events_speaker_changelist"),
        after_commit=after_commit,
    )

    badge = Badge.objects.get(speaker=speaker)
    assert badge.role == Badge.Role.SPEAKER and badge.event == forum_today
    job = PrintJob.objects.get()
    content = b"".join(
        client.get(reverse("admin:logistics_printjob_download", args=[job.pk])).streaming_content
    )
    assert "Ғани Өмірзақов" in " ".join(pdf_text(content).split())
    assert "SPEAKER" in pdf_text(content)


def test_another_organizers_print_job_is_not_theirs(client, forum_today, organizer):
    from tests.factories import StaffFactory

    job = PrintJob.objects.create(kind=PrintJob.Kind.BADGE_SHEETS, created_by=StaffFactory())
    client.force_login(organizer)
    response = client.get(reverse("admin:logistics_printjob_download", args=[job.pk]))
    assert response.status_code == 404


def test_the_admin_pages_answer(client, delegate, organizer, django_assert_max_num_queries):
    add_passport(delegate)
    services.letter_issue(delegate=delegate, by=organizer)
    services.badges_for_delegates(Delegate.objects.filter(pk=delegate.pk))
    client.force_login(organizer)
    for name in (
        "hotel",
        "travelstay",
        "letter",
        "badge",
        "checkin",
        "certificate",
        "printjob",
        "eventlogistics",
    ):
        with django_assert_max_num_queries(25):
            response = client.get(reverse(f"admin:logistics_{name}_changelist"))
        assert response.status_code == 200, name
    assert client.get(reverse("admin:logistics_hotel_add")).status_code == 200
    assert client.get(reverse("admin:logistics_eventlogistics_add")).status_code == 200


def test_the_attendance_report(client, forum_today, organizer, door_staff):
    kz = OrganizationFactory(name="Steppe Alliance", country="KZ")
    uz = OrganizationFactory(name="Oʻzbek Youth", country="UZ")
    came = [
        DelegateFactory(event=forum_today, organization=kz, gender="female", age_band="25-34"),
        DelegateFactory(event=forum_today, organization=uz, gender="male", age_band="35-49"),
    ]
    DelegateFactory(event=forum_today, organization=uz, gender="male", full_name="Absent One")
    for badge in services.badges_for_delegates(
        Delegate.objects.filter(pk__in=[d.pk for d in came])
    ):
        services.check_in(badge=badge, by=door_staff)
    client.force_login(organizer)

    response = client.get(reverse("admin:logistics_attendance", args=[forum_today.pk]))

    report = response.context["report"]
    assert (report["registered"], report["attended"]) == (3, 2)
    by_country = {
        row["label"]: (row["registered"], row["attended"]) for row in report["by_country"]
    }
    assert by_country == {"Kazakhstan": (1, 1), "Uzbekistan": (2, 1)}
    by_gender = {row["label"]: (row["registered"], row["attended"]) for row in report["by_gender"]}
    assert by_gender == {"Female": (1, 1), "Male": (2, 1)}
    assert [row["organization__name"] for row in report["no_shows"]] == ["Oʻzbek Youth"]
    assert [count for _, count in report["per_day"]] == [0, 2, 0]
    link = client.get(reverse("admin:events_delegate_report", args=[forum_today.pk]))
    assert reverse("admin:logistics_attendance", args=[forum_today.pk]) in link.content.decode()


def test_certificates_are_sent_after_the_event(forum_today, door_staff, after_commit):
    from logistics import jobs

    came = DelegateFactory(event=forum_today, full_name=KAZAKH_NAME)
    DelegateFactory(event=forum_today, full_name="Absent Two")
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=came.pk))
    services.check_in(badge=badge, by=door_staff)

    with after_commit():
        assert jobs.send_certificates(forum_today.pk) == 1
    assert jobs.send_certificates(forum_today.pk) == 0  # not twice
    (message,) = [m for m in mail.outbox if "certificate" in m.subject.lower()]
    assert message.to == [came.email]
    assert KAZAKH_NAME in pdf_text(message.attachments[0][1])


def test_certificates_are_sent_from_the_events_list_once_the_event_is_over(
    client, forum_today, organizer, door_staff, after_commit
):
    import datetime

    from django.utils import timezone

    came = DelegateFactory(event=forum_today)
    (badge,) = services.badges_for_delegates(Delegate.objects.filter(pk=came.pk))
    services.check_in(badge=badge, by=door_staff)
    client.force_login(organizer)
    url = reverse("admin:events_event_changelist")

    response = _action(
        client, "send_certificates", [forum_today.pk], url, after_commit=after_commit
    )
    assert "is not over yet" in response.content.decode()
    assert not came.__class__.objects.filter(certificate__isnull=False).exists()

    forum_today.end_date = timezone.localdate() - datetime.timedelta(days=1)
    forum_today.start_date = forum_today.end_date - datetime.timedelta(days=2)
    forum_today.save()
    response = _action(
        client, "send_certificates", [forum_today.pk], url, after_commit=after_commit
    )
    assert "are with the worker" in response.content.decode()
    assert [m.to for m in mail.outbox if "certificate" in m.subject.lower()] == [[came.email]]
