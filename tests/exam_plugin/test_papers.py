from collections import Counter
from decimal import Decimal

import pytest

from exam_plugin.models import Blueprint, KnowledgePoint, Question
from exam_plugin.services.papers import BankShortage, check_blueprint, draw_paper


def _root(kp):
    return kp.root().code


@pytest.mark.parametrize("level", ["junior", "intermediate", "senior"])
def test_fixture_bank_draws_a_full_paper_honouring_shares(energy, level):
    blueprint = Blueprint.objects.get(program=energy, level__code=level)
    paper = draw_paper(blueprint, seed=12345, formal=True)
    assert len(paper) == 64
    assert sum(d.points for d in paper) == Decimal("100")
    assert Counter(d.question.kind for d in paper) == {"single": 40, "multiple": 20, "short": 4}
    assert len({d.question.pk for d in paper}) == 64
    points = Counter()
    for d in paper:
        points[_root(d.question.knowledge_point)] += d.points
    # Shares are honoured exactly in points: 20/30/15/10/10/15 of 100.
    assert {k: float(v) for k, v in points.items()} == {k: float(v) for k, v in blueprint.shares.items()}
    # Only reviewed, non-practice questions reach a formal paper.
    assert all(d.question.status == "reviewed" and d.question.pool != "practice" for d in paper)


def test_same_seed_same_paper_and_options_shuffled_on_the_server(energy):
    blueprint = Blueprint.objects.get(program=energy, level__code="junior")
    one = draw_paper(blueprint, seed=7, formal=True)
    two = draw_paper(blueprint, seed=7, formal=True)
    other = draw_paper(blueprint, seed=8, formal=True)
    assert [(d.question.pk, d.option_order) for d in one] == [(d.question.pk, d.option_order) for d in two]
    assert [d.question.pk for d in one] != [d.question.pk for d in other]
    shuffled = [d for d in one if d.question.options and d.option_order != [o["key"] for o in d.question.options]]
    assert shuffled  # some option orders differ from the stored order


def test_bank_has_one_and_a_half_papers_per_level(energy):
    formal = Question.objects.filter(program=energy, is_current=True, status="reviewed").exclude(pool="practice")
    kinds = Counter(formal.values_list("kind", flat=True))
    assert kinds["single"] >= 60 and kinds["multiple"] >= 30 and kinds["short"] >= 6


def test_unsatisfiable_bank_names_what_is_missing(energy):
    blueprint = Blueprint.objects.get(program=energy, level__code="junior")
    Question.objects.filter(program=energy, kind="short", knowledge_point__parent__code="M3").update(status="retired")
    messages = check_blueprint(blueprint)
    assert len(messages) == 1
    assert "M3" in messages[0] and "1" in messages[0] and "0" in messages[0]
    with pytest.raises(BankShortage):
        draw_paper(blueprint, seed=1, formal=True)
    # A mock paper borrows from other knowledge points instead.
    assert len(draw_paper(blueprint, seed=1, formal=False)) == 64


def test_too_few_questions_without_shares_reports_counts(energy):
    blueprint = Blueprint.objects.get(program=energy, level__code="senior")
    blueprint.shares = {}
    blueprint.sections = [{"kind": "multiple", "count": 500, "points": 1}]
    blueprint.save()
    [message] = check_blueprint(blueprint)
    assert "500" in message


def test_practice_pool_keeps_formal_only_questions_out(energy):
    from exam_plugin.services.papers import eligible_questions

    level = energy.levels.get(code="junior")
    q = Question.objects.filter(program=energy, kind="single").first()
    q.pool = Question.Pool.FORMAL
    q.save()
    assert q not in eligible_questions(energy, level, formal=False)
    assert q in eligible_questions(energy, level, formal=True)
    practice_only = Question.objects.get(program=energy, pool="practice", family="ES089")
    assert practice_only not in eligible_questions(energy, level, formal=True)


def test_level_restricted_question_only_on_that_level(energy):
    from exam_plugin.services.papers import eligible_questions

    q = Question.objects.filter(program=energy, kind="single").first()
    q.levels = ["senior"]
    q.save()
    assert q not in eligible_questions(energy, energy.levels.get(code="junior"), formal=True)
    assert q in eligible_questions(energy, energy.levels.get(code="senior"), formal=True)
    assert KnowledgePoint.objects.filter(program=energy, parent__isnull=True).count() == 6
