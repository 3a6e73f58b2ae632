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
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.services import get_settings, is_enabled

from .models import Attempt, AttemptItem, OfflineSpell
from .services import attempts as attempt_services
from .services import clock


def reconnect_window(program) -> timedelta:
    """How long after the deadline a replay of journaled answers may arrive: the proctor
    plugin's ``reconnect_minutes`` when proctoring is on and it is set (non-zero), else
    the exam setting ``offline_reconnect_minutes``."""
    minutes = 0
    if is_enabled(program, "proctor_plugin"):
        minutes = int(get_settings(program, "proctor_plugin").get("reconnect_minutes") or 0)
    if not minutes:
        minutes = int(clock.exam_settings(program).get("offline_reconnect_minutes") or 0)
    return timedelta(minutes=minutes)


def last_contact(attempt: Attempt):
    """The server's last contact with ``attempt``: its latest save, the end of its last
    recorded spell, or its start."""
    saved = AttemptItem.objects.filter(attempt_id=attempt.pk).aggregate(m=Max("saved_at"))["m"]
    spell = attempt.offline_spells.aggregate(m=Max("ended_at"))["m"]
    return max(t for t in (attempt.started_at, saved, spell) if t is not None)


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
    result = {"saved": [], "stale": [], "errors": {}, "acked": {}}
    items = {i.position: i for i in attempt.items.select_related("question")}
    for answer in answers:
        pos, seq = answer.get("position"), answer.get("seq")
        item = items.get(pos)
        if item is None:
            result["errors"][str(pos)] = _("No such question.")
            continue
        written = attempt_services._parse_client_time(answer.get("client_written_at"))
        if written is None or written > attempt.deadline:
            result["errors"][str(pos)] = _("Written after the deadline; not accepted.")
            continue
        try:
            value = attempt_services._normalise_response(item, answer.get("value"))
        except attempt_services.AttemptError as err:
            result["errors"][str(pos)] = str(err)
            continue
        if not isinstance(seq, int) or not AttemptItem.objects.filter(pk=item.pk, seq__lt=seq).update(
            response=value, seq=seq, client_written_at=written, saved_at=now,
        ):
            result["stale"].append(pos)
            result["acked"][str(pos)] = AttemptItem.objects.filter(pk=item.pk).values_list("seq", flat=True).first()
            continue
        result["saved"].append(pos)
        result["acked"][str(pos)] = seq
    return result


def _rescore(attempt: Attempt, now) -> None:
    """The clock handed the paper in (or is about to): make sure it is, then score the
    objective items again with the late answers."""
    from .services.grading import score_objective

    if attempt.status == Attempt.Status.IN_PROGRESS:
        attempt_services.hand_in(attempt, reason=_("Time is up"), forced=False, now=now)
        return  # hand_in scores
    if attempt.status == Attempt.Status.GRADED:
        Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.GRADED, released_at__isnull=True).update(
            status=Attempt.Status.SUBMITTED, score=None, passed=None, graded_at=None,
        )
        attempt.refresh_from_db()
    score_objective(attempt)


def replay_answers(attempt: Attempt, answers: list[dict], now=None) -> dict:
    """Replay a device's journal after an offline spell (idempotent).

    Returns the save result (``saved``/``stale``/``errors``/``acked``) plus ``spell``
    (the recorded spell's id) and ``late`` (how many answers were taken after the
    deadline). Raises ``AttemptError`` when the paper no longer accepts them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        since = last_contact(attempt)
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
        attempt_services._log(
            attempt, "offline_spell", started_at=since.isoformat(), ended_at=now.isoformat(),
            answers=len(answers), late=late,
        )
    if result is None:
        attempt_services.refresh(attempt, now)
        raise attempt_services.AttemptError(_("The exam has ended; answers can no longer be changed."))
    if late:
        _rescore(attempt, now)
    return {**result, "spell": spell.pk, "late": late}
