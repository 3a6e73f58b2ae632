"""The dual-carbon sample banks: every track's bank (imported through the editors'
spreadsheet import by load_initial_data) draws formal and mock papers for every level,
honouring the knowledge-point shares, and a mock paper never shows a formal question."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from course_content.models import ProgramGroupPage, ProgramPage
from exam_plugin.models import Blueprint, KnowledgePoint, Question
from exam_plugin.services.bank import import_bank
from exam_plugin.services.papers import check_blueprint, draw_paper

pytestmark = pytest.mark.django_db

SEEDS = (1, 2, 3)


def _tracks():
    return list(ProgramPage.objects.child_of(ProgramGroupPage.objects.get(slug="dual-carbon")).order_by("path"))


def _blueprints():
    blueprints = list(Blueprint.objects.filter(program__in=_tracks()).select_related("program", "level"))
    assert len(blueprints) == 12  # 4 tracks × 3 levels
    return blueprints


def test_every_track_has_knowledge_points_with_shares_and_all_three_kinds(site_data):
    for track in _tracks():
        roots = set(KnowledgePoint.objects.filter(program=track, parent=None).values_list("code", flat=True))
        kinds = Counter(Question.objects.filter(program=track, is_current=True).values_list("kind", flat=True))
        assert set(kinds) == {"single", "multiple", "short"}, track.slug
        for blueprint in Blueprint.objects.filter(program=track):
            assert set(blueprint.shares) == roots and sum(blueprint.shares.values()) == 100, track.slug


def test_formal_and_mock_papers_draw_for_every_level_of_every_track(site_data):
    for blueprint in _blueprints():
        where = (blueprint.program.slug, blueprint.level.code)
        assert check_blueprint(blueprint, formal=True) == [], where
        assert check_blueprint(blueprint, formal=False) == [], where
        for seed in SEEDS:
            formal = draw_paper(blueprint, seed=seed, formal=True)
            mock = draw_paper(blueprint, seed=seed, formal=False)
            for paper in (formal, mock):
                assert sum(d.points for d in paper) == blueprint.total_points == Decimal("100"), where
                assert Counter(d.question.kind for d in paper) == {s["kind"]: s["count"] for s in blueprint.sections}
                assert len({d.question.pk for d in paper}) == len(paper)
            # Formal and mock papers are distinct: no question is on both.
            assert not {d.question.pk for d in formal} & {d.question.pk for d in mock}, where
            assert all(d.question.pool == "formal" and d.question.status == "reviewed" for d in formal), where
            assert all(d.question.pool == "practice" for d in mock), where
            # Knowledge-point shares are honoured exactly in points on the formal paper.
            points = Counter()
            for d in formal:
                points[d.question.knowledge_point.root().code] += d.points
            assert {k: float(v) for k, v in points.items()} == {k: float(v) for k, v in blueprint.shares.items()}, where


def test_no_bank_question_is_in_pool_both(site_data):
    """Whatever key-exposure rule applies, formal questions are never practice material."""
    assert not Question.objects.filter(program__in=_tracks(), pool="both").exists()


def test_the_fixture_spreadsheets_reimport_unchanged(site_data):
    """The fixtures are the editors' import format: importing them again changes nothing."""
    fixtures = Path(settings.BASE_DIR) / "fixtures" / "exam_plugin"
    for track in _tracks():
        for name in ("dual_carbon_common_bank.csv", f"dual_carbon_{track.slug}_bank.csv"):
            counts = import_bank(track, (fixtures / name).read_bytes(), "csv")
            assert counts["created"] == counts["updated"] == 0 and counts["unchanged"] > 0, (track.slug, name)
