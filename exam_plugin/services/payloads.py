"""What a candidate is shown. The only place candidate payloads are built, so the rule
"no answer key before release" is checked in one place (and tested over every endpoint).

Options are sent as texts in display order; the candidate answers with positions
(``0..n-1``). The mapping to option keys, the correct keys, reference answers and
rubrics never leave the server while the attempt is not released.
"""

from django.utils import timezone
from wagtail.rich_text import expand_db_html

from ..models import Attempt, AttemptItem, Question
from . import clock, exposure


def _display_value(item: AttemptItem):
    """Stored response -> what the client shows (positions for choices, text for short)."""
    if item.response is None:
        return None
    if item.question.kind == "short":
        return item.response
    index = {key: pos for pos, key in enumerate(item.option_order)}
    return sorted(index[k] for k in item.response if k in index)


def _option_texts(item: AttemptItem) -> list[str]:
    texts = {o["key"]: o["text"] for o in item.question.options}
    return [texts[key] for key in item.option_order if key in texts]


def paper_payload(attempt: Attempt, now=None) -> dict:
    now = now or timezone.now()
    items = list(attempt.items.select_related("question").order_by("position"))
    return {
        "attempt_id": attempt.pk,
        "mode": attempt.mode,
        "status": attempt.status,
        "server_now": now,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "earliest_hand_in": clock.earliest_hand_in(attempt),
        "answered": sum(1 for i in items if i.answered),
        "items": [
            {
                "position": item.position,
                "kind": item.question.kind,
                "stem": expand_db_html(item.question.stem),
                "options": _option_texts(item),
                "points": float(item.points),
                "value": _display_value(item),
                "seq": item.seq,
            }
            for item in items
        ],
    }


def clock_payload(attempt: Attempt, now=None) -> dict:
    now = now or timezone.now()
    return {
        "status": attempt.status,
        "server_now": now,
        "deadline": attempt.deadline,
        "earliest_hand_in": clock.earliest_hand_in(attempt),
        "seconds_left": max(0, int((attempt.deadline - now).total_seconds())),
    }


def review_allowed(attempt: Attempt) -> bool:
    if attempt.status != Attempt.Status.RELEASED:
        return False
    if attempt.sitting_id is None:
        return True  # free mock papers: review at once
    return bool(clock.exam_settings(attempt.enrolment.program).get("answer_review_after_release"))


def result_payload(attempt: Attempt, now=None) -> dict:
    """Score and pass/fail once released; the answer review only when allowed, its keys
    only as ``exposure.review_reveals`` permits."""
    released = attempt.status == Attempt.Status.RELEASED
    data = {
        "attempt_id": attempt.pk,
        "status": attempt.status,
        "released": released,
        "scored": attempt.scored,
        "score": float(attempt.score) if released and attempt.score is not None and not attempt.invalidated else None,
        "max_score": float(attempt.max_score) if released else None,
        "passed": attempt.passed if released else None,
        "invalidated": attempt.invalidated if released else False,
        "invalid_reason": attempt.invalid_reason if released and attempt.invalidated else "",
        "review": None,
    }
    if review_allowed(attempt):
        items = list(attempt.items.select_related("question").order_by("position"))
        locked = False
        if any(item.question.pool != Question.Pool.PRACTICE for item in items):
            locked = exposure.learner_locked(attempt.enrolment.learner, attempt.enrolment.program, now)
        data["review"] = [_review_item(item, exposure.review_reveals(item.question, locked=locked)) for item in items]
    return data


def _review_item(item: AttemptItem, reveal: bool) -> dict:
    """One reviewed question; with ``reveal`` false (``exposure``: the learner is locked)
    the key, the reference answer and the per-question score are withheld."""
    index = {key: pos for pos, key in enumerate(item.option_order)}
    return {
        "position": item.position,
        "kind": item.question.kind,
        "stem": expand_db_html(item.question.stem),
        "options": _option_texts(item),
        "value": _display_value(item),
        "key_withheld": not reveal,
        "correct": sorted(index[k] for k in item.question.correct if k in index) if reveal else [],
        "reference_answer": item.question.reference_answer if reveal else "",
        "points": float(item.points),
        "score": float(item.final_score) if reveal and item.final_score is not None else None,
    }
