"""Offline mock tests: practice sets downloaded to a device, taken and scored there, and
their results synced back.

A set holds questions of the **practice pool only** (``eligible_questions(formal=False)``:
never formal-only, never retired) with their keys as option positions: releasing them is
the same as the immediate feedback of online practice, so nothing of the formal pool
leaves the server. Results come back as ``{"client_uuid", "taken_at", "answers":
[{"question_id", "value"}]}``; the server ignores any score the device computed and scores
again with the same keys. A ``client_uuid`` already stored is acknowledged and ignored.
"""

import random
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from .models import PracticeResult, Question
from .services.papers import eligible_questions
from .services.practice import check

MAX_SET = 100
MAX_ANSWERS = 200


def practice_item(question: Question) -> dict:
    """One question with its practice key (positions of the correct options)."""
    keys = [o["key"] for o in question.options]
    return {
        "id": question.pk,
        "kind": question.kind,
        "stem": expand_db_html(question.stem),
        "options": [o["text"] for o in question.options],
        "correct_options": sorted(keys.index(k) for k in question.correct if k in keys),
        "reference_answer": question.reference_answer,
    }


def practice_set(enrolment, count: int = 20, rng=None) -> dict:
    """A practice set for ``enrolment``'s level, keys released for practice only."""
    pool = eligible_questions(enrolment.program, enrolment.level, formal=False)
    count = max(1, min(int(count), MAX_SET))
    chosen = (rng or random).sample(pool, min(count, len(pool)))
    return {
        "program": enrolment.program.slug,
        "level": enrolment.level.code,
        "released_at": timezone.now().isoformat(),
        "questions": [practice_item(q) for q in chosen],
    }


def practice_bank(program) -> list[dict]:
    """Every practice-pool question of ``program`` (all levels) with its practice key
    and levels: the bank a training-room pack carries."""
    questions = Question.objects.filter(program=program, is_current=True).exclude(
        status=Question.Status.RETIRED).exclude(pool=Question.Pool.FORMAL).order_by("family")
    return [
        {**practice_item(q), "family": q.family, "levels": list(q.levels or []), "points": float(q.points),
         "difficulty": q.difficulty, "knowledge_point": q.knowledge_point.code, "knowledge_point_name": q.knowledge_point.name}
        for q in questions.select_related("knowledge_point")
    ]


def _score(enrolment, answers) -> tuple[list[dict], int, int]:
    ids = {a.get("question_id") for a in answers if isinstance(a, dict)}
    questions = {q.pk: q for q in Question.objects.filter(program=enrolment.program, pk__in=[i for i in ids if isinstance(i, int)])}
    kept, score, max_score = [], 0, 0
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        question = questions.get(answer.get("question_id"))
        if question is None or not question.allowed_in(formal=False):
            continue  # not a practice question of this program: ignored, never scored
        value = answer.get("value")
        if question.kind == "short":
            kept.append({"question_id": question.pk, "value": value if isinstance(value, str) else "", "correct": None})
            continue
        correct = bool(check(enrolment, question, value)["correct"])
        max_score += 1
        score += correct
        kept.append({"question_id": question.pk, "value": value, "correct": correct})
    return kept, score, max_score


def record_practice_results(enrolment, results: list, source=PracticeResult.Source.OFFLINE) -> list[dict]:
    """Store synced results; one outcome per result: ``{"client_uuid", "status":
    "stored"|"duplicate"|"refused", "score", "max_score"}`` (``detail`` when refused)."""
    outcomes = []
    for entry in results:
        raw = entry.get("client_uuid") if isinstance(entry, dict) else None
        try:
            client_uuid = uuid.UUID(str(raw))
        except ValueError:
            outcomes.append({"client_uuid": raw, "status": "refused", "detail": _("A result needs a valid id.")})
            continue
        existing = PracticeResult.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            if existing.enrolment.learner_id != enrolment.learner_id:
                outcomes.append({"client_uuid": str(client_uuid), "status": "refused",
                                 "detail": _("This result belongs to another account.")})
            else:
                outcomes.append({"client_uuid": str(client_uuid), "status": "duplicate",
                                 "score": existing.score, "max_score": existing.max_score})
            continue
        answers = entry.get("answers")
        if not isinstance(answers, list) or len(answers) > MAX_ANSWERS:
            outcomes.append({"client_uuid": str(client_uuid), "status": "refused", "detail": _("Send a list of answers.")})
            continue
        kept, score, max_score = _score(enrolment, answers)
        taken_at = parse_datetime(str(entry.get("taken_at") or "")) if entry.get("taken_at") else None
        if taken_at is not None and timezone.is_naive(taken_at):
            taken_at = timezone.make_aware(taken_at, timezone.UTC)
        try:
            with transaction.atomic():
                PracticeResult.objects.create(
                    enrolment=enrolment, client_uuid=client_uuid, source=source, taken_at=taken_at,
                    answers=kept, score=score, max_score=max_score,
                )
        except IntegrityError:  # the same result raced in from another request
            outcomes.append({"client_uuid": str(client_uuid), "status": "duplicate", "score": score, "max_score": max_score})
            continue
        outcomes.append({"client_uuid": str(client_uuid), "status": "stored", "score": score, "max_score": max_score})
    return outcomes
