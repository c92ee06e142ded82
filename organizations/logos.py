"""Uploaded logos: checked by content, re-encoded under a generated name, and kept on the server
(behind a signed token) while the person corrects the other fields of a form."""

import datetime
import io
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_MAX_SIDE = 800
# The largest logo accepted, in pixels a side (said in the message below).
LOGO_MAX_DIMENSION = 6000
KEPT_LOGO_SALT = "organizations.kept-logo"
KEPT_LOGO_DIR = "logo-uploads/"
KEPT_LOGO_MAX_AGE = 24 * 3600


def process_logo(upload):
    """A re-encoded copy of an uploaded PNG, JPEG or WebP under a generated name.

    Checked by content, not by name; re-encoding drops anything hidden in the file (metadata,
    trailing data) and scales the logo down to what a page shows.
    """
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; a logo may be at most 2 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="file_too_large",
        )
    not_an_image = ValidationError(
        _("This file is not a PNG, JPEG or WebP image. Choose an image file."),
        code="invalid_image",
    )
    too_large = ValidationError(
        _("The image is too large in pixels; use one of at most %(side)s × %(side)s.")
        % {"side": LOGO_MAX_DIMENSION},
        code="image_too_large",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            oversized = max(image.width, image.height) > LOGO_MAX_DIMENSION
            image.verify()
        if image_format not in LOGO_FORMATS:
            raise not_an_image
        if oversized:
            raise too_large
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            if image_format == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            output = io.BytesIO()
            image.save(output, format=image_format, optimize=True)
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        # Pillow refuses to open an image of hundreds of millions of pixels: a real image,
        # only far too large.
        raise too_large from error
    except Exception as error:
        # Pillow signals a broken or hostile file with many exception types (OSError,
        # SyntaxError, struct.error...): all mean "not an image".
        raise not_an_image from error
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{LOGO_FORMATS[image_format]}")


def _purge_stale_kept_logos():
    # Logos of registrations given up halfway: their tokens expired, nobody can use them.
    cutoff = timezone.now() - datetime.timedelta(seconds=KEPT_LOGO_MAX_AGE)
    try:
        names = default_storage.listdir(KEPT_LOGO_DIR)[1]
    except FileNotFoundError:
        return
    for name in names:
        path = f"{KEPT_LOGO_DIR}{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def keep_logo(content, original_name):
    """Keep a checked logo on the server while the form is corrected; returns a signed token."""
    _purge_stale_kept_logos()
    path = default_storage.save(f"{KEPT_LOGO_DIR}{content.name}", content)
    content.seek(0)
    return signing.dumps({"path": path, "name": original_name[:100]}, salt=KEPT_LOGO_SALT)


def kept_logo(token):
    """The logo kept by keep_logo, as (ContentFile, original name), or None."""
    try:
        data = signing.loads(token, salt=KEPT_LOGO_SALT, max_age=KEPT_LOGO_MAX_AGE)
        path = data["path"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not path.startswith(KEPT_LOGO_DIR) or ".." in path or not default_storage.exists(path):
        return None
    with default_storage.open(path) as kept:
        content = ContentFile(kept.read(), name=path.removeprefix(KEPT_LOGO_DIR))
    return content, data.get("name", "")


def discard_kept_logo(token):
    """Delete the logo kept by keep_logo, once the form that needed it is saved."""
    kept = signing.loads(token, salt=KEPT_LOGO_SALT)
    default_storage.delete(kept["path"])
