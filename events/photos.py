"""Speakers' photos: checked and re-encoded like logos, cropped square, in two sizes.

`photo` keeps the large one (320 px); a small one (144 px) sits beside it under the same name
with "-small" added, so pages offer both through `srcset` and a browser takes what its screen
needs: lists show 72 px, a speaker's page 160 px, each sharp on a double-density screen.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from organizations.logos import process_logo

LARGE, SMALL = 320, 144


def _square(data, side):
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.fit(image.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=85, optimize=True, progressive=True)
    return output.getvalue()


def process_photo(upload):
    """The large square photo to store (ValidationError for anything but a PNG, JPEG or WebP
    image under 2 MB)."""
    checked = process_logo(upload)
    name = posixpath.splitext(checked.name)[0] + ".jpg"
    return ContentFile(_square(checked.read(), LARGE), name=name)


def small_name(name):
    root, extension = posixpath.splitext(name)
    return f"{root}-small{extension}"


def save_small(photo):
    """Write the small copy beside the stored large photo (after the speaker is saved)."""
    with default_storage.open(photo.name, "rb") as stored:
        data = _square(stored.read(), SMALL)
    target = small_name(photo.name)
    if default_storage.exists(target):
        default_storage.delete(target)
    default_storage.save(target, ContentFile(data))


def small_url(photo):
    """The small copy's address, or the large photo's when there is none (a photo stored
    before the small copies existed)."""
    target = small_name(photo.name)
    return default_storage.url(target) if default_storage.exists(target) else photo.url
