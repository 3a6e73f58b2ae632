"""Argon2id with OWASP's minimum parameters, and the transparent upgrade of old hashes.

The test settings hash with MD5 for speed; these tests switch to the production list
(``cms_site.settings.base.PASSWORD_HASHERS``) so the real hashers run."""

import pytest
from argon2.low_level import Type
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)

from cms_site.settings import base

PASSWORD = "Energy-Study-2026"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def _assert_owasp_argon2id(encoded: str):
    from argon2 import extract_parameters

    algorithm, argon2_hash = encoded.split("$", 1)
    assert algorithm == "argon2"
    params = extract_parameters("$" + argon2_hash)  # Django stores argon2$argon2id$v=19$m=…
    assert params.type is Type.ID
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)


def test_production_settings_hash_new_passwords_with_owasp_argon2id(production_hashers):
    encoded = make_password(PASSWORD)
    _assert_owasp_argon2id(encoded)
    assert check_password(PASSWORD, encoded) and not check_password("wrong", encoded)
    # PBKDF2 stays accepted right after it: old hashes keep working until they are upgraded.
    assert base.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_a_pbkdf2_hash_becomes_argon2id_at_the_next_login(production_hashers, client, make_learner):
    user = make_learner()
    user.must_change_password = False
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post("/accounts/login/", {"username": user.document_number, "password": PASSWORD})

    assert response.status_code == 302  # logged in through the real login view
    assert client.get("/dashboard/").status_code == 200
    user.refresh_from_db()
    _assert_owasp_argon2id(user.password)
    assert user.check_password(PASSWORD)
    upgraded = user.password
    client.logout()
    assert client.post("/accounts/login/", {"username": user.document_number, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password == upgraded, "an up-to-date hash is not re-hashed at every login"


def test_a_wrong_password_does_not_upgrade_the_hash(production_hashers, client, make_learner):
    user = make_learner()
    old = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.password = old
    user.save()
    response = client.post("/accounts/login/", {"username": user.document_number, "password": "Wrong-2026"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old


def test_argon2_hashes_with_django_defaults_are_brought_to_the_owasp_parameters(production_hashers, client, make_learner):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = make_learner()
    user.must_change_password = False
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())  # m=100 MiB, p=8
    user.save()
    assert client.post("/accounts/login/", {"username": user.document_number, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    _assert_owasp_argon2id(user.password)
