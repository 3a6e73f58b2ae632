"""Starting, saving, handing in, compensating and invalidating attempts.

These are the functions other plugins call (the proctor plugin: ``hand_in``,
``compensate_time``, ``invalidate``). Every state change is logged with Wagtail's
audit log against the attempt's program.
"""

import secrets
from datetime import UTC, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Attempt, AttemptItem, Candidate, TimeCompensation
from . import clock
from .papers import blueprint_for, draw_paper


class AttemptError(Exception):
    """A refused action; ``str(err)`` is a translated message for the candidate."""


def _signal(name):
    from .. import signals

    return getattr(signals, name)


def _log(attempt, action, user=None, **data):
    log(instance=attempt.enrolment.program, action=f"exam_plugin.{action}", user=user,
        data={"attempt": attempt.pk, **data})


def _create(enrolment, *, mode, sitting=None, candidate=None, deadline, formal, now) -> Attempt:
    seed = secrets.randbits(62)
    blueprint = blueprint_for(enrolment.program, enrolment.level)
    drawn = draw_paper(blueprint, seed=seed, formal=formal)
    attempt = Attempt.objects.create(
        enrolment=enrolment, candidate=candidate, sitting=sitting, mode=mode,
        scored=sitting.scored if sitting is not None else True, seed=seed,
        started_at=now, deadline=deadline, max_score=sum(d.points for d in drawn),
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, position=i, question=d.question, points=d.points, option_order=d.option_order)
        for i, d in enumerate(drawn)
    )
    _signal("attempt_started").send_robust(sender=enrolment.program, attempt=attempt)
    return attempt


def start_formal_attempt(candidate: Candidate, now=None) -> Attempt:
    """The candidate's attempt at their sitting: created on first entry (inside the entry
    window), returned as is afterwards. One attempt per sitting. Raises
    ``clock.ClockRefusal`` outside the window and ``papers.BankShortage`` when the bank
    cannot make a paper."""
    now = now or timezone.now()
    existing = Attempt.objects.filter(candidate=candidate).first()
    if existing is not None:
        return refresh(existing, now)
    sitting = candidate.sitting
    clock.check_entry(sitting, now)
    formal = sitting.kind != sitting.Kind.MOCK
    with transaction.atomic():
        try:
            return _create(
                candidate.enrolment, mode=Attempt.Mode.FORMAL if formal else Attempt.Mode.MOCK,
                sitting=sitting, candidate=candidate, deadline=clock.formal_deadline(sitting), formal=formal, now=now,
            )
        except IntegrityError:  # a second tab raced us: the first one wins
            pass
    return Attempt.objects.get(candidate=candidate)


def start_mock_attempt(enrolment, now=None) -> Attempt:
    """A full mock paper from the practice pool, any time, as many as wanted."""
    now = now or timezone.now()
    minutes = clock.exam_settings(enrolment.program)["mock_minutes"]
    with transaction.atomic():
        return _create(enrolment, mode=Attempt.Mode.MOCK, deadline=now + timedelta(minutes=minutes), formal=False, now=now)


def refresh(attempt: Attempt, now=None) -> Attempt:
    """Hand in lazily when the clock ran out while nobody was looking."""
    if clock.is_overdue(attempt, now):
        hand_in(attempt, reason=_("Time is up"), forced=False, now=now)
        attempt.refresh_from_db()
    return attempt


def parse_client_time(value):
    if not value:
        return None
    if hasattr(value, "isoformat"):
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def normalise_response(item: AttemptItem, value):
    """Client positions -> original option keys (objective) or trimmed text (short).

    Raises ``AttemptError`` for a malformed value so nothing else of the batch is lost
    silently: the caller reports it per answer.
    """
    return normalise_value(item.question.kind, item.option_order, value)


def normalise_value(kind: str, option_order, value):
    if value is None:
        return None
    if kind == "short":
        if not isinstance(value, str):
            raise AttemptError(_("A short answer must be text."))
        if len(value) > 20_000:
            raise AttemptError(_("The answer is too long."))
        return value
    positions = value if isinstance(value, list) else [value]
    keys = []
    for pos in positions:
        if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos < len(option_order):
            raise AttemptError(_("Unknown option."))
        keys.append(option_order[pos])
    if kind == "single" and len(keys) > 1:
        raise AttemptError(_("Choose only one option."))
    return sorted(set(keys))


def save_answers(attempt: Attempt, answers: list[dict], now=None) -> dict:
    """Upsert answers ``[{"position", "seq", "value", "client_written_at"?}]``.

    Idempotent: a save whose ``seq`` is not above the stored one is ignored (reported
    as ``stale``), so replaying a journal twice or out of order changes nothing.
    Refused entirely once the deadline (plus a small flush grace) has passed.
    Returns ``{"saved": [pos…], "stale": [pos…], "errors": {pos: message}, "acked": {pos: seq}}``.
    """
    now = now or timezone.now()
    if not clock.accepts_saves(attempt, now):
        refresh(attempt, now)
        raise AttemptError(_("The exam has ended; answers can no longer be changed."))
    positions = {a.get("position") for a in answers}
    items = {
        i.position: i
        for i in AttemptItem.objects.filter(attempt_id=attempt.pk, position__in=positions)
        .select_related("question").only("id", "position", "option_order", "seq", "question__kind")
    }
    return write_answers(items, answers, now)


def write_answers(items: dict, answers: list[dict], now, *, written_by=None) -> dict:
    """Write each answer into its item (``items``: ``{position: AttemptItem}`` with the
    question's kind) when its ``seq`` is above the stored one; otherwise it is ``stale`` and
    acknowledged with the stored ``seq``. With ``written_by``, an answer the device did not
    write by then (or without a time) is refused. Returns the ``save_answers`` result."""
    result = {"saved": [], "stale": [], "errors": {}, "acked": {}}
    for answer in answers:
        pos, seq = answer.get("position"), answer.get("seq")
        item = items.get(pos)
        written = parse_client_time(answer.get("client_written_at"))
        try:
            if item is None:
                raise AttemptError(_("No such question."))
            if written_by is not None and (written is None or written > written_by):
                raise AttemptError(_("Written after the deadline; not accepted."))
            value = normalise_response(item, answer.get("value"))
        except AttemptError as err:
            result["errors"][str(pos)] = str(err)
            continue
        if isinstance(seq, int) and AttemptItem.objects.filter(pk=item.pk, seq__lt=seq).update(
            response=value, seq=seq, client_written_at=written, saved_at=now,
        ):
            result["saved"].append(pos)
            result["acked"][str(pos)] = seq
        else:
            result["stale"].append(pos)
            result["acked"][str(pos)] = AttemptItem.objects.filter(pk=item.pk).values_list("seq", flat=True).first()
    return result


# --- the lean save path (issue 16) --------------------------------------------------------
def candidate_hand_in(attempt: Attempt, now=None) -> Attempt:
    """The candidate's own hand-in, refused before the earliest hand-in time."""
    now = now or timezone.now()
    if not attempt.is_open:
        raise AttemptError(_("This paper was already handed in."))
    clock.check_candidate_hand_in(attempt, now)
    return hand_in(attempt, reason=_("Handed in by the candidate"), forced=False, now=now)


def hand_in(attempt: Attempt, *, reason: str, forced: bool, by=None, now=None) -> Attempt:
    """Close ``attempt`` now (idempotent: an attempt already handed in is returned
    unchanged). ``forced=True`` with a ``reason`` such as "cheating suspected" is how a
    proctor ends an exam; ``by`` is the user who did it (None: the system/clock).
    Objective questions are scored at once; sends ``attempt_submitted``."""
    from .grading import score_objective

    now = now or timezone.now()
    with transaction.atomic():
        updated = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED, submitted_at=min(now, attempt.deadline) if not forced else now,
            hand_in_reason=str(reason)[:200], forced=forced, handed_in_by=by,
        )
        attempt.refresh_from_db()
        if not updated:
            return attempt
        _log(attempt, "handed_in", user=by, reason=str(reason), forced=forced)
    _signal("attempt_submitted").send_robust(
        sender=attempt.enrolment.program, attempt=attempt, reason=str(reason), forced=forced
    )
    score_objective(attempt)
    attempt.refresh_from_db()
    return attempt


def compensate_time(attempt: Attempt, minutes: int, *, reason: str, by=None) -> Attempt:
    """Give ``attempt`` ``minutes`` more (logged). Refused for a handed-in attempt."""
    if minutes <= 0:
        raise AttemptError(_("Compensation must be at least one minute."))
    if not str(reason).strip():
        raise AttemptError(_("Give a reason for the compensation."))
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            raise AttemptError(_("This paper was already handed in."))
        locked.compensation_minutes += minutes
        locked.deadline = locked.deadline + timedelta(minutes=minutes)
        locked.save(update_fields=["compensation_minutes", "deadline"])
        TimeCompensation.objects.create(attempt=locked, minutes=minutes, reason=reason, by=by)
        _log(locked, "time_compensated", user=by, minutes=minutes, reason=str(reason))
    attempt.refresh_from_db()
    return attempt


def compensate_batch(attempts, minutes: int, *, reason: str, by=None) -> tuple[int, list[str]]:
    """Compensate several attempts; returns (how many, messages for the ones refused)."""
    done, refused = 0, []
    for attempt in attempts:
        try:
            compensate_time(attempt, minutes, reason=reason, by=by)
            done += 1
        except AttemptError as err:
            refused.append(f"{attempt.anonymous_code}: {err}")
    return done, refused


def invalidate(attempt: Attempt, *, reason: str, by=None) -> Attempt:
    """Declare ``attempt``'s score void (e.g. cheating confirmed). An open attempt is
    handed in first. If a passing result was already released, the core signal
    ``exam_result_invalidated`` is sent so certificates can be withdrawn."""
    from course_content.signals import exam_result_invalidated

    if attempt.is_open:
        hand_in(attempt, reason=reason, forced=True, by=by)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.invalidated:
            attempt.refresh_from_db()
            return attempt
        was_released_pass = locked.status == Attempt.Status.RELEASED and bool(locked.passed)
        locked.invalidated = True
        locked.invalid_reason = str(reason)[:300]
        locked.invalidated_by = by
        locked.invalidated_at = timezone.now()
        locked.passed = False if locked.passed is not None else None
        locked.save(update_fields=["invalidated", "invalid_reason", "invalidated_by", "invalidated_at", "passed"])
        _log(locked, "invalidated", user=by, reason=str(reason))
    if was_released_pass:
        exam_result_invalidated.send_robust(
            sender=locked.enrolment.program, enrolment=locked.enrolment, result_id=locked.result_id, reason=str(reason)
        )
    attempt.refresh_from_db()
    return attempt


def auto_hand_in_due(now=None) -> int:
    """Hand in every open attempt whose deadline (plus grace) has passed. Run by the
    ``exam_auto_hand_in`` command / periodic task; pages also do it lazily."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=clock.SAVE_GRACE_SECONDS)
    count = 0
    for attempt in Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff):
        hand_in(attempt, reason=_("Time is up"), forced=False, now=now)
        count += 1
    return count
