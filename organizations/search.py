"""Finding organizations whatever the script of the query.

Query and data are compared in one form: `organizations.text.normalize_name`, which turns
"Жасыл Қала", "Zhasyl Qala" and "ZHASYL KALA" into the same Latin key. The database knows the
same function as `portal_fold`: on PostgreSQL a SQL function (portal/migrations/0001_search.py),
on SQLite the Python function itself, registered on the connection. So a Latin query finds a
Cyrillic city or description and the other way round, on both databases.

On PostgreSQL, full-text search (every word as a prefix) over an index of the folded texts, and
trigram similarity to the folded name for typos and for ranking; no text is folded at query
time, so a search stays fast with ten thousand organizations. SQLite matches every word of the
query as a substring of the folded texts and puts name matches first.

On both, a typo in a name is forgiven (`typo_matches`): every word of the query of four letters
or more may be one edit (two from eight letters) away from a word of the folded name, or begin
one; shorter words must begin one. RapidFuzz compares the query's words with the distinct words
of the folded names, in C, so ten thousand organizations take a few milliseconds.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.functions import Concat
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from portal.cache import remember

from .text import normalize_name

# Below this many letters a trigram match is mostly noise ("art" in "party").
TYPO_MIN_LENGTH = 4
TYPO_MAX_MATCHES = 5000


class Fold(Func):
    """normalize_name, computed by the database."""

    function = "portal_fold"
    output_field = TextField()


def query_words(query):
    return normalize_name(query).split()


def _register_sqlite_fold(connection):
    connection.ensure_connection()
    connection.connection.create_function("portal_fold", 1, normalize_name, deterministic=True)


def _matching_sqlite(queryset, words, typo_pks):
    queryset = queryset.alias(
        search_key=Fold(
            Concat(
                "name",
                Value(" "),
                "name_local",
                Value(" "),
                "acronym",
                Value(" "),
                "city",
                Value(" "),
                "description",
                output_field=TextField(),
            )
        )
    )
    condition = Q()
    for word in words:
        condition &= Q(search_key__contains=word)
    if typo_pks:
        condition |= Q(pk__in=typo_pks)
    return queryset.filter(condition)


class SearchDocument(Func):
    """The folded texts as a tsvector: the expression the GIN index of portal/migrations/0001
    keeps, written the same way so that PostgreSQL uses the index."""

    function = "portal_search_document"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("name"), F("name_local"), F("acronym"), F("city"), F("description"))


def _matching_postgresql(queryset, words, typo_pks):
    folded = " ".join(words)
    # Every word, as a prefix: "digit" finds "digital". The words are [a-z0-9]+ only.
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    everyone = queryset.model._base_manager
    # Two subqueries rather than one OR: each is answered by its own index, and a row the
    # trigram index only suggests is rechecked on its short name, never on its folded texts.
    condition = Q(
        pk__in=everyone.alias(document=SearchDocument()).filter(document=query).values("pk")
    )
    if len(folded) >= TYPO_MIN_LENGTH:
        # pg_trgm's %> (word similarity above 0.6), served by the trigram index.
        condition |= Q(
            pk__in=everyone.filter(normalized_name__trigram_word_similar=folded).values("pk")
        )
    if typo_pks:
        condition |= Q(pk__in=typo_pks)
    return queryset.filter(condition)


def _allowed_edits(word):
    if len(word) < TYPO_MIN_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


def _near_words(word, vocabulary):
    """The words of `vocabulary` (a list) that `word` may stand for: a typo away, or a typo
    away from their beginning."""
    edits = _allowed_edits(word)
    near = {v for v in vocabulary if v.startswith(word)}
    if edits:
        beginnings = [v[: len(word)] for v in vocabulary]
        for candidates in (vocabulary, beginnings):
            for _choice, _distance, index in process.extract(
                word, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
            ):
                near.add(vocabulary[index])
    return near


def _name_index(queryset):
    """{word: [pk, ...]} of the folded names of `queryset` (numbers left out)."""
    postings = {}
    for pk, name in queryset.order_by().values_list("pk", "normalized_name"):
        # Numbers are left to the exact match: a typo in "2025" is another year.
        for word in set(name.split()):
            if not word.isdigit():
                postings.setdefault(word, []).append(pk)
    return postings


def typo_matches(queryset, query, *, shared=False):
    """Primary keys of the organizations of `queryset` whose name `query` finds despite typos
    (an empty list when the query has no word of four letters or more: nothing to forgive).

    The index of the names' words is built once per change to the public directory when
    `queryset` is the public directory (`shared`), and for each call otherwise."""
    words = query_words(query or "")
    if not any(_allowed_edits(word) for word in words):
        return []
    if shared:
        postings = remember(["directory"], ("directory-name-index",), lambda: _name_index(queryset))
    else:
        postings = _name_index(queryset)
    vocabulary = list(postings)
    found = None
    for word in dict.fromkeys(words):
        near = _near_words(word, vocabulary)
        if not near:
            return []
        pks = {pk for near_word in near for pk in postings[near_word]}
        found = pks if found is None else found & pks
        if not found:
            return []
    # Thousands of near names: the words are too common for a typo to tell them apart, and the
    # list would become a huge SQL parameter list; the exact matches still apply.
    return sorted(found) if len(found) <= TYPO_MAX_MATCHES else []


def matching(queryset, query, *, using="default", typo_pks=None):
    """Organizations of `queryset` that `query` finds (all of them for an empty query).

    `typo_pks` (from `typo_matches`, computed once for a page that filters several querysets)
    adds the organizations whose name the query finds despite typos.

    A query with nothing searchable in it (only punctuation) finds nothing rather than
    everything: the visitor asked for something."""
    if not query or not query.strip():
        return queryset
    words = query_words(query)
    if not words:
        return queryset.none()
    if typo_pks is None:
        typo_pks = typo_matches(queryset, query)
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _matching_postgresql(queryset, words, typo_pks)
    if connection.vendor == "sqlite":
        _register_sqlite_fold(connection)
    return _matching_sqlite(queryset, words, typo_pks)


def order_by_relevance(queryset, query, *, using="default"):
    """Best matches first: the closer the name, the higher (cheap: the stored folded name)."""
    words = query_words(query or "")
    if not words:
        return queryset
    folded = " ".join(words)
    if connections[using].vendor == "postgresql":
        relevance = TrigramWordSimilarity(Value(folded), "normalized_name")
    else:
        relevance = Case(
            When(normalized_name__contains=folded, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return queryset.annotate(relevance=relevance).order_by("-relevance", "name", "pk")
