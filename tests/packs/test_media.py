"""A content pack carries the media files: made on the centre, imported on an empty laptop
site (a subprocess with its own database and media folder), the lessons render there with
their images, attachments and video, each URL answering 200 with the centre's bytes.
A lesson the centre changes reaches the laptop with the next pack (published there)."""

import hashlib
import io
import json
import os

import pytest
from django.core.management import call_command
from PIL import Image

from packs.services import signing
from packs.services.keys import public_text

from .laptop import empty_site, laptop

pytestmark = pytest.mark.django_db

LAPTOP_VIEW = """
import hashlib, io, json, os, re
from django.conf import settings
from django.test import Client, RequestFactory
from django.views.static import serve
from PIL import Image
from packs.models import ImportedPage

def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content

client, out = Client(), {}
for key in json.loads(os.environ["PACK_TEST_ARGS"]):
    page = ImportedPage.objects.get(source_key=key).page.specific
    response = client.get(page.url)
    html = response.content.decode()
    seen = {"status": response.status_code, "live": page.live, "title": page.title, "images": [], "files": []}
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        assert src.startswith(settings.MEDIA_URL), src  # renditions are media files (served by the web server)
        image = serve(RequestFactory().get(src), src[len(settings.MEDIA_URL):], document_root=settings.MEDIA_ROOT)
        pixels = Image.open(io.BytesIO(body(image))).convert("RGB")
        seen["images"].append([image.status_code, list(pixels.size), hashlib.sha256(pixels.tobytes()).hexdigest()])
    for href in re.findall(r'(?:href|src)="(/documents/[^"]+|/lesson-media/[^"]+)"', html):
        file = client.get(href)
        seen["files"].append([file.status_code, hashlib.sha256(body(file)).hexdigest()])
    out[key] = seen
print(json.dumps(out))
"""


def sha(fieldfile) -> str:
    with fieldfile.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_a_pack_brings_lessons_with_their_media_to_an_empty_laptop(energy, tmp_path):
    from django.urls import reverse

    from tests.course_content.offline.content import add_image_block, build_offline_module

    content = build_offline_module(energy)
    first, second = content["lessons"]
    image = add_image_block(first)
    with image.file.open("rb") as handle:
        original = Image.open(io.BytesIO(handle.read())).convert("RGB")
    assert reverse("lesson_video", args=[content["video"].pk])  # the video URL the laptop must serve

    pack = tmp_path / "energy.pack"
    call_command("offline_pack", "energy", output=str(pack), stdout=open(os.devnull, "w"))
    room = empty_site(tmp_path / "laptop")
    laptop(room, "pack_keys", "trust-centre", public_text(signing.private_key(signing.CENTRE)))
    imported = laptop(room, "import_pack", str(pack))
    assert "refused 0" in imported and int(imported.split("media ")[1].split(",")[0]) >= 4, imported

    keys = [str(first.translation_key), str(second.translation_key)]
    seen = json.loads(laptop(room, "shell", "-c", LAPTOP_VIEW, PACK_TEST_ARGS=json.dumps(keys)).splitlines()[-1])
    one, two = seen[keys[0]], seen[keys[1]]
    assert one["status"] == two["status"] == 200 and one["live"] and two["live"]
    assert one["images"] == [[200, list(original.size), hashlib.sha256(original.tobytes()).hexdigest()]]
    assert sorted(one["files"]) == sorted([[200, sha(content["linked"].file)], [200, sha(content["handout"].file)]])
    assert sorted(two["files"]) == sorted([[200, sha(content["video"].file)], [200, sha(content["handout"].file)]])

    # the centre revises a lesson: the next pack updates (and publishes) it on the laptop
    second.title = "第二课：合同能源管理（修订）"
    second.save_revision().publish()
    call_command("offline_pack", "energy", output=str(pack), stdout=open(os.devnull, "w"))
    assert "pages 0, updated 1," in laptop(room, "import_pack", str(pack))
    seen = json.loads(laptop(room, "shell", "-c", LAPTOP_VIEW, PACK_TEST_ARGS=json.dumps(keys[1:])).splitlines()[-1])
    assert seen[keys[1]]["title"] == second.title and seen[keys[1]]["status"] == 200
