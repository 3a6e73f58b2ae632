"""Ed25519 public keys as text: base64 of their 32 raw bytes, and a short fingerprint.

Pure functions with no database access, so the laptop-key model can validate with them
while ``signing`` looks registered keys up in that model.
"""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.utils.translation import gettext as _


class BadPublicKey(ValueError):
    """Not a base64 Ed25519 public key."""


def public_text(key) -> str:
    """A public key (or the public half of a private key) as base64 of its 32 raw bytes."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return base64.b64encode(
        key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ).decode()


def parse_public(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(str(text).strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as err:
        raise BadPublicKey(_("This is not an Ed25519 public key (base64 of 32 bytes).")) from err


def fingerprint(text: str) -> str:
    return hashlib.sha256(base64.b64decode(text)).hexdigest()[:16]
