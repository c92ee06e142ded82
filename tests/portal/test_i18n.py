"""The six catalogues (Russian, Kazakh, Kyrgyz, Tajik, Turkmen, Uzbek) are complete: no string of
the code or templates is left untranslated or fuzzy in any of them, each has its language's
plural forms, and each compiled catalogue is up to date."""

import gettext
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
# Every folder with user-facing text.
SOURCES = ["portal", "organizations", "events", "templates"]
# Each catalogue's plural forms: those of Django's own catalogue of the language (Russian: the
# usual three forms, one, few and many).
PLURAL_FORMS = {
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<12 || n%100>14) ? 1 : 2);"
    ),
    "kk": "nplurals=2; plural=(n!=1);",
    "ky": "nplurals=1; plural=0;",
    "tg": "nplurals=2; plural=(n != 1);",
    "tk": "nplurals=2; plural=(n != 1);",
    "uz": "nplurals=1; plural=0;",
}
LANGUAGES = list(PLURAL_FORMS)


def catalogue_path(language):
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def _catalogue(language):
    path = catalogue_path(language)
    if not path.is_file():
        pytest.fail(f"locale/{language}/LC_MESSAGES/django.po is missing (see locale/glossary/)")
    return polib.pofile(str(path))


def _missing(entries):
    return [entry.msgid for entry in entries if not entry.translated() or entry.fuzzy]


def _compiled_text(compiled, entry):
    if entry.msgctxt:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


def _nplurals(header):
    return header.replace(" ", "").split(";")[0]


@pytest.fixture
def refreshed_catalogues(tmp_path, settings, monkeypatch):
    """Each catalogue merged with the strings the code has today, in a scratch project.

    makemessages writes to the locale directory nearest to each source file, so it runs in a
    scratch folder that links to the sources and holds a copy of the catalogues: the
    repository's own catalogues are never touched. One run for all six (it writes scratch files
    next to the templates, so two runs at once would trip over each other). A language whose
    catalogue is missing maps to None.
    """
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("gettext is missing: apt-get install -y gettext")
        pytest.skip("gettext (xgettext) is not installed")
    project = tmp_path / "project"
    present = [language for language in LANGUAGES if catalogue_path(language).is_file()]
    for language in present:
        (project / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(
            catalogue_path(language), project / "locale" / language / "LC_MESSAGES" / "django.po"
        )
    for folder in SOURCES:
        (project / folder).symlink_to(ROOT / folder, target_is_directory=True)
    settings.LOCALE_PATHS = [project / "locale"]
    monkeypatch.chdir(project)
    if present:
        call_command("makemessages", locale=present, symlinks=True, no_obsolete=True, verbosity=0)
    return {
        language: polib.pofile(str(project / "locale" / language / "LC_MESSAGES" / "django.po"))
        if language in present
        else None
        for language in LANGUAGES
    }


def test_every_string_has_a_translation_in_every_catalogue(refreshed_catalogues):
    problems = {
        language: "the catalogue is missing"
        if catalogue is None
        else f"{len(_missing(catalogue))} strings untranslated or fuzzy, e.g. "
        f"{_missing(catalogue)[:3]}"
        for language, catalogue in refreshed_catalogues.items()
        if catalogue is None or _missing(catalogue)
    }

    assert problems == {}, (
        "run `make messages` and translate the new strings in locale/<language>/LC_MESSAGES/"
        "django.po (locale/glossary/README.md)"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_is_complete_and_compiled(language):
    catalogue = _catalogue(language)
    with catalogue_path(language).with_suffix(".mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)

    assert catalogue.metadata.get("Language") == language
    assert _nplurals(catalogue.metadata.get("Plural-Forms", "")) == _nplurals(
        PLURAL_FORMS[language]
    ), f"locale/{language}: Plural-Forms should be {PLURAL_FORMS[language]}"
    assert _missing(catalogue) == []
    stale = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural and _compiled_text(compiled, entry) != entry.msgstr
    ]
    assert stale == [], f"locale/{language}/LC_MESSAGES/django.mo is out of date: make messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_have_as_many_forms_as_the_language(language):
    catalogue = _catalogue(language)
    expected = int(_nplurals(PLURAL_FORMS[language]).split("=")[1])

    wrong = [
        entry.msgid
        for entry in catalogue
        if entry.msgid_plural and len(entry.msgstr_plural) != expected
    ]
    assert wrong == []
