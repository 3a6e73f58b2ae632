"""Packs are refused when changed, of the wrong kind, not packs, or signed by a key that
is not trusted for their kind: content packs only from a trusted centre key (a laptop's
key cannot pass as the centre's), results packs only from a registered laptop key."""

import os
import sqlite3

import pytest
import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from packs.models import PackLaptopKey
from packs.services import keys, signing

pytestmark = pytest.mark.django_db
QUIET = {"stdout": open(os.devnull, "w")}


@pytest.fixture
def content_pack(energy, tmp_path):
    path = tmp_path / "energy.pack"
    call_command("offline_pack", "energy", output=str(path), **QUIET)
    return path


def resign(path, key):
    db = sqlite_utils.Database(path)
    signing.sign(db, signing.DEVICE, key=key)
    db.conn.commit()
    db.close()


def test_a_fresh_pack_verifies_with_the_centre_key(content_pack):
    db = signing.open_verified(content_pack, "content")
    assert signing.meta(db)["program"] == "energy"
    assert signing.signer_key(db) == keys.public_text(signing.private_key(signing.CENTRE))


def test_a_changed_row_is_refused(content_pack):
    db = sqlite3.connect(content_pack)
    db.execute("update meta set value = 'other' where key = 'program'")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="签名不符"):
        call_command("import_pack", str(content_pack))


def test_an_added_table_or_a_swapped_key_is_refused(content_pack, tmp_path):
    db = sqlite3.connect(content_pack)
    db.execute("create table extra (x)")
    db.commit()
    db.close()
    with pytest.raises(signing.PackRefused, match="签名不符"):
        signing.open_verified(content_pack, "content")
    other = tmp_path / "other.pack"
    call_command("offline_pack", "energy", output=str(other), **QUIET)
    db = sqlite3.connect(other)  # someone else's public key next to the centre's signature
    db.execute("update signature set public_key = ?",
               (keys.public_text(Ed25519PrivateKey.generate()),))
    db.commit()
    db.close()
    with pytest.raises(signing.PackRefused, match="签名不符"):
        signing.open_verified(other, "content")


def test_a_laptop_key_cannot_pass_as_a_centre_key(content_pack):
    laptop_key = Ed25519PrivateKey.generate()
    PackLaptopKey.objects.create(name="room-3", public_key=keys.public_text(laptop_key))
    resign(content_pack, laptop_key)  # a validly signed pack, but by a laptop
    with pytest.raises(signing.PackRefused, match="受信任的中心"):
        signing.open_verified(content_pack, "content")
    with pytest.raises(CommandError, match="受信任的中心"):
        call_command("import_pack", str(content_pack))


def test_another_centre_is_trusted_only_when_told(content_pack):
    other_centre = Ed25519PrivateKey.generate()
    resign(content_pack, other_centre)
    with pytest.raises(signing.PackRefused, match="受信任的中心"):
        signing.open_verified(content_pack, "content")
    call_command("pack_keys", "trust-centre", keys.public_text(other_centre), **QUIET)
    assert signing.meta(signing.open_verified(content_pack, "content"))["kind"] == "content"
    with pytest.raises(CommandError):
        call_command("pack_keys", "trust-centre", "not-a-key", **QUIET)


def test_a_results_pack_needs_a_registered_laptop_key(energy, tmp_path):
    path = tmp_path / "room.pack"
    call_command("export_results_pack", "-o", str(path), **QUIET)
    device = keys.public_text(signing.private_key(signing.DEVICE))
    with pytest.raises(CommandError, match="未在本站登记"):
        call_command("merge_results_pack", str(path))
    call_command("pack_keys", "register", "room-12", device, **QUIET)
    call_command("merge_results_pack", str(path), **QUIET)
    call_command("pack_keys", "revoke", "room-12", **QUIET)
    with pytest.raises(signing.PackRefused, match="未在本站登记"):
        signing.open_verified(path, "results")
    # the centre's own content key is no laptop key either
    resign(path, signing.private_key(signing.CENTRE))
    with pytest.raises(signing.PackRefused, match="未在本站登记"):
        signing.open_verified(path, "results")


def test_wrong_kind_and_garbage_are_refused(content_pack, tmp_path):
    with pytest.raises(signing.PackRefused, match="results"):
        signing.open_verified(content_pack, "results")
    garbage = tmp_path / "garbage.pack"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(signing.PackRefused):
        signing.open_verified(garbage, "content")
    with pytest.raises(signing.PackRefused):
        signing.open_verified(tmp_path / "missing.pack", "content")
