"""Offline mock tests: practice sets downloaded to a device, taken and scored there, and
their results synced back.

A set holds questions of the **practice pool only** (``services.exposure``, bulk rule: a
download outlives any lock, so never ``formal`` or ``both`` questions, never retired)
with their keys as option positions: nothing that can be on a formal paper leaves the
server. Results come back as ``{"client_uuid", "taken_at", "answers":
[{"question_id", "value"}]}``; the server ignores any score the device computed and scores
again with the same keys. A ``client_uuid`` already stored is acknowledged and ignored.
"""

import random
import uuid
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from ..models import PracticeResult, Question
from . import exposure
from .practice import check

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
    pool = exposure.practice_questions(enrolment.program, enrolment.level, locked=True, bulk=True)
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
    and levels: the bank a training-room pack carries (bulk rule of ``exposure``)."""
    questions = exposure.practice_questions(program, None, locked=True, bulk=True)
    return [
        {**practice_item(q), "family": q.family, "levels": list(q.levels or []), "points": float(q.points),
         "difficulty": q.difficulty, "knowledge_point": q.knowledge_point.code, "knowledge_point_name": q.knowledge_point.name}
        for q in questions
    ]


def _score(enrolment, answers) -> tuple[list[dict], int, int]:
    ids = {a.get("question_id") for a in answers if isinstance(a, dict)}
    questions = {q.pk: q for q in Question.objects.filter(program=enrolment.program, pk__in=[i for i in ids if isinstance(i, int)])}
    kept, score, max_score = [], 0, 0
    for answer in answers:
        if not isinstance(answer, dict):
            continue
        question = questions.get(answer.get("question_id"))
        if question is None or not exposure.may_reveal(question, locked=True, bulk=True):
            continue  # not in the practice pool: ignored, never scored (no signal about it)
        value = answer.get("value")
        if question.kind == "short":
            kept.append({"question_id": question.pk, "value": value if isinstance(value, str) else "", "correct": None})
            continue
        correct = bool(check(enrolment, question, value)["correct"])
        max_score += 1
        score += correct
        kept.append({"question_id": question.pk, "value": value, "correct": correct})
    return kept, score, max_score


def _taken_at(value):
    """The device's time of the try, or None when missing, unreadable or not plausible
    (before 2000 or more than a day ahead of the server): never a reason to refuse."""
    try:
        taken_at = parse_datetime(str(value)) if value else None
    except ValueError:
        return None
    if taken_at is None:
        return None
    if timezone.is_naive(taken_at):
        taken_at = timezone.make_aware(taken_at, UTC)
    if not datetime(2000, 1, 1, tzinfo=UTC) <= taken_at <= timezone.now() + timedelta(days=1):
        return None
    return taken_at


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
        taken_at = _taken_at(entry.get("taken_at"))
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
