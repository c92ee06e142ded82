"""The search table: what a visitor types and the name it must find, in every script the five
countries write in (Kazakh, Kyrgyz, Tajik, Uzbek and Russian Cyrillic; Kazakh, Turkmen and
Uzbek Latin; English) and in the common romanisations and typos. Runs on SQLite and on
PostgreSQL alike (the suite runs on both)."""

import pytest

from organizations import search
from organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

NAMES = [
    ("KZ", "Жасыл Қала"),  # Kazakh Cyrillic
    ("KZ", "Ұлы Дала әйелдері"),
    ("KZ", "Jastar Ünı Qoğamdyq Qory"),  # Kazakh Latin (2021 alphabet)
    ("KG", "Кыргыз Жаштар Ассоциациясы"),  # Kyrgyz Cyrillic
    ("KG", "Ассоциация женщин Оша"),  # Russian
    ("TJ", "Ҷамъияти ҳуқуқи инсон"),  # Tajik Cyrillic
    ("TJ", "Маркази Хуҷанд"),
    ("TM", "Ýaşlar Merkezi"),  # Turkmen Latin
    ("TM", "Türkmenistanyň Ekologiýa Jemgyýeti"),
    ("UZ", "Яшил Макон"),  # Uzbek Cyrillic
    ("UZ", "Oʻzbekiston Yoshlari"),  # Uzbek Latin
    ("UZ", "Ferghana Valley Water Forum"),  # English
]

TABLE = [
    # Another script.
    ("Zhasyl Qala", "Жасыл Қала"),
    ("Jasyl Kala", "Жасыл Қала"),
    ("Zhasil", "Жасыл Қала"),
    ("Uly Dala Ayelderi", "Ұлы Дала әйелдері"),
    ("Жастар Үні", "Jastar Ünı Qoğamdyq Qory"),
    ("Zhastar Uni Kogamdyk", "Jastar Ünı Qoğamdyq Qory"),
    ("Kyrgyz Zhashtar Associatsiyasy", "Кыргыз Жаштар Ассоциациясы"),
    ("Kirgiz Jashtar", "Кыргыз Жаштар Ассоциациясы"),
    ("Associatsiya zhenshchin", "Ассоциация женщин Оша"),
    ("Assotsiatsiya zhenshin Osha", "Ассоциация женщин Оша"),
    ("Jamiyati huquqi inson", "Ҷамъияти ҳуқуқи инсон"),
    ("Dzhamiyati", "Ҷамъияти ҳуқуқи инсон"),
    ("Markazi Khujand", "Маркази Хуҷанд"),
    ("Худжанд", "Маркази Хуҷанд"),
    ("Yashlar", "Ýaşlar Merkezi"),
    ("Яшлар меркези", "Ýaşlar Merkezi"),
    ("Turkmenistanyn Ekologiya", "Türkmenistanyň Ekologiýa Jemgyýeti"),
    ("Экология Джемгыети", "Türkmenistanyň Ekologiýa Jemgyýeti"),
    ("Yashil Makon", "Яшил Макон"),
    ("Iashil", "Яшил Макон"),
    ("Ўзбекистон Ёшлари", "Oʻzbekiston Yoshlari"),
    ("Uzbekiston yoshlari", "Oʻzbekiston Yoshlari"),
    ("Фергана", "Ferghana Valley Water Forum"),
    ("Fargona vodiysi", None),
    # One-letter typos, in either script.
    ("Zhasyk Qala", "Жасыл Қала"),
    ("Жасыд", "Жасыл Қала"),
    ("Ýaşlae", "Ýaşlar Merkezi"),
    ("Yoshlsri", "Oʻzbekiston Yoshlari"),
    ("Ferhgana Valley", "Ferghana Valley Water Forum"),
    ("Vallee Watr", "Ferghana Valley Water Forum"),
    ("Маркази Хуҷад", "Маркази Хуҷанд"),
    ("Jemgyyeto", "Türkmenistanyň Ekologiýa Jemgyýeti"),
    # Two typos in a long word.
    ("Assoctiatsiyasi Kirgyz", "Кыргыз Жаштар Ассоциациясы"),
    # Another name finds nothing.
    ("Samarkand", None),
    ("Bukhara Heritage", None),
    ("Qaraqalpaq", None),
]


@pytest.fixture
def network(db):
    for country, name in NAMES:
        OrganizationFactory(name=name, country=country, description="", city="", acronym="")


@pytest.mark.parametrize(("query", "expected"), TABLE)
def test_search_table(network, query, expected):
    """The name is found, and first (a typo may also find a near name further down)."""
    found = search.order_by_relevance(search.matching(Organization.objects.all(), query), query)
    names = [organization.name for organization in found]
    if expected is None:
        assert names == []
    else:
        assert names[:1] == [expected]


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Яшил Макон", "Yashil Makon"),
        ("Ҷамъияти ҳуқуқи инсон", "Jamiyati Huquqi Inson"),
        ("Ýaşlar Merkezi", "Яшлар Меркези"),
        ("Ассоциация женщин Оша", "Associatsiya Zhenshchin Osha"),
        ("Жасыл Қала", "Jasyl Qala"),
    ],
)
def test_duplicate_check_uses_the_same_folding(name, other):
    first = OrganizationFactory(name=name)
    second = OrganizationFactory(name=other, registration_number="")
    flagged = Organization.objects.with_duplicate_flags().get(pk=second.pk)
    assert flagged.duplicate_name
    assert Organization.objects.with_duplicate_flags().get(pk=first.pk).duplicate_name


def test_different_names_are_not_duplicates():
    OrganizationFactory(name="Яшил Макон")
    other = OrganizationFactory(name="Yashlar Merkezi")
    assert not Organization.objects.with_duplicate_flags().get(pk=other.pk).duplicate_name
