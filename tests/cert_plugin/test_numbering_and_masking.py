"""Certificate numbers (format, check character, uniqueness, unguessable) and masking."""

import secrets
from itertools import pairwise

import pytest
from django.db import IntegrityError

from cert_plugin import numbering
from cert_plugin.masking import mask_document_number, mask_phone
from cert_plugin.models import Certificate

ALPHABET36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_number_format():
    number = numbering.new_number("CECAES", 2026)
    assert number.startswith("CECAES2026")
    assert len(number) == len("CECAES2026") + 10 + 1
    assert set(number[10:20]) <= set(numbering.RANDOM_ALPHABET)
    assert numbering.is_well_formed(number)


def test_check_character_catches_every_single_character_mistake():
    number = numbering.new_number("CECAES", 2026)
    for position in range(len(number)):
        for char in ALPHABET36:
            if char != number[position]:
                typo = number[:position] + char + number[position + 1:]
                assert not numbering.is_well_formed(typo), typo


def test_check_character_catches_neighbour_swaps():
    number = numbering.new_number("CECAES", 2026)
    for position in range(len(number) - 1):
        a, b = number[position], number[position + 1]
        if a != b:
            swapped = number[:position] + b + a + number[position + 2:]
            assert not numbering.is_well_formed(swapped), swapped


def test_typed_numbers_are_normalised():
    number = numbering.new_number("CECAES", 2026)
    typed = f" {number[:6].lower()}-{number[6:10]} {number[10:15].lower()}-{number[15:]} "
    assert numbering.normalise(typed) == number
    assert numbering.is_well_formed(numbering.normalise(typed))


def test_numbers_are_not_sequential_or_guessable():
    numbers = [numbering.new_number("CECAES", 2026) for _ in range(500)]
    assert len(set(numbers)) == 500
    randoms = [n[10:20] for n in numbers]
    # A counter changes ~1 character between neighbours; random parts differ almost everywhere.
    differing = [sum(x != y for x, y in zip(a, b, strict=True)) for a, b in pairwise(randoms)]
    assert sum(differing) / len(differing) > 8
    # Every character of the alphabet appears in every position over 500 draws.
    for position in range(10):
        assert len({r[position] for r in randoms}) >= 28


def test_numbers_are_unique_by_constraint(issued_certificate):
    duplicate = Certificate.objects.get(pk=issued_certificate.pk)
    duplicate.pk = None
    duplicate.status = Certificate.Status.REPLACED  # stays clear of the one-valid rule
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_drawn_collision_draws_again(issued_certificate, monkeypatch):
    """If the random part repeats an existing number, the issue draws a new one."""
    from cert_plugin import services

    taken = issued_certificate.number[10:20]
    draws = iter(list(taken) + list("ABCDEFGHJK"))
    monkeypatch.setattr(secrets, "choice", lambda alphabet: next(draws))
    services.reissue(issued_certificate)
    new = Certificate.objects.get(enrolment=issued_certificate.enrolment, status="valid")
    assert new.number[10:20] == "ABCDEFGHJK"
    assert new.number != issued_certificate.number


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("110105199003071234", "110***********1234"),
        ("11010519900307123X", "110***********123X"),
        ("P9582702", "P9****02"),
        ("A123456789", "A12***6789"),
        ("", ""),
    ],
)
def test_document_number_masking(raw, masked):
    assert mask_document_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("13812345678", "138****5678"), ("+85291234567", "+852******67"), ("", "")]
)
def test_phone_masking(raw, masked):
    assert mask_phone(raw) == masked
