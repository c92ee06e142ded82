"""Search whatever the script of the query, on SQLite and on PostgreSQL alike (the suite runs on
both; the typo and `portal_fold` tests are PostgreSQL's own)."""

import pytest
from django.db import connection
from django.urls import reverse

from organizations import search
from organizations.models import Organization
from organizations.text import normalize_name
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

LIST_URL = reverse("organizations:list")

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text and trigram search"
)


def found(query):
    queryset = search.matching(Organization.objects.public(), query)
    return sorted(organization.name for organization in queryset)


def searched(client, query, **params):
    response = client.get(LIST_URL, {"q": query, **params})
    assert response.status_code == 200
    return [organization.name for organization in response.context["organizations"]]


@pytest.fixture
def network(db):
    OrganizationFactory(
        name="Zhasyl Qala",
        name_local="Жасыл Қала",
        acronym="ZQ",
        city="Almaty",
        description="Urban trees and clean air.",
    )
    OrganizationFactory(
        name="Ак Жол Bishkek",
        acronym="AJB",
        country="KG",
        city="Бишкек",
        description="Поддержка молодёжи в горных сёлах.",
    )
    OrganizationFactory(
        name="Pamir Water Users",
        name_local="Истифодабарандагони оби Помир",
        country="TJ",
        city="Khorog",
        description="Irrigation and drinking water for mountain villages.",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Cyrillic query, Latin data.
        ("Алматы", ["Zhasyl Qala"]),
        ("Хорог", ["Pamir Water Users"]),
        # Latin query, Cyrillic data: the local name, the city, the description.
        ("Zhasyl", ["Zhasyl Qala"]),
        ("zhasyl qala", ["Zhasyl Qala"]),
        ("Bishkek", ["Ак Жол Bishkek"]),
        ("Istifodabarandagoni", ["Pamir Water Users"]),
        ("Podderzhka", ["Ак Жол Bishkek"]),
        # The same script.
        ("Жасыл", ["Zhasyl Qala"]),
        ("Қала", ["Zhasyl Qala"]),
        ("Kala", ["Zhasyl Qala"]),
        ("молодёжи", ["Ак Жол Bishkek"]),
        ("Irrigation", ["Pamir Water Users"]),
        ("ZQ", ["Zhasyl Qala"]),
        ("ajb", ["Ак Жол Bishkek"]),
        # Every word must match.
        ("water mountain", ["Pamir Water Users"]),
        ("water almaty", []),
        ("nothing like it", []),
    ],
)
def test_search_finds_whatever_the_script(network, query, expected):
    assert found(query) == expected


def test_search_both_scripts_through_the_directory(client, network):
    assert searched(client, "Алматы") == ["Zhasyl Qala"]
    assert searched(client, "Zhasyl") == ["Zhasyl Qala"]
    assert searched(client, "Бишкек", country="KG") == ["Ак Жол Bishkek"]
    assert searched(client, "Бишкек", country="TJ") == []


def test_search_of_punctuation_only_finds_nothing(network):
    assert found("!!! —") == []


def test_search_empty_query_finds_everything(network):
    assert len(found("   ")) == 3


def test_search_puts_name_matches_first(client):
    OrganizationFactory(name="Clean Air Almaty", description="Air quality.")
    OrganizationFactory(name="Aaa Mountain Schools", description="Also about clean air in towns.")

    assert searched(client, "clean air") == ["Clean Air Almaty", "Aaa Mountain Schools"]


def test_search_never_finds_what_the_visitor_may_not_see(network):
    OrganizationFactory(name="Zhasyl Hidden", visibility=Organization.Visibility.HIDDEN)
    OrganizationFactory(name="Zhasyl Pending", status=Organization.Status.SUBMITTED)

    assert found("Zhasyl") == ["Zhasyl Qala"]


@postgresql_only
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zhasyl Kalla", "Zhasyl Qala"),
        ("Jasyl Kaal", "Zhasyl Qala"),
        ("Pamir Watr", "Pamir Water Users"),
        ("Pamr Water", "Pamir Water Users"),
        ("Истифодабарандагон Помир", "Pamir Water Users"),
    ],
)
def test_search_forgives_typos_on_postgresql(network, query, expected):
    assert found(query) == [expected]


@postgresql_only
def test_search_ranks_by_relevance_on_postgresql(client):
    OrganizationFactory(name="Aral Sea Revival", description="Water of the Aral Sea.")
    OrganizationFactory(name="Aaa Health Network", description="Once visited the Aral Sea.")

    assert searched(client, "Aral Sea") == ["Aral Sea Revival", "Aaa Health Network"]


@postgresql_only
@pytest.mark.parametrize(
    "text",
    [
        "Жасыл Қала",
        "ЖАСЫЛ ҚАЛА",
        "Zhasyl Qala (demo)",
        "Алматы жастар үні",
        "Ұлы Дала әйелдері",
        "Ҷамъияти ҳуқуқ, Ғарм",
        "Oʻzbekiston yoshlari",
        "Türkmenistanyň Ýaşlary",
        "Щучинск, Шымкент, Чу, Цифровые права, Юрта, Ясли, Ёлка, Эко",
        "Ўзбекистон, Қорақалпоғистон",
        "Kyrgyz — «Ала-Тоо» № 5",
        "ÆØÅ æøå Œuvre Straße",
        "Ýaşlar Merkezi, ŞÇŽ çeşme žurnal, Ğarm",
        "Yerlan, Ерлан, Ye ye, Associatsiya 2000, Assotsiatsiya",
        "Dzhambul Djamila Ghafur Shchuka Tsentr Qoʻqon Xorazm Woda",
        "Kallla  aa  bb-bb ll",
    ],
)
def test_portal_fold_is_normalize_name_in_postgresql(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT portal_fold(%s)", [text])
        assert cursor.fetchone()[0] == normalize_name(text)


@postgresql_only
def test_portal_fold_covers_every_central_asian_letter():
    letters = (
        "".join(chr(code) for code in range(0x0410, 0x0450) if chr(code) not in "ЪЬъь")
        + "ӘәҒғҚқҢңӨөҰұҮүҺһІіҲҳҶҷӢӣӮӯЎў"
    )
    text = " ".join(letters)
    with connection.cursor() as cursor:
        cursor.execute("SELECT portal_fold(%s)", [text])
        assert cursor.fetchone()[0] == normalize_name(text)
