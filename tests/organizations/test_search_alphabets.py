"""Queries typed in each of the network's alphabets find the organization, whatever script or
romanisation its name was registered in; the review's duplicate check folds the same way.

Kazakh (ә ғ қ ң ө ұ ү һ і), Kyrgyz (ң ө ү), Tajik (ғ ӣ қ ӯ ҳ ҷ), Turkmen (ç ä ž ň ö ş ü ý) and
Uzbek in Latin (oʻ gʻ, with the letter ʻ U+02BB, the apostrophe ' or the quotation mark ‘ that
keyboards give) and in Cyrillic (ў қ ғ ҳ). On SQLite and on PostgreSQL (its own `portal_fold`).
"""

import pytest
from django.urls import reverse

from organizations.models import Organization
from organizations.text import normalize_name
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("organizations:list")

# (registered name, queries that must find it)
CASES = [
    # Kazakh: the Cyrillic name found in Cyrillic and in the usual Latin spellings.
    ("Әйелдер құқығы орталығы", ["әйелдер құқығы", "Aielder kukygy", "Äielder qūqyğy"]),
    ("Жаңа өмір қоғамы", ["жаңа өмір", "Zhana omir", "Jaña ömir", "qogamy"]),
    ("Ұлттық үн", ["ұлттық", "Ulttyq un", "Ūlttyq ün"]),
    ("Һәм білім", ["һәм", "Ham bilim", "Häm bilim"]),
    # Kyrgyz.
    ("Өнүгүү борбору", ["өнүгүү", "Onuguu borboru", "Önügüü"]),
    ("Жаңы муун", ["жаңы муун", "Jany muun", "Zhany"]),
    # Tajik.
    ("Ҷомеаи шаҳрвандӣ", ["ҷомеаи", "Jomeai shahrvandi", "Dzhomeai"]),
    ("Ғамхории ӯ", ["ғамхорӣ", "Gamkhorii u", "ghamhorii"]),
    ("Ҳуқуқи инсон", ["ҳуқуқ", "Huquqi inson", "Khukuki"]),
    # Turkmen: the Latin name with its letters, found without them and in Cyrillic.
    ("Çagalar öýi", ["çagalar", "Chagalar oyi", "Чагалар"]),
    ("Ýaşlar merkezi", ["ýaşlar", "Yashlar", "Яшлар"]),
    ("Ženler birleşigi", ["ženler", "Zhenler birleshigi", "Женлер"]),
    ("Täze ňagyş", ["täze", "Taze nagysh", "Тазе"]),
    ("Ösüş we ülüş", ["ösüş", "Osush", "ulush"]),
    # Uzbek: oʻ and gʻ however the apostrophe was typed, and the Cyrillic spelling.
    ("Oʻzbekiston yoshlari", ["Oʻzbekiston", "O'zbekiston", "O‘zbekiston", "Ozbekiston"]),
    ("Gʻalaba uyi", ["Gʻalaba", "G'alaba", "G‘alaba", "Galaba", "Ғалаба"]),
    ("Ўзбекистон аёллари", ["Oʻzbekiston", "O'zbekiston ayollari", "ўзбекистон"]),
    ("Qoʻqon shahri", ["Qoʻqon", "Qo'qon", "Қўқон", "Kokon"]),
]


def _found(client, query):
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    return [organization.name for organization in response.context["organizations"]]


@pytest.mark.parametrize(("name", "queries"), CASES, ids=[name for name, _ in CASES])
def test_a_query_in_any_alphabet_finds_the_organization(client, name, queries):
    OrganizationFactory(name=name, country="UZ")
    OrganizationFactory(name="Unrelated Mountain Society", country="KG")

    for query in queries:
        assert _found(client, query) == [name], query


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Жаңа өмір", "Zhana Omir"),
        ("Ҷомеаи шаҳрвандӣ", "Jomeai Shahrvandi"),
        ("Ýaşlar merkezi", "Яшлар меркези"),
        ("Oʻzbekiston yoshlari", "O'zbekiston yoshlari"),
        ("O‘zbekiston yoshlari", "Ўзбекистон ёшлари"),
        ("Gʻalaba", "Ғалаба"),
    ],
)
def test_the_duplicate_check_sees_one_name_in_two_alphabets(first, second):
    assert normalize_name(first) == normalize_name(second)
    OrganizationFactory(name=first, registration_number="")
    OrganizationFactory(name=second, registration_number="")

    flags = Organization.objects.with_duplicate_flags().order_by("pk")

    assert [row.duplicate_name for row in flags] == [True, True]
    assert [row.duplicate_of for row in flags] == [second, first]


def test_different_names_are_not_duplicates():
    OrganizationFactory(name="Ýaşlar merkezi", registration_number="")
    OrganizationFactory(name="Yashil merkez", registration_number="")

    assert not any(row.duplicate_name for row in Organization.objects.with_duplicate_flags())
