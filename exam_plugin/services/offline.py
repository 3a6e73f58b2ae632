"""A formal exam across an offline spell: replaying a device's answer journal.

The exam page (``static/exam_plugin/exam_journal.js``) keeps every answer in IndexedDB.
When a flush fails (no network) the journal remembers that it is in a spell and, once
the server answers again, sends its pending answers to the replay endpoint instead of
the ordinary save endpoint. The server decides everything with its own clock:

* the spell is recorded as an ``OfflineSpell`` from the server's **last contact** with
  the attempt (the latest save, earlier spell end or the start) to the replay's arrival;
* while the attempt still accepts saves, the answers go through the ordinary
  idempotent upsert (``services.attempts.save_answers``: stale ``seq``\\ s ignored);
* after the deadline, answers whose ``client_written_at`` is not after the deadline are
  still accepted when the replay arrives within the program's reconnect window and the
  last contact was before the deadline — the paper was handed in by the clock
  (not forced, not invalidated, result not released); objective scores are then
  recomputed. Everything else is refused as before.

Proctoring events journaled during the spell (leaves and returns the exam room's
watcher could not report live: ``{"id", "type": "leave"|"back", "kind", "at"}``) come
with the same replay. Their device times are corrected by the device's clock offset
(``sent_at`` against the server's arrival time) and clamped to the spell
``[last contact, arrival]``, so they can never reach outside the time the server was
not in contact, nor move the deadline. They are handed to the program-scoped signal
``signals.offline_events_replayed``; a receiver (the proctor plugin) applies the
program's rules exactly as it would have live and may answer "hand in, with this
reason, as of this moment". Answers written after that moment are refused (live, the
paper would have been closed); the paper is then handed in, forced, with the reason.

**Last contact** is the latest of: the start, the latest save, the end of the last
recorded spell, and ``Attempt.last_contact_at`` — touched (``touch``) by the exam
page's paper and clock requests (saves count through the items' ``saved_at``) and by
other plugins' live traffic (the proctor plugin's heartbeats). The exam page holds its
other requests back while it has a spell to replay, so the replay arrives first.
"""

import logging
from datetime import timedelta

from django.db import OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import signals
from ..models import Attempt, AttemptItem, OfflineSpell
from . import attempts as attempt_services
from . import clock

logger = logging.getLogger(__name__)


def reconnect_window(program) -> timedelta:
    """How long after the deadline a replay of journaled answers may arrive: the first
    positive window a plugin answers through ``signals.reconnect_window`` (the proctor
    plugin's ``reconnect_minutes`` where proctoring is on and it is set), else the exam
    setting ``offline_reconnect_minutes``."""
    for _receiver, answer in signals.reconnect_window.send_robust(sender=program):
        if isinstance(answer, timedelta) and answer > timedelta(0):
            return answer
    return timedelta(minutes=int(clock.exam_settings(program).get("offline_reconnect_minutes") or 0))


#: ``touch`` writes at most once per this many seconds per attempt (the save path is hot).
TOUCH_RESOLUTION = timedelta(seconds=5)


def touch(attempt_id: int, now=None) -> None:
    """Record a contact of the exam page (or a plugin's live traffic) with the attempt.

    Best effort, and cheap: a read, and a write only when the recorded contact is older
    than ``TOUCH_RESOLUTION``. A write refused by a busy database is logged, never
    raised (the request itself matters more); a missed contact only makes a later spell
    look longer, i.e. judged more strictly. Call it outside a transaction."""
    now = now or timezone.now()
    stale = Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=now - TOUCH_RESOLUTION)
    rows = Attempt.objects.filter(pk=attempt_id, status=Attempt.Status.IN_PROGRESS)
    if not rows.filter(stale).exists():
        return
    try:
        with transaction.atomic():
            rows.filter(stale).update(last_contact_at=now)
    except OperationalError:
        logger.warning("Contact with attempt %s at %s not recorded (database busy)", attempt_id, now)


def last_contact(attempt: Attempt):
    """The server's last contact of any kind with ``attempt``: a request of the exam
    page or a heartbeat (``last_contact_at``), its latest save, the end of its last
    recorded spell, or its start."""
    saved = AttemptItem.objects.filter(attempt_id=attempt.pk).aggregate(m=Max("saved_at"))["m"]
    spell = attempt.offline_spells.aggregate(m=Max("ended_at"))["m"]
    touched = Attempt.objects.filter(pk=attempt.pk).values_list("last_contact_at", flat=True).first()
    return max(t for t in (attempt.started_at, saved, spell, touched) if t is not None)


def bound_events(events: list[dict], *, since, now, sent_at=None) -> list[dict]:
    """Journaled events with server times: shifted by the device's clock offset
    (``now - sent_at``, when the device said when it sent them), clamped into
    ``[since, now]`` and kept in journal order with non-decreasing times (a device
    cannot make a later event earlier than the one before it)."""
    offset = (now - sent_at) if sent_at is not None else timedelta(0)
    bounded, floor = [], since
    for event in events:
        at = attempt_services.parse_client_time(event.get("at"))
        at = since if at is None else min(max(at + offset, since), now)
        at = max(at, floor)
        floor = at
        bounded.append({**event, "at": at})
    return bounded


def _rules_decision(attempt: Attempt, events: list[dict], since, now) -> dict | None:
    """Ask the plugins (``offline_events_replayed``) what the replayed events mean; the
    first ``{"hand_in_reason", "at"}`` answer wins."""
    for _receiver, answer in signals.offline_events_replayed.send_robust(
        sender=attempt.enrolment.program, attempt=attempt, events=events, since=since, now=now,
    ):
        if isinstance(answer, dict) and answer.get("hand_in_reason"):
            return {"hand_in_reason": str(answer["hand_in_reason"]), "at": answer.get("at") or now}
    return None


def _written_by(answers: list[dict], moment, offset: timedelta) -> tuple[list[dict], dict]:
    """Split answers into those written by ``moment`` (device times shifted by the
    device's clock ``offset``) and refusals for the rest."""
    kept, refused = [], {}
    for answer in answers:
        written = attempt_services.parse_client_time(answer.get("client_written_at"))
        if written is not None and written + offset > moment:
            refused[str(answer.get("position"))] = _("Written after the paper was handed in; not accepted.")
        else:
            kept.append(answer)
    return kept, refused


def _late_acceptable(attempt: Attempt, since, now) -> bool:
    if attempt.mode != Attempt.Mode.FORMAL or attempt.forced or attempt.invalidated:
        return False
    if attempt.status not in (Attempt.Status.IN_PROGRESS, Attempt.Status.SUBMITTED, Attempt.Status.GRADED):
        return False
    if attempt.released_at is not None:
        return False
    return since <= attempt.deadline and now <= attempt.deadline + reconnect_window(attempt.enrolment.program)


def _upsert_late(attempt: Attempt, answers: list[dict], now) -> dict:
    """Store answers written before the deadline into a paper the clock closed."""
    items = {i.position: i for i in attempt.items.select_related("question")}
    return attempt_services.write_answers(items, answers, now, written_by=attempt.deadline)

def _rescore(attempt: Attempt, now) -> None:
    """The clock handed the paper in (or is about to): make sure it is, then score the
    objective items again with the late answers."""
    from .grading import score_objective

    if attempt.status == Attempt.Status.IN_PROGRESS:
        attempt_services.hand_in(attempt, reason=_("Time is up"), forced=False, now=now)
        return  # hand_in scores
    if attempt.status == Attempt.Status.GRADED:
        Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.GRADED, released_at__isnull=True).update(
            status=Attempt.Status.SUBMITTED, score=None, passed=None, graded_at=None,
        )
        attempt.refresh_from_db()
    score_objective(attempt)


def replay_answers(attempt: Attempt, answers: list[dict], now=None, *, events=None, sent_at=None) -> dict:
    """Replay a device's journal after an offline spell (idempotent).

    ``events`` are the journaled proctoring events (see the module docstring),
    ``sent_at`` the device's clock when it sent them. Returns the save result
    (``saved``/``stale``/``errors``/``acked``) plus ``spell`` (the recorded spell's id),
    ``late`` (how many answers were taken after the deadline) and ``hand_in_reason``
    (non-empty when the replayed events forced the hand-in). Raises ``AttemptError``
    when the paper no longer accepts answers.
    """
    now = now or timezone.now()
    events = list(events or [])
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        since = last_contact(attempt)
        decision = None
        sent = attempt_services.parse_client_time(sent_at)
        if attempt.is_open and attempt.mode == Attempt.Mode.FORMAL:
            decision = _rules_decision(attempt, bound_events(events, since=since, now=now, sent_at=sent), since, now)
        refused = {}
        if decision is not None:
            answers, refused = _written_by(answers, decision["at"], (now - sent) if sent else timedelta(0))
        late = 0
        if clock.accepts_saves(attempt, now):
            result = attempt_services.save_answers(attempt, answers, now=now)
        elif _late_acceptable(attempt, since, now):
            result = _upsert_late(attempt, answers, now)
            late = len(result["saved"])
        else:
            result = None
        spell, created = OfflineSpell.objects.get_or_create(
            attempt=attempt, started_at=since,
            defaults={"ended_at": now, "answers_replayed": len(answers), "late_answers_accepted": late},
        )
        if not created:
            spell.ended_at = max(spell.ended_at, now)
            spell.answers_replayed += len(answers)
            spell.late_answers_accepted += late
            spell.save(update_fields=["ended_at", "answers_replayed", "late_answers_accepted"])
        Attempt.objects.filter(pk=attempt.pk).update(last_contact_at=now)
        attempt_services._log(
            attempt, "offline_spell", started_at=since.isoformat(), ended_at=now.isoformat(),
            answers=len(answers), late=late, events=len(events),
            hand_in_reason=decision["hand_in_reason"] if decision else "",
        )
    if decision is not None:
        attempt_services.hand_in(attempt, reason=decision["hand_in_reason"], forced=True, now=now)
    if result is None:
        attempt_services.refresh(attempt, now)
        raise attempt_services.AttemptError(_("The exam has ended; answers can no longer be changed."))
    if late:
        _rescore(attempt, now)
    result["errors"].update(refused)
    for position in refused:
        result["acked"].pop(position, None)
    return {**result, "spell": spell.pk, "late": late, "hand_in_reason": decision["hand_in_reason"] if decision else ""}
