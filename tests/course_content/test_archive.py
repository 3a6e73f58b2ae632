"""Curriculum archives: export a program → import into an EMPTY database (a second
installation in a subprocess) → the course tree, hours, levels, media and bank come back
exactly, as drafts; a second import changes nothing."""

import hashlib
import json
import zipfile

import pytest
from django.core.management import call_command

from tests.course_content.offline.content import add_image_block, build_offline_module
from tests.packs.laptop import empty_site, laptop

pytestmark = pytest.mark.django_db

DRAFT_STATE = """
import json
from course_content.models import CourseModulePage, LessonPage, ProgramPage
print(json.dumps({
    "live": LessonPage.objects.live().count() + CourseModulePage.objects.live().count() + ProgramPage.objects.live().count(),
    "lessons": LessonPage.objects.count(),
    "without_revision": LessonPage.objects.filter(latest_revision__isnull=True).count(),
}))
"""


def read(path):
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = json.loads(zf.read("curriculum.json"))
        files = {e["key"]: zf.read(e["path"]) for e in manifest["media"]}
    return manifest, data, files


def media_of(manifest, files):
    return {e["key"]: (e["kind"], e["title"], e["size"], e["sha256"], hashlib.sha256(files[e["key"]]).hexdigest())
            for e in manifest["media"]}


def test_export_import_into_an_empty_database_reproduces_the_curriculum(energy, tmp_path):
    from exam_plugin.models import Blueprint, KnowledgePoint, Question

    content = build_offline_module(energy)
    image = add_image_block(content["lessons"][0])
    source = tmp_path / "energy.zip"
    call_command("export_curriculum", "energy", output=str(source), stdout=open("/dev/null", "w"))
    manifest, data, files = read(source)

    # the archive holds what the site holds
    lessons = [lesson for module in data["modules"] for lesson in module["lessons"]]
    assert len(lessons) == sum(1 for _ in energy.get_descendants().type(*_lesson_type()))
    assert {q["family"] for q in data["sections"]["exam_plugin.bank"]["questions"]} == set(
        Question.objects.filter(program=energy, is_current=True).values_list("family", flat=True))
    assert len(data["sections"]["exam_plugin.bank"]["knowledge_points"]) == KnowledgePoint.objects.filter(program=energy).count()
    assert len(data["sections"]["exam_plugin.bank"]["blueprints"]) == Blueprint.objects.filter(program=energy).count() == 3
    image_sha = hashlib.sha256(image.file.open("rb").read()).hexdigest()
    handout_sha = hashlib.sha256(content["handout"].file.open("rb").read()).hexdigest()
    assert {f"image/{image_sha}", f"document/{handout_sha}"} <= set(files)
    first_lesson = next(lesson for lesson in lessons if lesson["slug"] == "pwa-lesson-one")
    assert {"type": "image", "image": f"image/{image_sha}", "caption": "图"} in first_lesson["body"]
    linked_sha = hashlib.sha256(content["linked"].file.open("rb").read()).hexdigest()
    assert f'media="document/{linked_sha}"' in first_lesson["body"][0]["html"]

    staging = empty_site(tmp_path / "staging")
    first = laptop(staging, "import_curriculum", str(source))
    assert "refused 0" in first and "updated 0" in first, first
    assert int(first.split("created ")[1].split(",")[0]) >= len(lessons)
    again = laptop(staging, "import_curriculum", str(source))
    assert again.startswith("created 0, updated 0,") and again.strip().endswith("refused 0"), again

    state = json.loads(laptop(staging, "shell", "-c", DRAFT_STATE).splitlines()[-1])
    assert state == {"live": 0, "lessons": len(lessons), "without_revision": 0}  # drafts for review

    back = tmp_path / "back.zip"
    laptop(staging, "export_curriculum", "energy", "-o", str(back))
    manifest_back, data_back, files_back = read(back)
    assert data_back == data  # tree, fields, keys, hours, levels, plugin states, bank
    assert media_of(manifest_back, files_back) == media_of(manifest, files)


def _lesson_type():
    from course_content.models import LessonPage

    return (LessonPage,)


def test_changed_pages_become_draft_revisions_and_bad_parts_are_refused(energy, tmp_path):
    """Import into the same site: unchanged pages stay, an edited lesson gets a draft
    revision (the live page keeps its text), a lesson with an unknown level is refused."""
    from course_content.models import LessonPage
    from course_content.services.curriculum.archive import Archive, write_archive
    from course_content.services.curriculum.exporter import export_program
    from course_content.services.curriculum.importer import DRAFT

    data, media = export_program(energy)
    lesson_spec = data["modules"][0]["lessons"][0]
    lesson_spec["title"] = lesson_spec["title"] + "（修订）"
    data["modules"][0]["lessons"].append({**data["modules"][0]["lessons"][1], "key": None, "slug": "bad-level",
                                          "levels": ["master"]})
    path = tmp_path / "edited.zip"
    write_archive(data, media, path)
    report = Archive(path).import_into_site(DRAFT)
    assert [(line.kind, line.label) for line in report.of("updated")] == [("lessonpage", f"/home/programs/energy/{data['modules'][0]['slug']}/{lesson_spec['slug']}/")]
    [refused] = report.of("refused")
    assert refused.label.endswith("/bad-level/") and "master" in refused.reason
    lesson = LessonPage.objects.get(translation_key=lesson_spec["key"])
    assert lesson.live and not lesson.title.endswith("（修订）") and lesson.has_unpublished_changes
    assert lesson.get_latest_revision_as_object().title.endswith("（修订）")
    assert not LessonPage.objects.filter(slug="bad-level").exists()
    again = Archive(path).import_into_site(DRAFT)
    assert again.counts["created"] == again.counts["updated"] == 0 and again.counts["refused"] == 1


def test_a_damaged_media_file_refuses_the_pages_that_use_it(energy, tmp_path):
    from course_content.models import CourseModulePage, LessonPage
    from course_content.services.curriculum.archive import Archive
    from course_content.services.curriculum.importer import DRAFT

    content = build_offline_module(energy)
    source = tmp_path / "energy.zip"
    call_command("export_curriculum", "energy", output=str(source), stdout=open("/dev/null", "w"))
    content["module"].delete()  # the module and its lessons are new again for the import
    handout = hashlib.sha256(content["handout"].file.open("rb").read()).hexdigest()
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if f"/{handout}/" in item.filename:
                data = data[:-1] + b"!"  # same size, other bytes
            zout.writestr(item, data)
    report = Archive(damaged).import_into_site(DRAFT)
    refused = {line.label.rstrip("/").rsplit("/", 1)[-1]: line.reason for line in report.of("refused")}
    assert set(refused) == {"pwa-lesson-one", "pwa-lesson-two", handout}
    assert handout in refused["pwa-lesson-one"]
    assert CourseModulePage.objects.filter(slug="pwa-offline-module").exists()
    assert not LessonPage.objects.filter(slug__in=["pwa-lesson-one", "pwa-lesson-two"]).exists()
