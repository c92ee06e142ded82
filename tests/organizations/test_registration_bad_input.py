"""Every field's wrong value: an error next to that field, everything else kept, never a 500."""

import html
import io
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.models import Organization
from tests.organizations.registration_helpers import image_file, registration_data

pytestmark = pytest.mark.django_db

REGISTER = "/organizations/register/"
SCRIPT = '<script>alert("x")</script>'
LONG = "N" * 10_000


def _huge_png():
    # A real PNG of more than 2 MB: random pixels do not compress.
    output = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(output, format="PNG")
    return SimpleUploadedFile("big.png", output.getvalue(), content_type="image/png")


def _gif():
    return image_file("logo.gif", image_format="GIF", mode="P")


BAD_VALUES = [
    ("first_name", "", "This field is required."),
    ("first_name", SCRIPT, "HTML tags are not allowed"),
    ("first_name", LONG, "at most 150 characters"),
    ("last_name", SCRIPT, "HTML tags are not allowed"),
    ("email", "not-an-email", "Enter a valid email address."),
    ("email", "", "This field is required."),
    ("password1", "12345678", "This password is entirely numeric."),
    ("password1", "short", "This password is too short."),
    ("password2", "a-different-passphrase", "The two passwords differ."),
    ("name", "", "This field is required."),
    ("name", LONG, "at most 200 characters (it has 10000)"),
    ("name", SCRIPT, "HTML tags are not allowed"),
    ("name_local", LONG, "at most 200 characters"),
    ("name_local", SCRIPT, "HTML tags are not allowed"),
    ("acronym", "A" * 31, "at most 30 characters"),
    ("acronym", "<b>ZQ</b>", "HTML tags are not allowed"),
    ("legal_form", "charity-shop", "Select a valid choice."),
    ("size_band", "huge", "Select a valid choice."),
    ("country", "", "This field is required."),
    ("country", "XX", "Select a valid choice."),
    ("city", "", "This field is required."),
    ("city", LONG, "at most 100 characters"),
    ("city", SCRIPT, "HTML tags are not allowed"),
    ("registration_number", "12345", "Enter the BIN (business identification number), 12 digits."),
    ("registration_number", "120540001120", "This BIN is not valid"),
    ("registration_number", "ABCDEFGHIJKL", "Enter the BIN"),
    ("year_founded", "1800", "greater than or equal to 1900"),
    ("year_founded", "3000", "less than or equal to"),
    ("year_founded", "two thousand", "Enter a whole number."),
    ("description", "", "This field is required."),
    ("description", "D" * 5001, "at most 5000 characters"),
    ("description", f"Our work {SCRIPT}", "HTML tags are not allowed"),
    ("focus_areas", [], "Choose at least one focus area."),
    ("focus_areas", ["999999"], "Select a valid choice."),
    ("sdgs", ["99"], "Select a valid choice."),
    ("working_languages", ["klingon"], "Select a valid choice."),
    ("website", "javascript:alert(1)", "Enter a valid URL."),
    ("website", "not a website", "Enter a valid URL."),
    ("website", "ftp://files.example.org", "Enter a valid URL."),
    ("public_email", "info@", "Enter a valid email address."),
    ("phone", "call us", "Enter a phone number"),
    ("phone", SCRIPT, "Enter a phone number"),
    ("visibility", "everyone", "Select a valid choice."),
    ("contact_position", "", "This field is required."),
    ("contact_position", SCRIPT, "HTML tags are not allowed"),
    ("contact_phone", "ask me", "Enter a phone number"),
    ("consent", None, "Registration needs your consent."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_VALUES)
def test_bad_value_gets_a_field_error_and_keeps_everything_else(client, field, value, message):
    data = registration_data(**{field: value})
    if value is None:
        data.pop(field, None)
    if field == "password1":
        data["password2"] = value

    response = client.post(REGISTER, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    content = response.content.decode()
    # The error sits next to its field, announced to screen readers.
    assert f'id="error_1_id_{field}"' in content
    # What was typed is kept.
    kept = {
        "city": 'value="Almaty"',
        "description": "Urban greening and clean air in Almaty.",
        "name": 'value="Zhasyl Qala"',
        "email": 'value="aigerim@steppe.example.org"',
        "website": 'value="https://zhasyl.example.org"',
    }
    for other, snippet in kept.items():
        if other != field:
            assert snippet in content, other
    if field != "working_languages":
        assert re.search(r'name="working_languages" value="kk"\s+id="\w+" checked', content)
    assert Organization.objects.count() == 0


def test_typed_markup_comes_back_escaped(client):
    response = client.post(REGISTER, registration_data(name=SCRIPT, city=SCRIPT))

    content = response.content.decode()
    assert SCRIPT not in content
    assert html.escape(SCRIPT, quote=True) in content or "&lt;script&gt;" in content


@pytest.mark.parametrize(
    ("country", "number", "stored"),
    [
        ("KZ", "1205 4000 1129", "120540001129"),
        ("KG", "01203200011010", "01203200011010"),
        ("TJ", "520001987", "520001987"),
        ("TJ", "5200019870", "5200019870"),
        ("UZ", "302-004-567", "302004567"),
        ("TM", "", ""),
        ("TM", "TM-12/34", "TM1234"),
        ("KZ", "", ""),
    ],
)
def test_identifier_accepted_per_country_and_optional(client, country, number, stored):
    response = client.post(REGISTER, registration_data(country=country, registration_number=number))

    assert response.status_code == 302, response.context["form"].errors
    assert Organization.objects.get().registration_number == stored


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("KG", "0120320001101", "INN (identification number), 14 digits"),
        ("TJ", "52000198", "TIN (taxpayer identification number), 9 or 10 digits"),
        ("UZ", "3020045678", "STIR (taxpayer identification number), 9 digits"),
        ("TM", "#$%", "Use only letters and digits"),
    ],
)
def test_identifier_refused_with_the_countrys_scheme(client, country, number, message):
    response = client.post(REGISTER, registration_data(country=country, registration_number=number))

    assert response.status_code == 200
    assert message in response.context["form"].errors["registration_number"][0]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("logo.png", b"this is not an image", "image/png"),
            "This file is not a PNG, JPEG or WebP image.",
        ),
        (
            lambda: SimpleUploadedFile("logo.png", image_file().read()[:60], "image/png"),
            "This file is not a PNG, JPEG or WebP image.",
        ),
        (_gif, "This file is not a PNG, JPEG or WebP image."),
        (_huge_png, "a logo may be at most 2 MB"),
    ],
)
def test_bad_logo_gets_a_field_error_and_keeps_the_rest(client, upload, message):
    response = client.post(REGISTER, registration_data(logo=upload()))

    assert response.status_code == 200
    assert message in response.context["form"].errors["logo"][0]
    assert 'value="Almaty"' in response.content.decode()
    assert Organization.objects.count() == 0


def test_good_logo_is_kept_on_the_server_while_other_fields_are_corrected(client, settings):
    first = client.post(REGISTER, registration_data(name="", logo=image_file("our-logo.png")))

    assert first.status_code == 200
    content = first.content.decode()
    assert "Your logo “our-logo.png” is kept." in content
    token = first.context["form"].kept_logo_token
    assert f'name="logo_token" value="{token}"' in content

    second = client.post(REGISTER, registration_data(logo_token=token))

    assert second.status_code == 302
    organization = Organization.objects.get()
    assert organization.logo.name.startswith("logos/")
    assert organization.logo.name.endswith(".png")
    # The temporary copy is gone.
    assert not list((settings.MEDIA_ROOT / "logo-uploads").iterdir())


def test_tampered_logo_token_asks_to_choose_the_logo_again(client):
    response = client.post(REGISTER, registration_data(logo_token="logo-uploads/../../etc/passwd"))

    assert response.status_code == 200
    assert "Please choose it again." in response.context["form"].errors["logo"][0]


@pytest.mark.parametrize(
    "image_format", [("logo.png", "PNG"), ("logo.jpg", "JPEG"), ("logo.webp", "WEBP")]
)
def test_png_jpeg_and_webp_logos_are_accepted(client, image_format):
    name, pillow_format = image_format

    response = client.post(
        REGISTER, registration_data(logo=image_file(name, image_format=pillow_format))
    )

    assert response.status_code == 302
    stored = Organization.objects.get().logo
    with Image.open(stored) as image:
        assert image.format == pillow_format


def test_never_a_server_error_on_a_completely_empty_post(client):
    response = client.post(REGISTER, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_kept_logos_of_abandoned_registrations_are_purged(client, settings):
    client.post(REGISTER, registration_data(name="", logo=image_file("first.png")))
    kept_dir = settings.MEDIA_ROOT / "logo-uploads"
    (stale,) = kept_dir.iterdir()
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))

    client.post(REGISTER, registration_data(name="", logo=image_file("second.png")))

    assert len(list(kept_dir.iterdir())) == 1
    assert not stale.exists()
