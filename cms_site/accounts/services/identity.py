"""Identity documents and phone numbers: validation and the one normal form we store.

- Mainland resident ID (GB 11643): 17 digits + check character (0-9 or X; ``x`` accepted).
- Hong Kong: ``P958270(2)`` is stored and typed as ``P9582702`` — brackets and spaces are
  dropped. The bracketed character is kept as printed; it is not recomputed, because real
  cards and the handbook's own example do not always agree with the published formula.
- Macau: ``1234567(8)`` → ``12345678``. Taiwan: a national ID (``A123456789``) or an
  8-digit mainland travel permit (台胞证) number. Passports: 5-17 letters and digits.

The "last four characters" conventions (e.g. an initial password) always read the
normalised number.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    MAINLAND_ID = "mainland_id", _("Mainland resident ID card")
    HONG_KONG = "hong_kong", _("Hong Kong identity card")
    MACAU = "macau", _("Macau identity card")
    TAIWAN = "taiwan", _("Taiwan identity document")
    PASSPORT = "passport", _("Passport")


_STRIP = re.compile(r"[\s()（）\-]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

_PATTERNS = {
    DocumentType.HONG_KONG: re.compile(r"^[A-Z]{1,2}[0-9]{6}[0-9A]$"),
    DocumentType.MACAU: re.compile(r"^[157][0-9]{7}$"),
    DocumentType.TAIWAN: re.compile(r"^([A-Z][0-9]{9}|[0-9]{8})$"),
    DocumentType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
}
_FORMAT_ERRORS = {
    DocumentType.HONG_KONG: _("A Hong Kong identity card number looks like P958270(2)."),
    DocumentType.MACAU: _("A Macau identity card number looks like 1234567(8)."),
    DocumentType.TAIWAN: _("A Taiwan number is a national ID (A123456789) or an 8-digit travel permit number."),
    DocumentType.PASSPORT: _("A passport number has 5 to 17 letters and digits."),
}


def normalise_document_number(raw: str) -> str:
    """Upper-case, without spaces, hyphens or (full- or half-width) brackets."""
    return _STRIP.sub("", (raw or "").strip()).upper()


def mainland_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def validate_mainland_id(number: str) -> None:
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(
            _("A mainland resident ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_format",
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born > date.today() or born.year < 1900:
        raise ValidationError(_("The date of birth in this ID number is not a real date."), code="id_birth_date")
    if mainland_check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this ID number does not match the others (check digit). Please check the number."),
            code="id_check_digit",
        )


def clean_document_number(document_type: str, raw: str) -> str:
    """Validate ``raw`` for ``document_type`` and return its normal form."""
    number = normalise_document_number(raw)
    if not number:
        raise ValidationError(_("Please enter the document number."), code="required")
    if document_type == DocumentType.MAINLAND_ID:
        validate_mainland_id(number)
        return number
    pattern = _PATTERNS.get(document_type)
    if pattern is None:
        raise ValidationError(_("Unknown identity document type."), code="document_type")
    if not pattern.fullmatch(number):
        raise ValidationError(_FORMAT_ERRORS[document_type], code="id_format")
    return number


def last_four(document_number: str) -> str:
    return normalise_document_number(document_number)[-4:]


_PHONE_STRIP = re.compile(r"[\s\-()]")


def normalise_phone(raw: str) -> str:
    """Digits (with a leading + for non-mainland numbers); +86/0086 dropped."""
    phone = _PHONE_STRIP.sub("", (raw or "").strip())
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix):]
    return phone


def clean_phone(raw: str) -> str:
    phone = normalise_phone(raw)
    if re.fullmatch(r"1[3-9][0-9]{9}", phone) or re.fullmatch(r"\+[0-9]{7,15}", phone):
        return phone
    raise ValidationError(
        _("Please enter a mainland mobile number (11 digits) or an international number starting with +."),
        code="phone_format",
    )
