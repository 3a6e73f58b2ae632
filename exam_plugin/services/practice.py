"""Practice by knowledge point with immediate feedback. Which questions a learner gets
(and whose keys ``check`` may reveal) is decided by ``exposure``: practice-pool questions,
plus ``both`` questions while the learner is not locked by a pending formal result.
Options are shown in their stored order."""

import random

from django.utils import timezone
from wagtail.rich_text import expand_db_html

from course_content.models import Enrolment

from ..models import KnowledgePoint, Question
from . import exposure


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


def is_locked(enrolment, now=None) -> bool:
    return exposure.learner_locked(enrolment.learner, enrolment.program, now)


def practice_pool(enrolment, now=None) -> list[Question]:
    """The online-practice questions ``enrolment``'s learner may have right now."""
    return exposure.practice_questions(
        enrolment.program, enrolment.level, locked=is_locked(enrolment, now), bulk=False
    )


def points_with_questions(enrolment, now=None) -> list[dict]:
    pool = practice_pool(enrolment, now)
    out = []
    for kp in KnowledgePoint.objects.filter(program=enrolment.program, parent__isnull=True):
        ids = _subtree_ids(kp)
        n = sum(1 for q in pool if q.knowledge_point_id in ids)
        if n:
            out.append({"code": kp.code, "name": kp.name, "questions": n})
    return out


def questions_for(enrolment, kp, count: int, now=None) -> list[dict]:
    ids = _subtree_ids(kp)
    pool = [q for q in practice_pool(enrolment, now) if q.knowledge_point_id in ids]
    chosen = random.sample(pool, min(count, len(pool)))
    return [
        {"id": q.pk, "kind": q.kind, "stem": expand_db_html(q.stem), "options": [o["text"] for o in q.options]}
        for q in chosen
    ]


def may_check(enrolment, question: Question, now=None) -> bool:
    """Feedback on ``question`` is allowed for this learner now (online practice)."""
    if question.program_id != enrolment.program_id:
        return False
    if question.levels and enrolment.level.code not in question.levels:
        return False
    if question.pool == Question.Pool.PRACTICE:  # never locked: skip the candidacy query
        return exposure.may_reveal(question, locked=False)
    return exposure.may_reveal(question, locked=is_locked(enrolment, now or timezone.now()))


def check(enrolment, question: Question, value) -> dict:
    """Feedback for a question the caller has cleared with ``may_check`` (or the bulk rule)."""
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
