"""Organizers' large exports: prepared in the background with progress, downloaded only by the
organizer who asked for them."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from exports import jobs, tasks
from exports.models import ExportJob
from organizations.roles import coordinator_appoint
from tests.factories import DelegateFactory, EventFactory, OrganizationFactory, StaffFactory

pytestmark = pytest.mark.django_db

DELEGATES_CSV = reverse("admin:events_delegate_export_csv")
DELEGATES_XLSX = reverse("admin:events_delegate_export_xlsx")
ORGANIZATIONS_CSV = reverse("admin:organizations_organization_export_csv")


def _organizer(username):
    user = StaffFactory(username=username)
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["events", "organizations"])
    )
    user.groups.add(group)
    return user


@pytest.fixture
def organizer(db):
    return _organizer("organizer")


@pytest.fixture
def delegates(db):
    event = EventFactory(slug="sixth-forum")
    kz = OrganizationFactory(name="Zhasyl Qala", country="KZ")
    kg = OrganizationFactory(name="Bishkek Voices", country="KG")
    return [
        DelegateFactory(event=event, organization=kz, full_name="Aigerim Sadykova"),
        DelegateFactory(event=event, organization=kz, full_name="Nurlan Abenov"),
        DelegateFactory(event=event, organization=kg, full_name="Aida Usenova"),
    ]


@pytest.fixture
def in_background(settings, django_capture_on_commit_callbacks):
    """Exports of more than one row go to the worker; `commit` runs what a request queued
    once it is committed (no broker in tests: the task runs in the process)."""
    settings.EXPORT_BACKGROUND_ROWS = 1

    def commit(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(url, data)

    return commit


def csv_names(data, column="Full name"):
    return sorted(row[column] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def download(client, job):
    response = client.get(reverse("admin:exports_exportjob_download", args=[job.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_a_small_export_downloads_at_once(client, organizer, delegates):
    client.force_login(organizer)

    response = client.get(DELEGATES_CSV)

    assert response.status_code == 200
    assert len(csv_names(response.content)) == 3
    assert not ExportJob.objects.exists()


def test_a_large_export_is_prepared_then_downloaded(client, organizer, delegates, in_background):
    client.force_login(organizer)

    response = in_background(client, DELEGATES_CSV, {"country": "KZ"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:exports_exportjob_status", args=[job.pk])
    assert job.status == ExportJob.Status.DONE  # no broker in tests: it ran at once
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"is ready" in page.content
    assert b'http-equiv="refresh"' not in page.content
    status, data = download(client, job)
    assert status.status_code == 200
    assert status["Content-Type"] == "text/csv; charset=utf-8"
    assert status["Content-Disposition"].startswith('attachment; filename="delegates-')
    assert csv_names(data) == ["Aigerim Sadykova", "Nurlan Abenov"]  # the list's filter held
    assert "no-store" in status["Cache-Control"]


def test_the_excel_export_too(client, organizer, delegates, in_background):
    client.force_login(organizer)

    in_background(client, DELEGATES_XLSX)
    job = ExportJob.objects.get()
    _response, data = download(client, job)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 4  # header and three delegates
    assert job.filename.endswith(".xlsx")


def test_organizations_export_in_the_background(client, organizer, delegates, in_background):
    client.force_login(organizer)

    in_background(client, ORGANIZATIONS_CSV)
    job = ExportJob.objects.get()
    _response, data = download(client, job)

    assert job.kind == ExportJob.Kind.ORGANIZATIONS_CSV
    assert csv_names(data, "Name") == ["Bishkek Voices", "Zhasyl Qala"]


def test_organizations_export_at_once_when_small(client, organizer, delegates):
    client.force_login(organizer)

    response = client.get(ORGANIZATIONS_CSV, {"country": "KG"})

    assert response.status_code == 200
    assert csv_names(response.content, "Name") == ["Bishkek Voices"]


def test_only_the_organizer_who_asked_may_download(client, organizer, delegates, in_background):
    client.force_login(organizer)
    in_background(client, DELEGATES_CSV)
    job = ExportJob.objects.get()

    client.force_login(_organizer("colleague"))
    status = client.get(reverse("admin:exports_exportjob_status", args=[job.pk]))
    response, _data = download(client, job)
    listing = client.get(reverse("admin:exports_exportjob_changelist"))

    assert status.status_code == 404
    assert response.status_code == 404
    assert str(job.pk) not in listing.content.decode()


def test_no_download_once_the_permission_is_gone(client, organizer, delegates, in_background):
    client.force_login(organizer)
    in_background(client, DELEGATES_CSV)
    job = ExportJob.objects.get()

    organizer.groups.clear()
    response, _data = download(client, job)

    assert response.status_code == 404


def test_signed_out_visitors_get_the_login_page(client, organizer, delegates, in_background):
    client.force_login(organizer)
    in_background(client, DELEGATES_CSV)
    job = ExportJob.objects.get()
    client.logout()

    response, _data = download(client, job)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_coordinator_exports_their_countries_only(client, delegates, in_background):
    coordinator = StaffFactory(username="kz-coordinator")
    coordinator_appoint(user=coordinator, countries=["KZ"])
    client.force_login(coordinator)
    in_background(client, DELEGATES_CSV)

    job = ExportJob.objects.get()
    _response, data = download(client, job)

    assert csv_names(data) == ["Aigerim Sadykova", "Nurlan Abenov"]


def test_progress_is_shown_while_it_is_prepared(client, organizer):
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.DELEGATES_CSV,
        requested_by=organizer,
        status=ExportJob.Status.RUNNING,
        total=1000,
        done=250,
    )
    client.force_login(organizer)

    page = client.get(reverse("admin:exports_exportjob_status", args=[job.pk]))
    response, _data = download(client, job)

    html = page.content.decode()
    assert '<progress id="export-progress" max="100" value="25">' in html
    assert "250 of 1000 rows" in html
    assert 'http-equiv="refresh"' in html
    assert response.status_code == 404  # nothing to download yet


def test_the_worker_reports_progress_as_it_goes(organizer, delegates, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1)
    seen = []
    original = ExportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        seen.append(queryset.values_list("done", flat=True).first())
        return queryset

    job = ExportJob.objects.create(kind=ExportJob.Kind.DELEGATES_CSV, requested_by=organizer)
    monkeypatch.setattr(ExportJob.objects, "filter", spy)
    tasks.run_export_job.run(str(job.pk))

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.done, job.total) == (3, 3)
    assert {1, 2} <= set(seen)


def test_a_broker_that_is_down_fails_the_job_and_says_so(
    client, organizer, delegates, in_background, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.run_export_job, "delay", refuse)
    client.force_login(organizer)

    response = in_background(client, DELEGATES_CSV)
    page = client.get(response["Location"])

    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert b"The export failed" in page.content


def test_expired_exports_are_deleted_with_their_file(organizer, settings):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    job = ExportJob.objects.create(kind=ExportJob.Kind.DELEGATES_CSV, requested_by=organizer)
    job.file.save("old.csv", ContentFile(b"x"))
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)
    )
    storage, name = job.file.storage, job.file.name

    jobs.delete_expired()

    assert not ExportJob.objects.exists()
    assert not storage.exists(name)


def test_exports_are_never_under_the_public_media(settings, organizer):
    from django.core.files.base import ContentFile

    job = ExportJob.objects.create(kind=ExportJob.Kind.DELEGATES_CSV, requested_by=organizer)
    job.file.save("private.csv", ContentFile(b"x"))

    assert not job.file.path.startswith(str(settings.MEDIA_ROOT))


def test_deleting_an_export_in_the_admin_deletes_its_file(
    client, organizer, delegates, in_background
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    client.force_login(organizer)
    in_background(client, DELEGATES_CSV)
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    response = client.post(
        reverse("admin:exports_exportjob_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [job.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    assert not storage.exists(name)
