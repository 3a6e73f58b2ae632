"""Ed25519 signatures of packs over a canonical digest of their rows (see the package docstring).

Two key pairs per installation, in ``DATA_DIR/pack_keys/`` (``PACK_KEY_DIR`` overrides;
PEM, mode 600, made on first use or by ``manage.py pack_keys``):

* ``centre.key`` signs **content packs**. A laptop accepts a content pack only when its
  signer is a trusted centre key: the centre public keys it was given (``manage.py
  pack_keys trust-centre KEY``, stored in ``pack_keys/trusted_centres``, or
  ``settings.PACK_CENTRE_PUBLIC_KEYS``) or its own centre key (an installation trusts
  what it made itself). Holding only public keys, a laptop cannot forge centre packs.
* ``device.key`` signs **results packs**. The centre accepts a results pack only when the
  signer is a laptop key registered there (``manage.py pack_keys register NAME KEY``,
  ``packs.models.PackLaptopKey``) and not revoked.

A pack whose digest does not verify under the key it names is refused before anything
is read from it; so is a pack signed by a key that is not trusted for its kind.
"""

import base64
import binascii
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import sqlite_utils
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils.translation import gettext as _

from ..models import PackLaptopKey
from .keys import BadPublicKey, parse_public, public_text

SIGNATURE_TABLE = "signature"
CENTRE, DEVICE = "centre", "device"
SIGNER_FOR_KIND = {"content": CENTRE, "results": DEVICE}


class PackRefused(Exception):
    """A pack that is not signed by a key we trust for it, is damaged or of the wrong kind
    (``str(err)`` is a translated message)."""


def keys_dir() -> Path:
    return Path(getattr(settings, "PACK_KEY_DIR", None) or Path(settings.DATA_DIR) / "pack_keys")


def key_path(role: str = CENTRE) -> Path:
    return keys_dir() / f"{role}.key"


def private_key(role: str) -> Ed25519PrivateKey:
    """This installation's ``role`` key, created (mode 600) when missing."""
    path = key_path(role)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def trusted_centre_keys() -> set[str]:
    keys = set(getattr(settings, "PACK_CENTRE_PUBLIC_KEYS", None) or [])
    trusted = keys_dir() / "trusted_centres"
    if trusted.exists():
        keys |= {line.split()[0] for line in trusted.read_text().splitlines() if line.strip()}
    if key_path(CENTRE).exists():
        keys.add(public_text(private_key(CENTRE)))
    return keys


def trust_centre(text: str) -> str:
    """Add a centre public key to this installation's trusted keys; returns its canonical text."""
    canonical = public_text(parse_public(text))
    if canonical not in trusted_centre_keys():
        keys_dir().mkdir(parents=True, exist_ok=True)
        with (keys_dir() / "trusted_centres").open("a") as handle:
            handle.write(canonical + "\n")
    return canonical


def digest(db: sqlite_utils.Database) -> str:
    """SHA-256 over every table but the signature: names, columns and rows in rowid order
    (binary cells enter as their SHA-256)."""
    sha = hashlib.sha256()

    def cell(value):
        return hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else str(value)

    for name in sorted(db.table_names()):
        if name == SIGNATURE_TABLE:
            continue
        table = db[name]
        sha.update(json.dumps(["table", name, [c.name for c in table.columns]], ensure_ascii=False).encode())
        for row in db.execute(f"select * from [{name}] order by rowid").fetchall():
            sha.update(json.dumps(row, ensure_ascii=False, default=cell).encode())
    return sha.hexdigest()


def sign(db: sqlite_utils.Database, role: str, key: Ed25519PrivateKey | None = None) -> None:
    """Sign ``db`` with this installation's ``role`` key (or ``key``)."""
    key = key or private_key(role)
    signature = key.sign(digest(db).encode("ascii"))
    db[SIGNATURE_TABLE].insert(
        {"id": 1, "algorithm": "ed25519", "signer": role, "public_key": public_text(key),
         "signature": base64.b64encode(signature).decode()},
        pk="id", replace=True, alter=True,
    )


def _signature_row(db) -> dict:
    row = next(iter(db[SIGNATURE_TABLE].rows), {})
    if row.get("algorithm") != "ed25519" or not row.get("public_key") or not row.get("signature"):
        raise PackRefused(_("This pack is not signed."))
    return row


def _check_signer(kind: str, public_key: str):
    if kind == "content" and public_key not in trusted_centre_keys():
        raise PackRefused(_("This content pack is not signed by a trusted centre key."))
    if kind == "results":
        if not PackLaptopKey.objects.filter(public_key=public_key, revoked_at__isnull=True).exists():
            raise PackRefused(_("This results pack is signed by a laptop key that is not registered here."))


def open_verified(path, kind: str) -> sqlite_utils.Database:
    """Open the pack at ``path`` read-only after checking its signature, kind and signer."""
    path = Path(path)
    if not path.is_file():
        raise PackRefused(_("There is no pack at %(path)s.") % {"path": path})
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db = sqlite_utils.Database(conn)
        names = db.table_names()
    except sqlite3.DatabaseError as err:
        raise PackRefused(_("This file is not a pack: %(error)s") % {"error": err}) from err
    if SIGNATURE_TABLE not in names or "meta" not in names:
        raise PackRefused(_("This pack is not signed."))
    row = _signature_row(db)
    try:
        public = parse_public(row["public_key"])
        public.verify(base64.b64decode(row["signature"]), digest(db).encode("ascii"))
    except (InvalidSignature, BadPublicKey, binascii.Error, ValueError) as err:
        raise PackRefused(_("The pack's signature does not match: it was changed or signed with another key.")) from err
    except sqlite3.DatabaseError as err:
        raise PackRefused(_("This file is not a pack: %(error)s") % {"error": err}) from err
    found = meta(db).get("kind")
    if found != kind:
        raise PackRefused(_("This is a “%(found)s” pack; a “%(kind)s” pack is needed.") % {"found": found, "kind": kind})
    _check_signer(kind, public_text(public))
    return db


def signer_key(db) -> str:
    """The public key that signed an opened pack."""
    return _signature_row(db)["public_key"]


def meta(db) -> dict:
    return {row["key"]: row["value"] for row in db["meta"].rows}
