"""Checks shared by the forms of every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def reject_markup(value):
    if value and _MARKUP.search(str(value)):
        raise ValidationError(
            _("Please write plain text: HTML tags are not allowed."), code="markup"
        )
