"""Certificate numbers: ``<prefix><year><random part><check character>``.

- The random part is 10 characters of Crockford's base32 alphabet (no I, L, O, U)
  drawn with ``secrets``: 50 bits, so a neighbour's number tells nothing about the next.
- The check character is ISO 7064 MOD 37,36 over the whole number (via python-stdnum);
  it catches every single mistyped character and most swaps, so a typo is
  answered "not found" without a database hit.
- Uniqueness is enforced by the ``cert_unique_number`` constraint; ``services`` retries
  with a fresh random part in the (astronomically rare) case of a collision.

Numbers are stored and printed in the compact form; user input is normalised first
(spaces and hyphens dropped, upper-cased, Crockford's O→0 and I/L→1 in the random part).
"""

import re
import secrets

from stdnum.iso7064 import mod_37_36

RANDOM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-_.·]")
_SHAPE = re.compile(r"^(?P<prefix>[A-Z0-9]{2,12})(?P<year>[0-9]{4})(?P<random>[0-9A-Z]{10})(?P<check>[0-9A-Z])$")
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    return mod_37_36.calc_check_digit(body)


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
    """True when ``number`` (normalised) has the shape and a matching check character."""
    if not _SHAPE.match(number or ""):
        return False
    return mod_37_36.is_valid(number)
