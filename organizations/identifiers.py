"""National registration numbers of organizations, per country (see SPEC.md, Identifier).

Kazakhstan: BIN, 12 digits with a check digit; Kyrgyz Republic: INN, 14 digits; Tajikistan: TIN,
9 or 10 digits; Uzbekistan: STIR, 9 digits. Turkmenistan and other countries: no scheme, so the
number is optional and only its characters are checked.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scheme:
    code: str  # as in org-id.guide: KZ-BIN-123456789012
    name: str
    lengths: tuple[int, ...]


SCHEMES = {
    "KZ": Scheme("BIN", _("BIN (business identification number), 12 digits"), (12,)),
    "KG": Scheme("INN", _("INN (identification number), 14 digits"), (14,)),
    "TJ": Scheme("TIN", _("TIN (taxpayer identification number), 9 or 10 digits"), (9, 10)),
    "UZ": Scheme("STIR", _("STIR (taxpayer identification number), 9 digits"), (9,)),
}

_SEPARATORS = re.compile(r"[\s\-./]+")
_FREE_FORM = re.compile(r"^[0-9A-Za-z]{1,20}$")


def clean_identifier(country, value):
    """The number without spaces or dashes, or a ValidationError that says what is expected."""
    number = _SEPARATORS.sub("", value or "").upper()
    if not number:
        return ""
    scheme = SCHEMES.get(str(country or ""))
    if scheme is None:
        if not _FREE_FORM.match(number):
            raise ValidationError(
                _("Use only letters and digits, at most 20."), code="invalid_identifier"
            )
        return number
    if not number.isdigit() or len(number) not in scheme.lengths:
        raise ValidationError(
            _("Enter the %(scheme)s.") % {"scheme": scheme.name}, code="invalid_identifier"
        )
    if scheme.code == "BIN" and not bin_checksum_ok(number):
        raise ValidationError(
            _("This BIN is not valid: please check the digits."), code="invalid_checksum"
        )
    return number


def bin_checksum_ok(number):
    """The check digit of a Kazakh BIN/IIN (the twelfth digit)."""
    digits = [int(char) for char in number]
    first, second = range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    check = sum(digit * weight for digit, weight in zip(digits[:11], first, strict=True)) % 11
    if check == 10:
        check = sum(digit * weight for digit, weight in zip(digits[:11], second, strict=True)) % 11
        if check == 10:
            return False
    return check == digits[11]


def with_bin_check_digit(first_eleven):
    """A valid BIN from its first eleven digits (for demo content and tests)."""
    for last in "0123456789":
        if bin_checksum_ok(first_eleven + last):
            return first_eleven + last
    raise ValueError(f"No check digit fits {first_eleven}")
