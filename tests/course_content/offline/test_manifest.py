"""The listing behind "download for offline" and the panel on module pages."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def manifest(client, module):
    response = client.get(f"/api/offline/modules/{module.pk}")
    assert response.status_code == 200
    return response.json()


def test_listing_names_pages_files_and_sizes(client, offline_module):
    module, (first, second) = offline_module["module"], offline_module["lessons"]
    data = manifest(client, module)
    assert data["cache"] == f"pwa-module-{module.pk}"
    assert data["pages"] == [module.url, first.url, second.url]
    assert [lesson["title"] for lesson in data["lessons"]] == [first.title, second.title]

    handout, linked, video = offline_module["handout"], offline_module["linked"], offline_module["video"]
    assets = {asset["url"]: asset for asset in data["assets"]}
    assert set(assets) == {handout.url, linked.url}  # the handout appears twice but is listed once
    assert assets[handout.url]["bytes"] == handout.file.size and assets[handout.url]["kind"] == "document"
    assert data["assets_bytes"] == handout.file.size + linked.file.size
    assert data["videos"] == [{"url": video.url, "kind": "video", "title": video.title, "bytes": 256 * 1200}]
    assert data["videos_bytes"] == 256 * 1200


def test_listing_names_the_image_rendition_the_lesson_shows(client, offline_module, module_image):
    data = manifest(client, offline_module["module"])
    [image] = [asset for asset in data["assets"] if asset["kind"] == "image"]
    rendition = module_image.get_rendition("width-960")
    assert image["url"] == rendition.url and image["bytes"] == rendition.file.size
    lesson_html = client.get(offline_module["lessons"][0].url).content.decode()
    assert rendition.url in lesson_html  # the very file the page will ask for offline


def test_unpublished_and_restricted_lessons_are_left_out(client, offline_module, make_learner):
    module, (first, second) = offline_module["module"], offline_module["lessons"]
    second.unpublish()
    PageViewRestriction.objects.create(page=first, restriction_type=PageViewRestriction.LOGIN)
    assert manifest(client, module)["pages"] == [module.url]

    client.force_login(make_learner())
    assert manifest(client, module)["pages"] == [module.url, first.url]


def test_unknown_restricted_or_non_module_pages_are_404(client, offline_module, energy):
    module = offline_module["module"]
    assert client.get(f"/api/offline/modules/{energy.pk}").status_code == 404
    assert client.get("/api/offline/modules/999999").status_code == 404
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert client.get(f"/api/offline/modules/{module.pk}").status_code == 404


def test_the_download_panel_is_on_module_pages_only(client, offline_module):
    module, lesson = offline_module["module"], offline_module["lessons"][0]
    html = client.get(module.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'data-manifest-url="/api/offline/modules/{module.pk}"' in html and "离线下载" in html
    assert 'id="pwa-download"' not in client.get(lesson.url).content.decode()
    assert 'id="pwa-download"' not in client.get("/").content.decode()


def test_storage_page_is_shell_only(client, make_learner):
    client.force_login(make_learner(real_name="保密姓名"))
    html = client.get("/pwa/offline-storage/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="pwa-storage"' in html
    assert "保密姓名" not in html and "csrfmiddlewaretoken" not in html and "data-user" not in html
