"""The site's VAPID key pair (RFC 8292), generated on first use.

The private key is a PEM file under ``settings.DATA_DIR / "keys"`` (never in the
repository; ``PWA_VAPID_KEY_FILE`` overrides the path). Creation is race-safe: the key is
written to a temporary file and hard-linked into place, so two processes starting at once
end up using the same key.
"""

import base64
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02


def key_path():
    default = Path(settings.DATA_DIR) / "keys" / "vapid_private.pem"
    return Path(getattr(settings, "PWA_VAPID_KEY_FILE", None) or default)


def _create(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid02()
    vapid.generate_keys()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(vapid.private_pem())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race; use its key
    finally:
        os.unlink(tmp)


def vapid_key():
    """The site's ``py_vapid.Vapid02`` signer, creating the key pair when missing."""
    path = key_path()
    if not path.exists():
        _create(path)
    return Vapid02.from_file(str(path))


def application_server_key():
    """The public key as the browser's ``applicationServerKey`` (base64url, no padding)."""
    raw = vapid_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
