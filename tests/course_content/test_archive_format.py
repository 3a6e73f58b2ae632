"""The curriculum format covers every page and block type editors can use, and fixture
TOML files may carry media (paths relative to fixtures/) through the same importer."""

import io

import pytest
from django.apps import apps
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Page

from course_content.blocks import ArticleBodyBlock, FaqBodyBlock, LessonBodyBlock
from course_content.models import HomePage, LessonPage
from course_content.services.content_loader import FixtureRefused, load_content
from course_content.services.curriculum.blocks import BLOCK_TYPES
from course_content.services.curriculum.pages import PLAIN

pytestmark = pytest.mark.django_db


def test_every_page_type_of_the_core_travels_in_archives():
    page_models = {m for m in apps.get_app_config("course_content").get_models() if issubclass(m, Page)}
    assert page_models - set(PLAIN) == {HomePage}  # the site's home page belongs to the site, not a program


def test_every_block_type_travels_in_archives():
    used = set()
    for stream in (LessonBodyBlock(), ArticleBodyBlock(), FaqBodyBlock()):
        used |= set(stream.child_blocks)
    assert used <= set(BLOCK_TYPES), used - set(BLOCK_TYPES)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _fixture(tmp_path, image_key):
    (tmp_path / "content" / "media").mkdir(parents=True)
    (tmp_path / "content" / "media" / "chart.png").write_bytes(_png())
    (tmp_path / "content" / "extra.toml").write_text(f'''
program = "energy"
[[modules]]
slug = "fixture-media-module"
title = "图示模块"
[[modules.lessons]]
slug = "fixture-media-lesson"
title = "带图的课"
hours = 1.5
levels = ["senior"]
body = [{{ type = "image", image = "{image_key}", caption = "图" }}]
''', encoding="utf-8")


def test_fixture_media_load_once_and_published(energy, tmp_path):
    _fixture(tmp_path, "content/media/chart.png")
    images = get_image_model().objects.count()
    load_content(tmp_path, lambda _m: None)
    lesson = LessonPage.objects.get(slug="fixture-media-lesson")
    assert lesson.live and str(lesson.declared_class_hours) == "1.5"
    assert [level.code for level in lesson.levels.all()] == ["senior"]
    [block] = lesson.body
    with block.value["image"].file.open("rb") as handle:
        assert handle.read() == _png()
    load_content(tmp_path, lambda _m: None)  # a second load changes nothing
    assert get_image_model().objects.count() == images + 1
    assert LessonPage.objects.filter(slug="fixture-media-lesson").count() == 1


def test_fixture_media_outside_the_fixtures_folder_is_refused(energy, tmp_path):
    _fixture(tmp_path, "../../etc/passwd")
    with pytest.raises(FixtureRefused, match="fixture-media-lesson"):
        load_content(tmp_path, lambda _m: None)
    assert not LessonPage.objects.filter(slug="fixture-media-lesson").exists()
