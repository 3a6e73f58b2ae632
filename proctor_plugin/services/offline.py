"""Exam-room rules across an offline spell of the exam page.

The watcher reports leaves and returns live; while the exam page cannot reach the
server it journals them instead (``exam_plugin/static/exam_plugin/exam_journal.js``)
and the exam plugin replays them with the answers, sending
``exam_plugin.signals.offline_events_replayed`` with server-bounded times. Here the
program's rules are applied to them exactly as live (``rules.replayed_leaves`` /
``rules.judge_replayed_leaves``): every leave is recorded as a ``LeaveEvent``; one not
back within ``leave_return_seconds``, or the one that reaches ``leave_limit``, ends
the exam (the answer tells the exam plugin the reason and the moment). A spell longer
than ``offline_window_minutes`` flags the sitting for the proctor (a "connection
lost" incident saying so). Replays are idempotent: applied event ids are kept in the
audit log (``offline_events``) and skipped when a device sends them again.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Incident, LeaveEvent
from . import audit, monitoring, rules
from .preflight import proctor_settings


def _applied_ids(ps) -> set[str]:
    ids = set()
    for data in ps.actions.filter(action="offline_events").values_list("data", flat=True):
        ids.update((data or {}).get("event_ids", []))
    return ids


def flag_long_spell(ps, settings_, *, since, now) -> bool:
    """Flag the sitting when the spell was longer than the program's offline window."""
    if not rules.offline_window_exceeded(settings_, since=since, back_at=now):
        return False
    minutes = round((now - since).total_seconds() / 60, 1)
    detail = _("Offline for %(minutes)s minutes (more than the %(limit)d allowed)") % {
        "minutes": minutes, "limit": int(settings_["offline_window_minutes"]),
    }
    audit.incident(ps, Incident.Kind.CONNECTION_LOST, detail=detail)
    audit.record(ps, "offline_window_exceeded", reason=detail, since=since.isoformat(), back=now.isoformat())
    return True


def _forced_reason(settings_, outcome) -> str:
    if outcome == rules.LeaveOutcome.FORCED_TIMEOUT:
        detail = _("not back within %(s)d seconds") % {"s": settings_["leave_return_seconds"]}
    else:
        detail = _("left the exam %(n)d times") % {"n": settings_["leave_limit"]}
    return f"{monitoring.cheating_reason(detail)} ({_('recorded offline')})"


def apply_replayed_events(ps, events: list[dict], *, since, now) -> dict | None:
    """Record and judge the replayed ``events`` (see the module docstring). Returns
    ``{"hand_in_reason", "at"}`` when they end the exam, else None."""
    settings_ = proctor_settings(ps)
    with transaction.atomic():
        ps = monitoring._lock(ps)
        flag_long_spell(ps, settings_, since=since, now=now)
        if monitoring._open_attempt(ps) is None:
            return None
        applied = _applied_ids(ps)
        events = [e for e in events if e["id"] not in applied]
        if not events:
            return None
        audit.record(ps, "offline_events", event_ids=[e["id"] for e in events], since=since.isoformat())
        open_row = ps.leaves.filter(returned_at__isnull=True, outcome="").first()
        leaves = rules.replayed_leaves(events, open_leave=(open_row.kind, open_row.left_at) if open_row else None)
        judged = rules.judge_replayed_leaves(
            settings_, leaves, counted_before=monitoring.counted_leaves(ps), now=now,
            on_break=monitoring.on_break(ps) is not None,
        )
        for leave, outcome in judged:
            row = open_row if leave.existing else LeaveEvent(sitting=ps, kind=leave.kind, left_at=leave.left_at)
            row.returned_at = leave.returned_at
            row.outcome = outcome.value if outcome is not None else ""
            row.save()
            if outcome == rules.LeaveOutcome.COUNTED:
                audit.incident(ps, Incident.Kind.LEAVE, detail=f"{row.get_kind_display()} ({_('recorded offline')})")
            elif outcome in (rules.LeaveOutcome.FORCED_TIMEOUT, rules.LeaveOutcome.FORCED_LIMIT):
                reason = _forced_reason(settings_, outcome)
                audit.incident(ps, Incident.Kind.FORCED_HAND_IN, detail=reason)
                audit.record(ps, "forced_hand_in", reason=reason, offline=True)
                return {"hand_in_reason": reason, "at": rules.forced_at(settings_, leave, outcome)}
    return None
