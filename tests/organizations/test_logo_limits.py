"""Logo limits in pixels say what they check, and Django itself caps a request's size."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.logos import LOGO_MAX_DIMENSION, process_logo
from organizations.models import Organization
from tests.organizations.registration_helpers import registration_data

REGISTER = "/organizations/register/"
TOO_LARGE = "The image is too large in pixels; use one of at most 6000 × 6000."


def _png_header_only(width, height):
    """A PNG that announces width × height (real header, a scrap of data): what a hostile upload
    of a gigantic image looks like to Pillow, without making one."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def _png(width, height):
    output = io.BytesIO()
    Image.new("1", (width, height)).save(output, format="PNG")
    return SimpleUploadedFile("logo.png", output.getvalue(), content_type="image/png")


def test_a_30000_by_30000_image_is_too_large_not_a_wrong_format():
    upload = SimpleUploadedFile("logo.png", _png_header_only(30000, 30000), "image/png")

    with pytest.raises(ValidationError) as refused:
        process_logo(upload)

    assert refused.value.messages == [TOO_LARGE]


@pytest.mark.parametrize(("width", "height"), [(6001, 10), (10, 6001), (6001, 6001)])
def test_just_over_the_limit_is_refused(width, height):
    with pytest.raises(ValidationError) as refused:
        process_logo(_png(width, height))

    assert refused.value.messages == [TOO_LARGE]


def test_exactly_6000_by_6000_as_the_message_says_is_accepted():
    assert LOGO_MAX_DIMENSION == 6000

    content = process_logo(_png(6000, 6000))

    with Image.open(content) as image:
        assert max(image.size) == 800


@pytest.mark.django_db
def test_the_form_shows_too_large_next_to_the_logo_and_keeps_the_rest(client):
    upload = SimpleUploadedFile("logo.png", _png_header_only(30000, 30000), "image/png")

    response = client.post(REGISTER, registration_data(logo=upload))

    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [TOO_LARGE]
    assert 'value="Almaty"' in response.content.decode()


@pytest.mark.django_db
def test_django_refuses_a_body_over_the_cap_before_reading_it(client, settings):
    settings.REQUEST_MAX_BYTES = 6 * 1024 * 1024
    big = SimpleUploadedFile("logo.png", b"\0" * (7 * 1024 * 1024), "image/png")

    response = client.post(REGISTER, registration_data(logo=big))

    assert response.status_code == 413
    content = response.content.decode()
    assert "Too much data sent" in content and "at most 6 MB" in content
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_a_body_under_the_cap_goes_through(client):
    response = client.post(REGISTER, registration_data(name=""))

    assert response.status_code == 200


def test_upload_limits_in_settings(settings):
    assert settings.REQUEST_MAX_BYTES == 6 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_MAX_BYTES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_MAX_BYTES
