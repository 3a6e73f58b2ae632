"""The app shell served from the site root: manifest, service worker, offline page, icons."""

import io
import json

import pytest
from PIL import Image

from cms_site.pwa.services import shell

pytestmark = pytest.mark.django_db


def test_manifest_is_served_at_root_with_its_content_type_and_translated_name(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["scope"] == "/"
    assert {(icon["sizes"], icon["purpose"]) for icon in data["icons"]} >= {("192x192", "any"), ("512x512", "any")}

    zh = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans").content)
    assert zh["lang"] == "zh-hans"
    assert zh["name"] != data["name"]  # translated, not the English msgid


@pytest.mark.parametrize("purpose,size", [("any", 192), ("any", 512), ("maskable", 192), ("maskable", 512)])
def test_icons_are_pngs_of_the_declared_size(client, purpose, size):
    response = client.get(f"/pwa/icons/{purpose}-{size}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (size, size)
    corner = image.convert("RGBA").getpixel((0, 0))
    # "any" icons have transparent rounded corners; maskable ones are full bleed.
    assert (corner[3] == 0) == (purpose == "any")


def test_unknown_icon_is_404(client):
    assert client.get("/pwa/icons/any-100.png").status_code == 404


def test_service_worker_is_javascript_at_root_revalidated_and_names_its_version(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    version = shell.shell_version()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["version"] == version
    assert "/pwa/offline/" in config["precache"] and "/static/pwa/pwa.js" in config["precache"]


def test_version_changes_with_the_release(settings):
    before = shell.shell_version()
    settings.PWA_RELEASE = "next-release"
    assert shell.shell_version() != before


def test_every_precached_url_answers_200(client):
    for url in shell.precache_urls():
        if url.startswith("/static/"):
            continue  # static files are served by WhiteNoise/the live server, checked in e2e
        assert client.get(url).status_code == 200, url


def test_offline_page_needs_no_login_and_carries_no_user_data(client, django_user_model):
    response = client.get("/pwa/offline/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"You are offline" in response.content
    assert b"csrfmiddlewaretoken" not in response.content


def test_base_template_links_manifest_and_registers_worker(client, site_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-sw-url="/sw.js"' in html and "/static/pwa/pwa.js" in html
