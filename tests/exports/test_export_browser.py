"""An organizer in Chromium exports a long delegates list: the export is prepared in the
background, its page says when it is ready, and the file downloads from there."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.exports.test_export_jobs import _organizer
from tests.factories import DelegateFactory, EventFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "correct-horse-battery"  # the factories' password


def test_organizer_exports_in_the_background_and_downloads_when_ready(page, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    _organizer("organizer")
    event = EventFactory(slug="sixth-forum")
    organization = OrganizationFactory(name="Zhasyl Qala", country="KZ")
    for name in ("Aigerim Sadykova", "Nurlan Abenov"):
        DelegateFactory(event=event, organization=organization, full_name=name)

    page.goto("/admin/")
    page.get_by_label("Username").fill("organizer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/events/delegate/")
    page.get_by_role("link", name="Export CSV").click()

    expect(page.get_by_text("The export of 2 rows is ready.")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    data = Path(download_info.value.path()).read_bytes().decode("utf-8-sig")
    names = sorted(row["Full name"] for row in csv.DictReader(io.StringIO(data)))
    assert names == ["Aigerim Sadykova", "Nurlan Abenov"]
    assert download_info.value.suggested_filename.startswith("delegates-")

    # The organizer's exports are listed in the admin, with the download.
    page.goto("/admin/exports/exportjob/")
    expect(page.get_by_role("cell", name="100 %")).to_be_visible()
