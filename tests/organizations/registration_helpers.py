"""Shared by the registration, /my/, service and admin tests: valid input and real images."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.identifiers import with_bin_check_digit
from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from tests.factories import FocusAreaFactory

VALID_BIN = with_bin_check_digit("12054000112")
PASSWORD = "a-long-and-unusual-passphrase"


def image_file(name="logo.png", image_format="PNG", size=(120, 80), mode="RGB"):
    output = io.BytesIO()
    Image.new(mode, size, (0, 51, 153)).save(output, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}.get(
        image_format, "application/octet-stream"
    )
    return SimpleUploadedFile(name, output.getvalue(), content_type=content_type)


def registration_data(**overrides):
    """A complete, valid registration as the browser posts it."""
    area = FocusArea.objects.first() or FocusAreaFactory(slug="climate-environment")
    goal = SustainableDevelopmentGoal.objects.get_or_create(
        number=13, defaults={"name": "Climate"}
    )[0]
    data = {
        "first_name": "Aigerim",
        "last_name": "Nurlanovna",
        "email": "aigerim@steppe.example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "Zhasyl Qala",
        "name_local": "Жасыл Қала",
        "acronym": "ZQ",
        "legal_form": Organization.LegalForm.PUBLIC_ASSOCIATION,
        "size_band": Organization.SizeBand.SMALL,
        "country": "KZ",
        "city": "Almaty",
        "registration_number": VALID_BIN,
        "year_founded": "2012",
        "description": "Urban greening and clean air in Almaty.",
        "focus_areas": [str(area.pk)],
        "sdgs": [str(goal.pk)],
        "working_languages": ["kk", "ru"],
        "website": "https://zhasyl.example.org",
        "public_email": "info@zhasyl.example.org",
        "phone": "+7 727 123 45 67",
        "visibility": Organization.Visibility.PUBLIC,
        "contact_position": "Director",
        "contact_phone": "+7 701 000 00 00",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def profile(**overrides):
    """Cleaned profile values as the services take them (the form's profile())."""
    area = FocusArea.objects.first() or FocusAreaFactory(slug="climate-environment")
    values = {
        "name": "Zhasyl Qala",
        "name_local": "Жасыл Қала",
        "acronym": "ZQ",
        "legal_form": Organization.LegalForm.PUBLIC_ASSOCIATION,
        "size_band": Organization.SizeBand.SMALL,
        "country": "KZ",
        "city": "Almaty",
        "registration_number": VALID_BIN,
        "year_founded": 2012,
        "description": "Urban greening and clean air in Almaty.",
        "focus_areas": [area],
        "sdgs": [],
        "working_languages": ["kk", "ru"],
        "website": "https://zhasyl.example.org",
        "public_email": "info@zhasyl.example.org",
        "phone": "+7 727 123 45 67",
        "visibility": Organization.Visibility.PUBLIC,
        "contact_position": "Director",
        "contact_phone": "",
        "logo": None,
        "remove_logo": False,
    }
    values.update(overrides)
    return values


def sign_in(client, username, password=PASSWORD):
    """Sign in through the login page (as a person does, lockout counting included)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response
