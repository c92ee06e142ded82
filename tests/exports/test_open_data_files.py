"""The open-data CSV and JSON as prepared files: built once, served with ETag and gzip, rebuilt
(debounced) after a change, and never a 500 or an empty file before or between builds."""

import csv
import datetime
import gzip
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from exports import opendata_files, tasks
from exports.models import PreparedExport
from organizations.models import Organization
from tests.factories import FocusAreaFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CSV_URL = reverse("organizations:open-data-csv")
JSON_URL = reverse("organizations:open-data-json")


def body(response):
    return b"".join(response.streaming_content)


def names(data):
    return [row["name"] for row in csv.DictReader(io.StringIO(data.decode()))]


@pytest.fixture
def with_worker(settings, monkeypatch):
    """As with a broker: changes queue a rebuild instead of the request building the file."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(
        tasks.rebuild_open_data, "apply_async", lambda **kwargs: queued.append(kwargs)
    )
    return queued


def test_first_request_builds_the_file_and_the_next_is_served_from_it(client):
    OrganizationFactory(name="Zhasyl Qala")

    first = client.get(CSV_URL)
    prepared = PreparedExport.objects.get(kind="csv")
    second = client.get(CSV_URL)

    assert isinstance(first, FileResponse)
    assert names(body(first)) == ["Zhasyl Qala"]
    assert body(second) == default_storage.open(prepared.path).read()
    assert PreparedExport.objects.get(kind="csv").built_at == prepared.built_at
    assert second["ETag"] == f'"{prepared.etag}"'
    assert second["Content-Disposition"] == 'attachment; filename="organizations.csv"'
    assert second["Access-Control-Allow-Origin"] == "*"
    assert "Last-Modified" in second


def test_revalidation_answers_304_and_gzip_is_the_same_file(client):
    OrganizationFactory(name="Zhasyl Qala")
    plain = client.get(CSV_URL)

    not_modified = client.get(CSV_URL, headers={"if-none-match": plain["ETag"]})
    packed = client.get(CSV_URL, headers={"accept-encoding": "gzip, br"})

    assert not_modified.status_code == 304
    assert not_modified["ETag"] == plain["ETag"]
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    assert gzip.decompress(body(packed)) == body(plain)


def test_a_change_makes_the_next_request_serve_the_new_data(client):
    OrganizationFactory(name="Zhasyl Qala")
    assert names(body(client.get(CSV_URL))) == ["Zhasyl Qala"]

    OrganizationFactory(name="Bishkek Voices")
    hidden = OrganizationFactory(name="Hidden Org")
    hidden.visibility = Organization.Visibility.HIDDEN
    hidden.save()

    assert names(body(client.get(CSV_URL))) == ["Bishkek Voices", "Zhasyl Qala"]


def test_a_renamed_focus_area_is_a_change(client):
    area = FocusAreaFactory(slug="water")
    OrganizationFactory(focus_areas=[area])
    before = client.get(CSV_URL)["ETag"]

    area.slug = "clean-water"
    area.save()
    after = client.get(CSV_URL)

    assert after["ETag"] != before
    assert "clean-water" in body(after).decode()


def test_json_is_prepared_too_with_its_metadata(client):
    OrganizationFactory(name="Zhasyl Qala")

    response = client.get(JSON_URL)

    assert isinstance(response, FileResponse)
    data = json.loads(body(response))
    assert data["metadata"]["count"] == 1
    assert data["metadata"]["source"] == "http://testserver/organizations/"
    assert [row["name"] for row in data["organizations"]] == ["Zhasyl Qala"]
    assert PreparedExport.objects.filter(kind="json").exists()


def test_filtered_exports_stay_dynamic(client):
    OrganizationFactory(name="Zhasyl Qala", country="KZ")
    OrganizationFactory(name="Bishkek Voices", country="KG")

    response = client.get(CSV_URL, {"country": "KG"})

    assert isinstance(response, StreamingHttpResponse)
    assert not isinstance(response, FileResponse)
    assert names(body(response)) == ["Bishkek Voices"]
    assert not PreparedExport.objects.exists()


def test_changes_queue_one_rebuild_after_the_delay(
    settings, with_worker, django_capture_on_commit_callbacks
):
    settings.OPEN_DATA_REBUILD_DELAY = 7

    with django_capture_on_commit_callbacks(execute=True):
        organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        organization.name = "Renamed"
        organization.save()
        OrganizationFactory()

    assert with_worker == [{"countdown": 7}]

    tasks.rebuild_open_data.run()  # the worker, once the delay is over
    assert PreparedExport.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        organization.save()

    assert with_worker == [{"countdown": 7}, {"countdown": 7}]


def test_a_change_rolled_back_queues_nothing(with_worker, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sid = transaction.savepoint()
        OrganizationFactory()
        transaction.savepoint_rollback(sid)
        transaction.set_rollback(True)

    assert with_worker == []


def test_with_a_worker_the_previous_file_is_served_while_it_is_rebuilt(client, with_worker):
    OrganizationFactory(name="Zhasyl Qala")
    opendata_files.rebuild()
    OrganizationFactory(name="Bishkek Voices")  # not rebuilt yet

    response = client.get(CSV_URL)

    assert isinstance(response, FileResponse)
    assert names(body(response)) == ["Zhasyl Qala"]
    assert len(with_worker) == 1  # and the rebuild is asked for
    opendata_files.rebuild()  # the worker
    assert names(body(client.get(CSV_URL))) == ["Bishkek Voices", "Zhasyl Qala"]


def test_with_a_worker_overdue_a_stale_file_gives_way_to_the_dynamic_answer(
    client, with_worker, settings
):
    from exports.models import OpenDataVersion

    OrganizationFactory(name="Zhasyl Qala")
    opendata_files.rebuild()
    OrganizationFactory(name="Bishkek Voices")
    overdue = settings.OPEN_DATA_REBUILD_DELAY + opendata_files.STALE_GRACE_SECONDS + 1
    OpenDataVersion.objects.update(changed_at=timezone.now() - datetime.timedelta(seconds=overdue))

    response = client.get(CSV_URL)

    assert not isinstance(response, FileResponse)
    assert names(body(response)) == ["Bishkek Voices", "Zhasyl Qala"]


def test_a_current_file_is_trusted_for_a_while_and_a_change_is_seen_at_once(
    client, settings, django_assert_max_num_queries
):
    settings.OPEN_DATA_CHECK_SECONDS = 60
    OrganizationFactory(name="Zhasyl Qala")
    client.get(CSV_URL)

    with django_assert_max_num_queries(1):  # the version only
        body(client.get(CSV_URL))
    OrganizationFactory(name="Bishkek Voices")

    assert names(body(client.get(CSV_URL))) == ["Bishkek Voices", "Zhasyl Qala"]


def test_with_a_worker_before_the_first_build_the_answer_is_dynamic(client, with_worker):
    OrganizationFactory(name="Zhasyl Qala")

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert names(body(response)) == ["Zhasyl Qala"]
    assert not PreparedExport.objects.exists()
    assert len(with_worker) == 1


def test_a_broker_that_is_down_costs_the_file_not_the_answer(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(**kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.rebuild_open_data, "apply_async", refuse)
    OrganizationFactory(name="Zhasyl Qala")

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert names(body(response)) == ["Zhasyl Qala"]
    # Not marked as queued: the next request asks again.
    assert opendata_files.schedule_rebuild() is False
    monkeypatch.setattr(tasks.rebuild_open_data, "apply_async", lambda **kwargs: None)
    assert opendata_files.schedule_rebuild() is True


def test_a_missing_file_falls_back_to_the_dynamic_answer(client, settings):
    OrganizationFactory(name="Zhasyl Qala")
    client.get(CSV_URL)
    prepared = PreparedExport.objects.get(kind="csv")
    default_storage.delete(prepared.path)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # nothing rebuilds it in the request

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert names(body(response)) == ["Zhasyl Qala"]
    # Forgotten: built again by the next request (in-process here), served from its file again.
    assert not PreparedExport.objects.filter(kind="csv").exists()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    again = client.get(CSV_URL)
    assert names(body(again)) == ["Zhasyl Qala"]
    rebuilt = PreparedExport.objects.get(kind="csv")
    assert default_storage.exists(rebuilt.path)
    assert isinstance(again, FileResponse)  # the prepared file itself


def test_rebuilds_keep_the_previous_file_and_delete_older_ones(
    django_capture_on_commit_callbacks,
):
    paths = []
    for name in ("One", "Two", "Three"):
        OrganizationFactory(name=name)
        with django_capture_on_commit_callbacks(execute=True):
            paths.append(opendata_files.build("csv").path)

    assert len(set(paths)) == 3
    assert not default_storage.exists(paths[0])
    assert default_storage.exists(paths[1])
    assert default_storage.exists(paths[2])


def test_prepared_file_is_served_in_few_queries(client, django_assert_max_num_queries):
    OrganizationFactory.create_batch(5)
    client.get(CSV_URL)

    with django_assert_max_num_queries(4):
        response = client.get(CSV_URL)
        body(response)


def test_while_another_request_builds_it_the_previous_file_is_served(client):
    from django.core.cache import cache

    OrganizationFactory(name="Zhasyl Qala")
    client.get(CSV_URL)
    OrganizationFactory(name="Bishkek Voices")
    cache.add(opendata_files.BUILDING_KEY.format(kind="csv"), 1, 60)  # someone is building

    response = client.get(CSV_URL)

    assert isinstance(response, FileResponse)
    assert names(body(response)) == ["Zhasyl Qala"]
