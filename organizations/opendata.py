"""The public directory as open data: CSV and JSON, public fields of public, approved
organizations only, streamed so that ten thousand rows never sit in memory at once.

Identifiers follow the org-id.guide convention (`<list>-<identifier>`): the national
registration number where the country has a scheme and the number has its form, otherwise the
portal's own stable identifier under the portal's list `XM-CSP` (XM: not bound to one country).
"""

import csv
import hashlib
import json
import re
from collections import defaultdict
from itertools import islice

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries

from .models import Organization
from .services import MANY_TO_MANY, REVIEWED_FIELDS

PUBLISHER = "EU–Central Asia Civil Society Portal"
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PORTAL_LIST = "XM-CSP"
# Bumped when the exported fields change, so that cached copies are revalidated.
FORMAT_VERSION = "1"

# Country → (org-id list, the form of a valid number).
NATIONAL_LISTS = {
    "KZ": ("KZ-BIN", re.compile(r"\d{12}")),
    "KG": ("KG-INN", re.compile(r"\d{14}")),
    "TJ": ("TJ-TIN", re.compile(r"\d{9,10}")),
    "UZ": ("UZ-STIR", re.compile(r"\d{9}")),
}

IDENTIFIER_SCHEME = {
    "format": "org-id.guide: <list code>-<identifier>",
    "lists": {
        "KZ-BIN": "Kazakhstan: Business Identification Number (BIN), 12 digits",
        "KG-INN": "Kyrgyz Republic: Taxpayer Identification Number (INN), 14 digits",
        "TJ-TIN": "Tajikistan: Taxpayer Identification Number (TIN/INN), 9 or 10 digits",
        "UZ-STIR": "Uzbekistan: Taxpayer Identification Number (STIR/INN), 9 digits",
        PORTAL_LIST: (
            "This portal's own list, for organizations without a national number in the "
            "portal (Turkmenistan, registration under way): XM-CSP-<portal identifier>, a "
            "UUID that never changes"
        ),
    },
    "note": (
        "`identifier` is the national one where known, else the portal one; "
        "`portal_identifier` is always present and stable."
    ),
}

FIELDS = [
    "identifier",
    "portal_identifier",
    "name",
    "name_local",
    "acronym",
    "country",
    "country_name",
    "city",
    "legal_form",
    "year_founded",
    "focus_areas",
    "sdgs",
    "working_languages",
    "description",
    "website",
    "public_email",
    "profile_url",
    "verified_since",
    "last_updated",
]
LANGUAGE_CODES = set(Organization.Language.values)
# Free text typed by organizations; a spreadsheet would run "=..." as a formula.
_TEXT_FIELDS = {"name", "name_local", "acronym", "city", "description"}


# The whole directory's files prepared in advance: set by the app that prepares them
# (exports/apps.py), so that this app imports nothing from the apps above it.
_prepared_source = None


def set_prepared_source(function):
    """`function(request, kind, headers=...)` answers with a prepared file, or None."""
    global _prepared_source
    _prepared_source = function


def prepared_response(request, kind, *, headers):
    return _prepared_source(request, kind, headers=headers) if _prepared_source else None


def portal_identifier(public_id):
    return f"{PORTAL_LIST}-{public_id}"


def identifier(*, country, registration_number, public_id):
    national = NATIONAL_LISTS.get(str(country))
    number = re.sub(r"[\s-]", "", registration_number or "")
    if national and national[1].fullmatch(number):
        return f"{national[0]}-{number}"
    return portal_identifier(public_id)


def summary(queryset):
    """The cheap question a client's re-check needs answered: how many, changed when."""
    return queryset.order_by().aggregate(count=Count("pk"), last_modified=Max("updated_at"))


def etag(kind, query_string, state):
    last = state["last_modified"].isoformat() if state["last_modified"] else "-"
    key = f"{FORMAT_VERSION}|{kind}|{query_string}|{state['count']}|{last}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# Read as plain values, not model instances: ten thousand rows stream in about a second. The
# public profile's fields but the phone, the logo and the size band; focus areas and SDGs are
# read apart, a chunk at a time.
_NOT_EXPORTED = {"phone", "logo", "size_band", *MANY_TO_MANY}
_COLUMNS = [
    "pk",
    "public_id",
    "slug",
    *(field for field in REVIEWED_FIELDS if field not in _NOT_EXPORTED),
    "approved_at",
    "updated_at",
]
CHUNK = 1000


def record(row, *, focus_areas, sdgs, profile_url, country_names):
    return {
        "identifier": identifier(
            country=row["country"],
            registration_number=row["registration_number"],
            public_id=row["public_id"],
        ),
        "portal_identifier": portal_identifier(row["public_id"]),
        "name": row["name"],
        "name_local": row["name_local"],
        "acronym": row["acronym"],
        "country": row["country"],
        "country_name": country_names.get(row["country"], ""),
        "city": row["city"],
        "legal_form": row["legal_form"],
        "year_founded": row["year_founded"],
        "focus_areas": focus_areas,
        "sdgs": sdgs,
        "working_languages": [
            code for code in row["working_languages"] or [] if code in LANGUAGE_CODES
        ],
        "description": row["description"],
        "website": row["website"],
        "public_email": row["public_email"],
        "profile_url": profile_url,
        "verified_since": (
            timezone.localtime(row["approved_at"]).date().isoformat()
            if row["approved_at"]
            else None
        ),
        "last_updated": row["updated_at"].isoformat(),
    }


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _related(through, column, ids, *, order_by):
    values = defaultdict(list)
    rows = (
        through.objects.filter(organization_id__in=ids)
        .order_by("organization_id", *order_by)
        .values_list("organization_id", column)
    )
    for organization_id, value in rows:
        values[organization_id].append(value)
    return values


def _records(queryset, base_url):
    # The data is the same whatever the visitor's language: names in English.
    with translation.override("en"):
        country_names = {code: str(name) for code, name in countries}
    profile_path = reverse("organizations:detail", kwargs={"slug": "slug-placeholder"})
    rows = queryset.order_by("name", "pk").values(*_COLUMNS).iterator(chunk_size=CHUNK)
    for chunk in _chunks(rows, CHUNK):
        ids = [row["pk"] for row in chunk]
        focus_areas = _related(
            Organization.focus_areas.through,
            "focusarea__slug",
            ids,
            order_by=["focusarea__order", "focusarea__slug"],
        )
        sdgs = _related(
            Organization.sdgs.through,
            "sustainabledevelopmentgoal_id",
            ids,
            order_by=["sustainabledevelopmentgoal_id"],
        )
        for row in chunk:
            yield record(
                row,
                focus_areas=focus_areas[row["pk"]],
                sdgs=sdgs[row["pk"]],
                profile_url=base_url + profile_path.replace("slug-placeholder", row["slug"]),
                country_names=country_names,
            )


class _Echo:
    def write(self, value):
        return value


def _csv_cell(name, value):
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if value is None:
        return ""
    if name in _TEXT_FIELDS and isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_lines(queryset, base_url):
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for row in _records(queryset, base_url):
        yield writer.writerow([_csv_cell(name, row[name]) for name in FIELDS])


def metadata(*, state, source_url, filters):
    return {
        "title": "EU–Central Asia Civil Society Portal: directory of organizations",
        "publisher": PUBLISHER,
        "source": source_url,
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": PUBLISHER,
        "modified": state["last_modified"].isoformat() if state["last_modified"] else None,
        "count": state["count"],
        "filters": filters,
        "identifier_scheme": IDENTIFIER_SCHEME,
        "fields": FIELDS,
    }


def json_chunks(queryset, base_url, *, meta):
    yield '{"metadata": ' + json.dumps(meta, ensure_ascii=False) + ', "organizations": ['
    for index, row in enumerate(_records(queryset, base_url)):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"
