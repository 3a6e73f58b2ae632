"""Practice by knowledge point with immediate feedback (practice pool only: questions
marked formal-only never appear). Options are shown in their stored order."""

from wagtail.rich_text import expand_db_html

from course_content.models import Enrolment

from ..models import KnowledgePoint, Question
from .papers import eligible_questions


def enrolment_for(user, program):
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=user, program=program).select_related("level", "program").order_by("-created_at").first()


def _subtree_ids(kp) -> set[int]:
    ids, frontier = {kp.pk}, [kp.pk]
    while frontier:
        children = list(KnowledgePoint.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in ids]
        ids.update(frontier)
    return ids


def points_with_questions(enrolment) -> list[dict]:
    pool = eligible_questions(enrolment.program, enrolment.level, formal=False)
    out = []
    for kp in KnowledgePoint.objects.filter(program=enrolment.program, parent__isnull=True):
        ids = _subtree_ids(kp)
        n = sum(1 for q in pool if q.knowledge_point_id in ids)
        if n:
            out.append({"code": kp.code, "name": kp.name, "questions": n})
    return out


def questions_for(enrolment, kp, count: int) -> list[dict]:
    import random

    ids = _subtree_ids(kp)
    pool = [q for q in eligible_questions(enrolment.program, enrolment.level, formal=False) if q.knowledge_point_id in ids]
    chosen = random.sample(pool, min(count, len(pool)))
    return [
        {"id": q.pk, "kind": q.kind, "stem": expand_db_html(q.stem), "options": [o["text"] for o in q.options]}
        for q in chosen
    ]


def check(enrolment, question: Question, value) -> dict:
    keys = [o["key"] for o in question.options]
    correct_positions = sorted(keys.index(k) for k in question.correct if k in keys)
    if question.kind == "short":
        return {"correct": None, "correct_options": [], "reference_answer": question.reference_answer}
    chosen = value if isinstance(value, list) else ([] if value is None else [value])
    valid = [p for p in chosen if isinstance(p, int) and 0 <= p < len(keys)]
    return {
        "correct": sorted(set(valid)) == correct_positions,
        "correct_options": correct_positions,
        "reference_answer": question.reference_answer,
    }

