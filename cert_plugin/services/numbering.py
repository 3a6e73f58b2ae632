"""Certificate numbers: ``<prefix><year><random part><check character>``.

- The random part is 10 characters of Crockford's base32 alphabet (no I, L, O, U)
  drawn with ``secrets``: 50 bits, so a neighbour's number tells nothing about the next.
- The check character is ISO 7064 MOD 37-2 (the pure system, via python-stdnum) over
  the whole number: it catches every single mistyped character and every swap of two
  neighbours, so such a typo is answered "not found" without a database hit. Its
  alphabet has 37 characters: ``0-9``, ``A-Z`` and ``*``.
- Numbers issued before the switch carry an ISO 7064 MOD 37,36 check character, which
  misses some neighbour swaps (about 1.6 % of numbers have one). They stay verifiable;
  see ``is_well_formed`` for how the scheme is told apart.
- Uniqueness is enforced by the ``cert_unique_number`` constraint; ``services`` retries
  with a fresh random part in the (astronomically rare) case of a collision.

Numbers are stored and printed in the compact form; user input is normalised first
(spaces and hyphens dropped, upper-cased, Crockford's O→0 and I/L→1 in the random part).
"""

import re
import secrets

from stdnum.iso7064 import mod_37_2, mod_37_36

RANDOM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-_.·]")
_SHAPE = re.compile(r"^(?P<prefix>[A-Z0-9]{2,12})(?P<year>[0-9]{4})(?P<random>[0-9A-Z]{10})(?P<check>[0-9A-Z*])$")
# The last year in which MOD 37,36 numbers were issued: later years are pure MOD 37-2.
LEGACY_LAST_YEAR = 2026
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    """The MOD 37-2 check character of ``body`` (one of ``0-9A-Z*``)."""
    return mod_37_2.calc_check_digit(body)


def new_number(prefix: str, year: int) -> str:
    """A fresh certificate number for ``prefix`` (upper-case letters/digits) and ``year``."""
    random_part = "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))
    body = f"{prefix}{year:04d}{random_part}"
    return body + check_character(body)


def normalise(raw: str) -> str:
    """The compact upper-case form of a typed number (not yet validated)."""
    number = _SEPARATORS.sub("", (raw or "").strip()).upper()
    match = _SHAPE.match(number)
    if match is None:
        return number
    random_part = match["random"].translate(_CROCKFORD)
    return f"{match['prefix']}{match['year']}{random_part}{match['check']}"


def is_well_formed(number: str) -> bool:
    """True when ``number`` (normalised) has the shape and a valid check character.

    Current numbers: the MOD 37-2 check alone decides, no database hit. A number that
    passes only the retired MOD 37,36 check is well-formed only when it is one of the
    certificates issued under that scheme: a closed set, so one indexed query (and only
    for numbers whose year is at most ``LEGACY_LAST_YEAR``) tells. Why not a version
    marker or "either check passes": the printed numbers cannot change, a marker inside
    the same shape would itself be a character whose typo goes unnoticed, and accepting
    either check would let about 1 in 36 typos of a *new* number through, losing the
    property this scheme was chosen for.
    """
    match = _SHAPE.match(number or "")
    if match is None:
        return False
    if mod_37_2.is_valid(number):
        return True
    return is_legacy_issued(number, int(match["year"]))


def is_legacy_issued(number: str, year: int) -> bool:
    """``number`` carries a MOD 37,36 check character and was issued as such."""
    if year > LEGACY_LAST_YEAR or "*" in number or not mod_37_36.is_valid(number):
        return False
    from ..models import Certificate

    return Certificate.objects.filter(number=number).exists()
