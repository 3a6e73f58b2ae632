"""HMAC signature of a pack over a canonical digest of its rows (see the package docstring)."""

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

import sqlite_utils
from django.conf import settings
from django.utils.translation import gettext as _

SIGNATURE_TABLE = "signature"


class PackRefused(Exception):
    """A pack that is not signed with our key, is damaged or of the wrong kind
    (``str(err)`` is a translated message)."""


def key_path() -> Path:
    return Path(settings.DATA_DIR) / "pack_signing.key"


def signing_key() -> bytes:
    """``settings.PACK_SIGNING_KEY`` or the key file in DATA_DIR (created when missing)."""
    configured = getattr(settings, "PACK_SIGNING_KEY", None)
    if configured:
        return configured.encode("utf-8")
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def digest(db: sqlite_utils.Database) -> str:
    """SHA-256 over every table but the signature: names, columns and rows in rowid order."""
    sha = hashlib.sha256()
    for name in sorted(db.table_names()):
        if name == SIGNATURE_TABLE:
            continue
        table = db[name]
        sha.update(json.dumps(["table", name, [c.name for c in table.columns]], ensure_ascii=False).encode())
        for row in db.execute(f"select * from [{name}] order by rowid").fetchall():
            sha.update(json.dumps(row, ensure_ascii=False, default=str).encode())
    return sha.hexdigest()


def _mac(value: str) -> str:
    return hmac.new(signing_key(), value.encode("ascii"), hashlib.sha256).hexdigest()


def sign(db: sqlite_utils.Database) -> None:
    db[SIGNATURE_TABLE].insert({"id": 1, "hmac": _mac(digest(db))}, pk="id", replace=True)


def open_verified(path, kind: str) -> sqlite_utils.Database:
    """Open the pack at ``path`` read-only after checking its signature and kind."""
    path = Path(path)
    if not path.is_file():
        raise PackRefused(_("There is no pack at %(path)s.") % {"path": path})
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db = sqlite_utils.Database(conn)
        names = db.table_names()
    except sqlite3.DatabaseError as err:
        raise PackRefused(_("This file is not a pack: %(error)s") % {"error": err}) from err
    if SIGNATURE_TABLE not in names or "meta" not in names:
        raise PackRefused(_("This pack is not signed."))
    stored = next(iter(db[SIGNATURE_TABLE].rows), {}).get("hmac", "")
    try:
        expected = _mac(digest(db))
    except sqlite3.DatabaseError as err:
        raise PackRefused(_("This file is not a pack: %(error)s") % {"error": err}) from err
    if not hmac.compare_digest(str(stored), expected):
        raise PackRefused(_("The pack's signature does not match: it was changed or signed with another key."))
    meta = {row["key"]: row["value"] for row in db["meta"].rows}
    if meta.get("kind") != kind:
        raise PackRefused(_("This is a “%(found)s” pack; a “%(kind)s” pack is needed.") % {"found": meta.get("kind"), "kind": kind})
    return db


def meta(db) -> dict:
    return {row["key"]: row["value"] for row in db["meta"].rows}
