"""Packs are refused when changed, signed with another key, of the wrong kind or not packs."""

import os
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from cms_site.pwa.packs import signing

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_pack(energy, tmp_path):
    path = tmp_path / "energy.pack"
    call_command("offline_pack", "energy", output=str(path), stdout=open(os.devnull, "w"))
    return path


def test_a_fresh_pack_verifies(content_pack):
    db = signing.open_verified(content_pack, "content")
    assert signing.meta(db)["program"] == "energy"


def test_a_changed_row_is_refused(content_pack):
    db = sqlite3.connect(content_pack)
    db.execute("update pages set title = title || '!' where rowid = 1")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="签名不符"):
        call_command("import_pack", str(content_pack))


def test_an_added_table_is_refused(content_pack):
    db = sqlite3.connect(content_pack)
    db.execute("create table extra (x)")
    db.commit()
    db.close()
    with pytest.raises(signing.PackRefused):
        signing.open_verified(content_pack, "content")


def test_another_key_wrong_kind_and_garbage_are_refused(content_pack, settings, tmp_path):
    with pytest.raises(signing.PackRefused, match="results"):
        signing.open_verified(content_pack, "results")
    settings.PACK_SIGNING_KEY = "some-other-organisation"
    with pytest.raises(signing.PackRefused, match="签名不符"):
        signing.open_verified(content_pack, "content")
    garbage = tmp_path / "garbage.pack"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(signing.PackRefused):
        signing.open_verified(garbage, "content")
    with pytest.raises(signing.PackRefused):
        signing.open_verified(tmp_path / "missing.pack", "content")
