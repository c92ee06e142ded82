"""Session materials: one PDF, checked by what it contains rather than by its name."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_pdf(upload):
    """A readable PDF of at most SESSION_MATERIALS_MAX_BYTES, or ValidationError."""
    size = getattr(upload, "size", None)
    limit = settings.SESSION_MATERIALS_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    if b"%PDF-" not in head[:1024]:
        upload.seek(0)
        raise ValidationError(_("This is not a PDF file."))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password; upload an open copy."))
        if len(reader.pages) == 0:
            raise ValidationError(_("The PDF has no pages."))
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(_("The PDF cannot be read; save it again and upload it.")) from error
