"""Public verification: finding certificates for anonymous visitors.

Three ways in, each answered the same way when nothing matches (no hint which part was
wrong): the certificate number alone; an ID number + the holder's name; a phone number +
the holder's name. Only certificates whose search date has come are found. The verify URL
(``by_verify_number``) answers from the issue date, so a QR code works as soon as the
holder has the certificate.
"""

import re
from dataclasses import dataclass
from datetime import date

from cms_site.accounts.services.identity import normalise_document_number, normalise_phone
from cms_site.services.masking import mask_document_number, mask_phone

from ..models import Certificate
from . import numbering

_SPACES = re.compile(r"\s+")


def _name(raw: str) -> str:
    return _SPACES.sub("", raw or "").strip()


def _searchable(today: date):
    return Certificate.objects.filter(searchable_from__lte=today).select_related("learner", "replaced_by")


def by_number(raw: str, *, today: date) -> list[Certificate]:
    number = numbering.normalise(raw)
    if not numbering.is_well_formed(number):
        return []
    return list(_searchable(today).filter(number=number))


def by_document(document_number: str, name: str, *, today: date) -> list[Certificate]:
    number, holder = normalise_document_number(document_number), _name(name)
    if not number or not holder:
        return []
    return [c for c in _searchable(today).filter(document_number=number) if _name(c.holder_name) == holder]


def by_phone(phone: str, name: str, *, today: date) -> list[Certificate]:
    number, holder = normalise_phone(phone), _name(name)
    if not number or not holder:
        return []
    return [c for c in _searchable(today).filter(learner__phone=number) if _name(c.holder_name) == holder]


def by_verify_number(raw: str, *, today: date) -> Certificate | None:
    number = numbering.normalise(raw)
    if not numbering.is_well_formed(number):
        return None
    return (
        Certificate.objects.filter(number=number, issue_date__lte=today)
        .select_related("learner", "replaced_by")
        .first()
    )


@dataclass(frozen=True)
class PublicRecord:
    """What a public page shows of a certificate: every printed field, personal numbers masked."""

    certificate: Certificate
    masked_document_number: str
    masked_phone: str

    @classmethod
    def of(cls, certificate: Certificate) -> "PublicRecord":
        return cls(
            certificate=certificate,
            masked_document_number=mask_document_number(certificate.document_number),
            masked_phone=mask_phone(certificate.learner.phone or ""),
        )
