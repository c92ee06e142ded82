"""The Russian catalogue is complete: no string of the code or templates is left untranslated."""

import gettext
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# Every folder with user-facing text.
SOURCES = ["portal", "organizations", "events", "templates"]


def _missing(entries):
    return [entry.msgid for entry in entries if not entry.translated() or entry.fuzzy]


def _compiled_text(compiled, entry):
    if entry.msgctxt:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


@pytest.fixture
def refreshed_catalogue(tmp_path, settings, monkeypatch):
    """The Russian catalogue merged with the strings the code has today, in a scratch project.

    makemessages writes to the locale directory nearest to each source file, so it runs in a
    scratch folder that links to the sources and holds a copy of the catalogue: the
    repository's own catalogue is never touched.
    """
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("gettext is missing: apt-get install -y gettext")
        pytest.skip("gettext (xgettext) is not installed")
    project = tmp_path / "project"
    (project / "locale" / "ru" / "LC_MESSAGES").mkdir(parents=True)
    for source in SOURCES:
        (project / source).symlink_to(ROOT / source, target_is_directory=True)
    shutil.copy(CATALOGUE, project / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    settings.LOCALE_PATHS = [project / "locale"]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["ru"], symlinks=True, no_obsolete=True, verbosity=0)
    return polib.pofile(str(project / "locale" / "ru" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_russian_translation(refreshed_catalogue):
    missing = _missing(refreshed_catalogue)

    assert missing == [], f"{len(missing)} strings lack Russian: run `make messages` and translate"


def test_committed_catalogue_is_complete_and_compiled():
    catalogue = polib.pofile(str(CATALOGUE))
    with COMPILED.open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)

    assert _missing(catalogue) == []
    stale = [
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural and _compiled_text(compiled, entry) != entry.msgstr
    ]
    assert stale == [], "django.mo is out of date: run `make messages`"
