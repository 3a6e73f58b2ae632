"""Scoring objective questions, marking short answers, finishing and releasing results.

Graders only ever see ``AttemptItem`` ids, the question, its reference answer and rubric
and the answer text: never the learner (``grader_queue`` returns no learner fields).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Attempt, AttemptItem, Mark
from .clock import exam_settings


class GradingError(Exception):
    """A refused mark; ``str(err)`` is translated."""


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def objective_score(item: AttemptItem, partial_credit: bool) -> Decimal:
    """All or nothing; with partial credit a share per correct option chosen, and
    nothing when any wrong option was chosen."""
    correct = set(item.question.correct)
    chosen = set(item.response or [])
    if not chosen:
        return Decimal("0")
    if chosen == correct:
        return item.points
    if item.question.kind == "multiple" and partial_credit and chosen <= correct and correct:
        return _q(item.points * len(chosen) / len(correct))
    return Decimal("0")


def score_objective(attempt: Attempt) -> None:
    """Score every objective item; finish the attempt when no short answer is left."""
    partial = bool(exam_settings(attempt.enrolment.program).get("multiple_choice_partial_credit"))
    items = list(attempt.items.select_related("question"))
    for item in items:
        if item.question.is_objective:
            item.auto_score = objective_score(item, partial)
            item.final_score = item.auto_score
        elif not item.answered:
            item.final_score = Decimal("0")  # nothing to mark
    AttemptItem.objects.bulk_update(items, ["auto_score", "final_score"])
    finish_if_marked(attempt)


def marks_needed(program) -> int:
    return 2 if exam_settings(program).get("double_marking") else 1


def grader_queue(program, grader, limit: int = 50) -> list[dict]:
    """Short answers waiting for ``grader``'s mark, anonymised.

    Each entry: ``item_id``, ``code`` (the attempt's anonymous code), ``round``,
    ``stem``, ``reference_answer``, ``rubric``, ``points``, ``answer``. Items the grader
    already marked are left out (double marking needs a different second grader).
    """
    needed = marks_needed(program)
    margin = Decimal(str(exam_settings(program).get("double_marking_margin") or 0))
    items = (
        AttemptItem.objects.filter(
            attempt__enrolment__program=program, attempt__status=Attempt.Status.SUBMITTED,
            question__kind="short", final_score__isnull=True,
        )
        .exclude(marks__grader=grader)
        .annotate(n_marks=Count("marks"))
        .select_related("question", "attempt")
        .order_by("attempt__submitted_at", "position")
    )
    queue = []
    for item in items:
        next_round = item.n_marks + 1
        if item.n_marks >= needed:
            scores = [m.score for m in item.marks.all()]
            if item.n_marks >= 3 or len(scores) < 2 or abs(scores[0] - scores[1]) <= margin:
                continue
            next_round = 3
        queue.append({
            "item_id": item.pk, "code": item.attempt.anonymous_code, "round": next_round,
            "stem": item.question.stem, "reference_answer": item.question.reference_answer,
            "rubric": item.question.rubric, "points": item.points, "answer": item.response or "",
        })
        if len(queue) >= limit:
            break
    return queue


def record_mark(item: AttemptItem, grader, score, comment: str = "") -> Mark:
    """Store ``grader``'s mark for a short answer and settle its final score when the
    marks needed are in (mean of two within the margin, else the third mark)."""
    try:
        score = Decimal(str(score))
    except Exception as err:  # noqa: BLE001 - any unparsable input is the same error
        raise GradingError(_("Enter a number.")) from err
    if score < 0 or score > item.points:
        raise GradingError(_("The score must be between 0 and %(max)s.") % {"max": item.points})
    if item.question.kind != "short" or item.final_score is not None:
        raise GradingError(_("This answer needs no mark."))
    if item.attempt.status != Attempt.Status.SUBMITTED:
        raise GradingError(_("This paper is not waiting for marks."))
    program = item.attempt.enrolment.program
    needed = marks_needed(program)
    margin = Decimal(str(exam_settings(program).get("double_marking_margin") or 0))
    with transaction.atomic():
        existing = list(item.marks.order_by("round"))
        if any(m.grader_id == grader.pk for m in existing):
            raise GradingError(_("You have already marked this answer."))
        next_round = len(existing) + 1
        if next_round > needed and not (
            needed == 2 and len(existing) == 2 and abs(existing[0].score - existing[1].score) > margin
        ):
            raise GradingError(_("This answer needs no mark."))
        try:
            mark = Mark.objects.create(item=item, grader=grader, round=next_round, score=_q(score), comment=comment)
        except IntegrityError as err:
            raise GradingError(_("Someone marked this answer at the same moment; reload the queue.")) from err
        marks = [*existing, mark]
        final = None
        if needed == 1:
            final = marks[0].score
        elif len(marks) == 2 and abs(marks[0].score - marks[1].score) <= margin:
            final = _q((marks[0].score + marks[1].score) / 2)
        elif len(marks) == 3:
            final = marks[2].score
        if final is not None:
            AttemptItem.objects.filter(pk=item.pk).update(final_score=final)
    finish_if_marked(item.attempt)
    return mark


def finish_if_marked(attempt: Attempt) -> bool:
    """When every item has a final score: total, pass/fail, status GRADED, signal.
    Mock attempts are released at once (their review is immediate)."""
    from .. import signals

    if attempt.items.filter(final_score__isnull=True).exists():
        return False
    total = sum((i.final_score for i in attempt.items.all()), Decimal("0"))
    pass_points = Decimal(str(exam_settings(attempt.enrolment.program)["pass_points"]))
    updated = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.SUBMITTED).update(
        status=Attempt.Status.GRADED, score=_q(total),
        passed=(total >= pass_points) if attempt.scored and not attempt.invalidated else (False if attempt.invalidated else None),
        graded_at=timezone.now(),
    )
    if not updated:
        return False
    attempt.refresh_from_db()
    signals.attempt_graded.send_robust(sender=attempt.enrolment.program, attempt=attempt)
    sitting = attempt.sitting
    if (
        sitting is None
        or sitting.kind == sitting.Kind.MOCK
        or (sitting.results_released_at is not None and sitting.results_released_at <= timezone.now())
    ):
        release(attempt)
    return True


def release(attempt: Attempt) -> bool:
    """Make a graded result visible; sends ``result_released`` and, for a valid scored
    formal pass, the core ``exam_passed``."""
    from course_content.signals import exam_passed

    from .. import signals

    now = timezone.now()
    updated = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.GRADED).update(
        status=Attempt.Status.RELEASED, released_at=now
    )
    if not updated:
        return False
    attempt.refresh_from_db()
    program = attempt.enrolment.program
    signals.result_released.send_robust(sender=program, attempt=attempt)
    if attempt.mode == Attempt.Mode.FORMAL and attempt.scored and attempt.passed and not attempt.invalidated:
        passed_on = timezone.localdate(attempt.sitting.starts_at) if attempt.sitting else timezone.localdate(now)
        exam_passed.send_robust(
            sender=program, enrolment=attempt.enrolment, result_id=attempt.result_id, score=attempt.score,
            passed_on=passed_on,
        )
    return True


def release_due(now=None) -> int:
    """Release the results of sittings whose release time has come (periodic task)."""
    from ..models import ExamSitting

    now = now or timezone.now()
    count = 0
    for sitting in ExamSitting.objects.filter(results_released_at__lte=now):
        for attempt in sitting.attempts.filter(status=Attempt.Status.GRADED):
            count += release(attempt)
    return count


def release_sitting(sitting, now=None) -> int:
    """Release a sitting's graded results now (admin action) and remember the time."""
    now = now or timezone.now()
    if sitting.results_released_at is None or sitting.results_released_at > now:
        sitting.results_released_at = now
        sitting.save(update_fields=["results_released_at"])
    return release_due(now)


def waiting_counts(sitting) -> dict:
    qs = sitting.attempts.all()
    return {
        "submitted": qs.filter(status=Attempt.Status.SUBMITTED).count(),
        "graded": qs.filter(status=Attempt.Status.GRADED).count(),
        "released": qs.filter(status=Attempt.Status.RELEASED).count(),
        "open": qs.filter(status=Attempt.Status.IN_PROGRESS).count(),
        "short_waiting": AttemptItem.objects.filter(
            Q(attempt__sitting=sitting), question__kind="short", final_score__isnull=True
        ).count(),
    }
