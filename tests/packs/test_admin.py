"""The laptop-key screen of the packs app (Settings → Laptop keys): superusers list and
register keys there; a key that is not an Ed25519 public key is refused by the form."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.contenttypes.models import ContentType

from packs.models import PackLaptopKey
from packs.services.keys import fingerprint, public_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="keys-office", password="Office-2026!"
    )
    client.force_login(admin)
    return client


def test_laptop_keys_are_listed_with_their_fingerprint(office):
    key = public_text(Ed25519PrivateKey.generate())
    PackLaptopKey.objects.create(name="room-12", public_key=key)
    html = office.get("/admin/pack-laptop-keys/").content.decode()
    assert "room-12" in html and fingerprint(key) in html


def test_the_form_refuses_what_is_not_a_public_key(office):
    response = office.post(
        "/admin/pack-laptop-keys/new/", {"name": "room-13", "public_key": "not-a-key"}
    )
    assert response.status_code == 200 and not PackLaptopKey.objects.exists()
    key = public_text(Ed25519PrivateKey.generate())
    office.post("/admin/pack-laptop-keys/new/", {"name": "room-13", "public_key": key})
    assert PackLaptopKey.objects.get(name="room-13").public_key == key


def test_models_belong_to_the_packs_app_and_keep_their_tables():
    assert ContentType.objects.get_for_model(PackLaptopKey).app_label == "packs"
    assert PackLaptopKey._meta.db_table == "pwa_packlaptopkey"
