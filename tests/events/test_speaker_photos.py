"""Speakers' photos: an upload in the admin is checked, re-encoded and cropped square in two
sizes; pages offer both sizes (srcset) with alt text, and initials where there is no photo."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Speaker
from tests.events.test_admin_programme import organizer_client  # noqa: F401 - a fixture
from tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db


def _image(width, height, image_format="PNG"):
    output = io.BytesIO()
    Image.new("RGB", (width, height), (0, 51, 153)).save(output, format=image_format)
    return SimpleUploadedFile(
        f"photo.{image_format.lower()}", output.getvalue(), content_type="image/png"
    )


def _post(organizer_client, speaker, photo):  # noqa: F811
    return organizer_client.post(
        reverse("admin:events_speaker_change", args=[speaker.pk]),
        {
            "name": speaker.name,
            "slug": speaker.slug,
            "honorific": "",
            "precedence": 100,
            "position_en": "Director",
            "country": "",
            "photo": photo,
        },
    )


def test_an_uploaded_photo_is_cropped_square_in_two_sizes(organizer_client):  # noqa: F811
    speaker = SpeakerFactory(name="Dana Example")
    response = _post(organizer_client, speaker, _image(800, 600))
    assert response.status_code == 302, response.content.decode()[:2000]

    speaker.refresh_from_db()
    assert speaker.photo.name.startswith("speakers/") and speaker.photo.name.endswith(".jpg")
    with default_storage.open(speaker.photo.name) as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (320, 320))
    small = speaker.photo.name.replace(".jpg", "-small.jpg")
    with default_storage.open(small) as stored, Image.open(stored) as image:
        assert image.size == (144, 144)

    content = organizer_client.get(speaker.get_absolute_url()).content.decode()
    assert f'srcset="/media/{small} 144w, /media/{speaker.photo.name} 320w"' in content
    assert 'sizes="160px"' in content
    assert 'alt="Photo of Dana Example"' in content


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(organizer_client):  # noqa: F811
    speaker = SpeakerFactory(name="Dana Example")
    fake = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", content_type="image/png")
    response = _post(organizer_client, speaker, fake)
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Speaker.objects.get(pk=speaker.pk).photo
