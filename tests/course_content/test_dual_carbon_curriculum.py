"""The dual-carbon sample curriculum: every track and level can reach its required hours,
and every sample lesson has a text, a reading list that fills its hours and self-checks."""

import re
from decimal import Decimal

import pytest

from course_content.models import (
    CourseModulePage,
    LessonPage,
    ProgramGroupPage,
    ProgramLevel,
    ProgramPage,
)

pytestmark = pytest.mark.django_db

TRACKS = {"asset": "碳资产管理应用", "emission": "碳排放管理技术", "trading": "碳交易管理咨询", "monitoring": "碳监测管理技术"}
SAMPLE_MARK = "示例课程"


def _tracks():
    group = ProgramGroupPage.objects.get(slug="dual-carbon")
    return list(ProgramPage.objects.child_of(group).order_by("path"))


def _declared(program, level) -> Decimal:
    lessons = LessonPage.objects.live().descendant_of(program).prefetch_related("levels")
    return sum((lesson.declared_class_hours for lesson in lessons if lesson.counts_for(level)), Decimal("0"))


def test_the_group_has_the_four_tracks(site_data):
    assert {track.slug: track.title for track in _tracks()} == TRACKS


def test_every_track_and_level_reaches_its_required_hours(site_data):
    levels = ProgramLevel.objects.filter(program__in=_tracks())
    assert levels.count() == 12
    for level in levels:
        assert _declared(level.program, level) >= level.required_hours, (level.program.slug, level.code)
        assert level.required_hours == {"junior": 36, "intermediate": 40, "senior": 48}[level.code]


def test_levels_differ_and_senior_needs_senior_lessons(site_data):
    for track in _tracks():
        junior, intermediate, senior = (ProgramLevel.objects.get(program=track, code=c) for c in ("junior", "intermediate", "senior"))
        # A junior learner cannot reach the senior requirement with junior lessons alone.
        assert _declared(track, junior) < senior.required_hours
        assert _declared(track, junior) < _declared(track, intermediate) < _declared(track, senior)


def test_shared_lessons_reach_every_track_and_each_track_has_its_own_module(site_data):
    shared_slugs = None
    for track in _tracks():
        modules = {m.slug: m for m in CourseModulePage.objects.child_of(track)}
        assert "carbon-foundations" in modules and "exam-preparation" in modules
        slugs = set(LessonPage.objects.child_of(modules["carbon-foundations"]).values_list("slug", flat=True))
        shared_slugs = slugs if shared_slugs is None else shared_slugs
        assert slugs == shared_slugs and {"national-carbon-market", "ghg-accounting-standards", "ccer-and-offsets"} <= slugs
        own = [m for slug, m in modules.items() if slug not in ("carbon-foundations", "exam-preparation")]
        assert len(own) == 1 and TRACKS[track.slug] in own[0].title


def test_sample_lessons_have_text_reading_that_fills_the_hours_and_self_checks(site_data):
    sample_modules = [m for m in CourseModulePage.objects.descendant_of(ProgramGroupPage.objects.get(slug="dual-carbon"))
                      if SAMPLE_MARK in m.title]
    assert len(sample_modules) == 8  # the shared module in each of 4 tracks + 4 track modules
    lessons = [lesson for m in sample_modules for lesson in LessonPage.objects.child_of(m).specific()]
    assert len(lessons) >= 50
    for lesson in lessons:
        kinds = [block.block_type for block in lesson.body]
        text = str(lesson.body)
        assert kinds.count("text") >= 2, lesson.slug
        assert len(re.sub(r"<[^>]+>", "", str(lesson.body[0].value))) > 200, lesson.slug  # substantive text
        reading = re.search(r"阅读材料（约(\d+)学时）", text)
        assert reading, lesson.slug
        assert text.count("<li>", text.index("阅读材料")) >= 3, lesson.slug
        # Believable hours: the lesson text is about one class hour, the reading fills the rest.
        assert int(reading.group(1)) + 1 >= lesson.declared_class_hours, lesson.slug
        self_check = [block for block in lesson.body if block.block_type == "callout" and block.value["title"] == "自测题"]
        assert self_check and 1 <= str(self_check[0].value["text"]).count("<li>") <= 2, lesson.slug
        assert "lorem" not in text.lower()
