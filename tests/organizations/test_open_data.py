import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from tests.factories import OrganizationFactory

# The queries they count never include the page cache's re-reading of its generation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "steady_generation")]

CSV_URL = reverse("organizations:open-data-csv")
JSON_URL = reverse("organizations:open-data-json")


def body(response):
    return b"".join(response.streaming_content).decode()


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response))))


def json_data(response):
    return json.loads(body(response))


@pytest.fixture
def zhasyl(db):
    organization = OrganizationFactory(
        name="Zhasyl Qala",
        name_local="Жасыл Қала",
        acronym="ZQ",
        slug="zhasyl-qala",
        country="KZ",
        city="Almaty",
        registration_number="120540003123",
        legal_form=Organization.LegalForm.FOUNDATION,
        year_founded=2012,
        description="Urban trees, clean air.",
        website="https://zhasyl.example.org",
        public_email="info@zhasyl.example.org",
        working_languages=["kk", "ru"],
        approved_at=datetime.datetime(2024, 3, 5, 8, 0, tzinfo=datetime.UTC),
        focus_areas=[
            FocusArea.objects.get(slug="climate-environment"),
            FocusArea.objects.get(slug="energy"),
        ],
    )
    organization.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[7, 13]))
    return organization


def test_csv_has_public_fields_and_identifiers_in_org_id_form(client, zhasyl):
    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == 'attachment; filename="organizations.csv"'
    [row] = csv_rows(response)
    assert row["identifier"] == "KZ-BIN-120540003123"
    assert row["portal_identifier"] == f"XM-CSP-{zhasyl.public_id}"
    assert row["name"] == "Zhasyl Qala"
    assert row["name_local"] == "Жасыл Қала"
    assert row["country"] == "KZ"
    assert row["country_name"] == "Kazakhstan"
    assert row["legal_form"] == "foundation"
    assert row["year_founded"] == "2012"
    assert row["focus_areas"] == "climate-environment;energy"
    assert row["sdgs"] == "7;13"
    assert row["working_languages"] == "kk;ru"
    assert row["profile_url"] == "http://testserver/organizations/zhasyl-qala/"
    assert row["verified_since"] == "2024-03-05"


def test_json_has_metadata_licence_and_the_identifier_scheme(client, zhasyl):
    response = client.get(JSON_URL)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json_data(response)
    meta = data["metadata"]
    assert meta["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert meta["count"] == 1
    assert set(meta["identifier_scheme"]["lists"]) == {
        "KZ-BIN",
        "KG-INN",
        "TJ-TIN",
        "UZ-STIR",
        "XM-CSP",
    }
    [organization] = data["organizations"]
    assert organization["identifier"] == "KZ-BIN-120540003123"
    assert organization["focus_areas"] == ["climate-environment", "energy"]
    assert organization["sdgs"] == [7, 13]
    assert organization["name_local"] == "Жасыл Қала"
    assert list(organization) == meta["fields"]


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_exports_name_their_licence_in_a_link_header(client, zhasyl, url):
    response = client.get(url)

    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("country", "number", "expected"),
    [
        ("KZ", "120540003123", "KZ-BIN-120540003123"),
        ("KZ", "1205 4000 3123", "KZ-BIN-120540003123"),
        ("KG", "01203200011010", "KG-INN-01203200011010"),
        ("TJ", "520001987", "TJ-TIN-520001987"),
        ("TJ", "5200019870", "TJ-TIN-5200019870"),
        ("UZ", "300014567", "UZ-STIR-300014567"),
        # Without a scheme, without a number, or with a number not in its form: the portal id.
        ("TM", "12345", None),
        ("KZ", "", None),
        ("KZ", "12AB", None),
        ("UZ", "3000145678", None),
    ],
)
def test_identifier_per_country(client, country, number, expected):
    organization = OrganizationFactory(country=country, registration_number=number)

    [row] = csv_rows(client.get(CSV_URL))

    assert row["identifier"] == (expected or f"XM-CSP-{organization.public_id}")


def test_exports_apply_the_directory_filters(client, zhasyl):
    OrganizationFactory(name="Dushanbe Youth", country="TJ")
    OrganizationFactory(name="Almaty Youth", country="KZ", description="Youth clubs.")

    assert [r["name"] for r in csv_rows(client.get(CSV_URL, {"country": "TJ"}))] == [
        "Dushanbe Youth"
    ]
    data = json_data(client.get(JSON_URL, {"q": "Алматы", "focus_area": "energy"}))
    assert [o["name"] for o in data["organizations"]] == ["Zhasyl Qala"]
    assert data["metadata"]["filters"] == {"q": "Алматы", "focus_area": "energy"}
    assert data["metadata"]["count"] == 1


def test_export_with_a_bad_filter_ignores_it(client, zhasyl):
    response = client.get(CSV_URL, {"country": "XX"})

    assert response.status_code == 200
    assert [row["name"] for row in csv_rows(response)] == ["Zhasyl Qala"]


def test_exports_carry_last_modified_and_etag_and_answer_304(client, zhasyl):
    zhasyl.refresh_from_db()
    response = client.get(CSV_URL)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert last_modified == http_date(zhasyl.updated_at.timestamp())
    assert etag.startswith('"') and etag.endswith('"')

    assert client.get(CSV_URL, headers={"if-none-match": etag}).status_code == 304
    assert client.get(CSV_URL, headers={"if-modified-since": last_modified}).status_code == 304
    # Another format or other filters are other documents.
    assert client.get(JSON_URL)["ETag"] != etag
    assert client.get(CSV_URL, {"country": "KZ"})["ETag"] != etag


def test_export_etag_changes_when_the_data_changes(client, zhasyl):
    etag = client.get(JSON_URL)["ETag"]

    OrganizationFactory()
    after_new = client.get(JSON_URL)["ETag"]
    assert after_new != etag

    Organization.objects.filter(pk=zhasyl.pk).update(visibility=Organization.Visibility.HIDDEN)
    assert client.get(JSON_URL)["ETag"] != after_new


def test_exports_of_an_empty_directory(client):
    response = client.get(JSON_URL)

    assert response.status_code == 200
    assert "Last-Modified" not in response
    assert json_data(response)["organizations"] == []
    assert csv_rows(client.get(CSV_URL)) == []


def test_csv_defuses_spreadsheet_formulas(client):
    OrganizationFactory(name="=HYPERLINK(1)", city="+Almaty")

    [row] = csv_rows(client.get(CSV_URL))

    assert row["name"] == "'=HYPERLINK(1)"
    assert row["city"] == "'+Almaty"


def test_exports_are_the_same_in_every_language(client, zhasyl):
    english = body(client.get(CSV_URL))
    russian = body(client.get(CSV_URL, headers={"accept-language": "ru"}))

    assert english == russian


def test_exports_only_accept_get_and_head(client, zhasyl):
    assert client.post(CSV_URL).status_code == 405
    assert client.head(JSON_URL).status_code == 200


def test_exports_stream_many_organizations_in_chunks(client, django_assert_max_num_queries):
    OrganizationFactory.create_batch(30)

    with django_assert_max_num_queries(10):
        rows = csv_rows(client.get(CSV_URL))

    assert len(rows) == 30
    assert len({row["portal_identifier"] for row in rows}) == 30


def test_json_export_query_count_does_not_grow(client, django_assert_num_queries):
    climate = FocusArea.objects.get(slug="climate-environment")
    goal = SustainableDevelopmentGoal.objects.get(pk=13)

    def add(count):
        for _ in range(count):
            OrganizationFactory(focus_areas=[climate]).sdgs.add(goal)

    add(1)
    with CaptureQueriesContext(connection) as one:
        json_data(client.get(JSON_URL))
    add(29)

    with django_assert_num_queries(len(one.captured_queries)):
        data = json_data(client.get(JSON_URL))

    records = data["organizations"]
    assert len(records) == 30
    assert all(
        (record["focus_areas"], record["sdgs"]) == (["climate-environment"], [13])
        for record in records
    )
