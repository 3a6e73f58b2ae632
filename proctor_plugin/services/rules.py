"""Exam-room rules as pure functions over a program's proctor settings and the facts.

``settings`` is the dict from ``plugins.services.get_settings(program, "proctor_plugin")``
(see ``forms.ProctorSettingsForm``; energy and dual-carbon values in
fixtures/programs.toml). Nothing here touches the database or the clock: callers pass
``now`` and the recorded times, so every rule is testable on its own and the services
module only records what these functions decide.

Conventions: a limit of 0 means "no limit" (no leave limit, breaks not allowed, no
reconnect deadline, warnings never disqualify).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class LeaveOutcome(StrEnum):
    COUNTED = "counted"  # back in time, one more leave on the record
    FORCED_TIMEOUT = "forced_timeout"  # not back within the program's seconds
    FORCED_LIMIT = "forced_limit"  # back in time, but this leave reached the limit
    EXCUSED = "excused"  # during an approved break: not a leave


class WindowState(StrEnum):
    OPEN = "open"  # still inside the window
    CLOSED_IN_TIME = "closed_in_time"  # came back inside the window
    OVERDUE = "overdue"  # the window passed: forced hand-in


@dataclass(frozen=True)
class SnapshotFindings:
    """What a snapshot's face analysis means under the program's rules."""

    absent: bool = False
    multiple_persons: bool = False
    identity_mismatch: bool = False

    @property
    def clean(self) -> bool:
        return not (self.absent or self.multiple_persons or self.identity_mismatch)


def leave_return_deadline(settings: dict, left_at: datetime) -> datetime:
    """When a candidate who left the exam screen at ``left_at`` must be back."""
    return left_at + timedelta(seconds=int(settings["leave_return_seconds"]))


def leave_outcome(
    settings: dict,
    *,
    counted_before: int,
    left_at: datetime,
    returned_at: datetime | None,
    now: datetime,
    on_break: bool = False,
) -> LeaveOutcome | None:
    """Decide one leave (full screen, tab visibility or window focus lost).

    Returns ``None`` while the candidate is away and still inside the return window.
    Back in time counts one leave; the leave that brings the count to ``leave_limit``
    forces the hand-in (energy: the 10th, dual-carbon: the 3rd); not back in time
    forces it at once. Leaves during an approved break are excused.
    """
    if on_break:
        return LeaveOutcome.EXCUSED
    deadline = leave_return_deadline(settings, left_at)
    if returned_at is None:
        return LeaveOutcome.FORCED_TIMEOUT if now > deadline else None
    if returned_at > deadline:
        return LeaveOutcome.FORCED_TIMEOUT
    limit = int(settings["leave_limit"])
    if limit and counted_before + 1 >= limit:
        return LeaveOutcome.FORCED_LIMIT
    return LeaveOutcome.COUNTED


def leaves_remaining(settings: dict, counted: int) -> int | None:
    """Leaves the candidate may still make before the one that ends the exam (None: no limit)."""
    limit = int(settings["leave_limit"])
    if not limit:
        return None
    return max(0, limit - 1 - counted)


def breaks_allowed(settings: dict) -> bool:
    return int(settings.get("break_minutes") or 0) > 0


def break_state(settings: dict, *, started_at: datetime, returned_at: datetime | None, now: datetime) -> WindowState:
    """An approved break: the exam clock keeps running; back within ``break_minutes``
    or the attempt is handed in."""
    deadline = started_at + timedelta(minutes=int(settings["break_minutes"]))
    if returned_at is not None:
        return WindowState.CLOSED_IN_TIME if returned_at <= deadline else WindowState.OVERDUE
    return WindowState.OVERDUE if now > deadline else WindowState.OPEN


def break_deadline(settings: dict, started_at: datetime) -> datetime:
    return started_at + timedelta(minutes=int(settings["break_minutes"]))


def reconnect_window(settings: dict) -> timedelta | None:
    """How long a candidate has to come back after the connection is lost (crash,
    network): ``reconnect_minutes``; None = no deadline (energy: lost time is compensated
    instead). The exam plugin asks for it too (``exam_plugin.signals.reconnect_window``),
    to accept an offline journal replayed within it."""
    minutes = int(settings.get("reconnect_minutes") or 0)
    return timedelta(minutes=minutes) if minutes > 0 else None


def reconnect_state(settings: dict, *, lost_at: datetime, back_at: datetime | None, now: datetime) -> WindowState:
    """After the connection is lost (crash, network): back within ``reconnect_window`` or
    the attempt is handed in. No window = no deadline."""
    window = reconnect_window(settings)
    if window is None:
        return WindowState.CLOSED_IN_TIME if back_at is not None else WindowState.OPEN
    deadline = lost_at + window
    if back_at is not None:
        return WindowState.CLOSED_IN_TIME if back_at <= deadline else WindowState.OVERDUE
    return WindowState.OVERDUE if now > deadline else WindowState.OPEN


def disqualified_by_warnings(settings: dict, warnings: int) -> bool:
    """Dual-carbon: the third warning disqualifies. 0 = warnings never disqualify."""
    limit = int(settings.get("warnings_to_disqualify") or 0)
    return bool(limit) and warnings >= limit


def face_matches(settings: dict, similarity: float | None) -> bool:
    return similarity is not None and similarity >= float(settings["face_match_threshold"])


def photo_fallback_allowed(settings: dict, failed_checks: int) -> bool:
    """After ``face_check_attempts`` failed checks the candidate may upload a photo and
    continue, flagged for manual review."""
    return failed_checks >= int(settings["face_check_attempts"])


def snapshot_findings(settings: dict, *, face_count: int, similarity: float | None) -> SnapshotFindings:
    """No face → absent; two or more → multiple persons; the main face not matching the
    enrolment → identity. ``similarity`` is None when there is no enrolment to compare."""
    if face_count == 0:
        return SnapshotFindings(absent=True)
    return SnapshotFindings(
        multiple_persons=face_count >= 2,
        identity_mismatch=similarity is not None and not face_matches(settings, similarity),
    )


def second_camera_lost(settings: dict, *, last_seen: datetime | None, paired_at: datetime, now: datetime) -> bool:
    """The phone feed counts as lost after three missed snapshot intervals."""
    if not settings.get("second_camera_required"):
        return False
    reference = last_seen or paired_at
    return now - reference > timedelta(seconds=3 * int(settings["snapshot_interval_seconds"]))


def preflight_steps(settings: dict) -> list[str]:
    """The pre-flight sequence for this program, in order."""
    steps = []
    if settings.get("rules_acceptance_required"):
        steps.append("rules")
    steps.append("camera")  # snapshots need it even without a face check
    if settings.get("face_check_required"):
        steps.append("face")
    if settings.get("second_camera_required"):
        steps.append("second_camera")
    steps.append("fullscreen")
    return steps


def photo_expired(settings: dict, *, taken_at: datetime, now: datetime) -> bool:
    return now - taken_at > timedelta(days=int(settings["photo_retention_days"]))


# -- leaves journaled offline (replayed by the exam page after a spell) ---------------

@dataclass(frozen=True)
class ReplayedLeave:
    """A leave rebuilt from the exam page's offline journal. ``existing``: it continues
    the leave the server already had open when the connection was lost."""

    kind: str
    left_at: datetime
    returned_at: datetime | None
    event_ids: tuple[str, ...] = ()
    existing: bool = False


def replayed_leaves(events: list[dict], *, open_leave: tuple[str, datetime] | None = None) -> list[ReplayedLeave]:
    """Pair journaled events (``{"id", "type": "leave"|"back", "kind", "at"}``, in
    order, server-bounded times) into leaves, as the live endpoints would have: a leave
    while one is open joins it; a return closes the open one; a return with none open
    is ignored. ``open_leave`` = (kind, left_at) of a leave the server already had open.
    The last leave stays open (``returned_at`` None) when no return followed."""
    leaves: list[ReplayedLeave] = []
    current = None
    if open_leave is not None:
        current = {"kind": open_leave[0], "left_at": open_leave[1], "ids": [], "existing": True}
    for event in events:
        if event["type"] == "leave":
            if current is None:
                current = {"kind": event["kind"], "left_at": event["at"], "ids": [], "existing": False}
            current["ids"].append(event["id"])
        elif current is not None:
            current["ids"].append(event["id"])
            leaves.append(ReplayedLeave(current["kind"], current["left_at"], event["at"], tuple(current["ids"]),
                                        current["existing"]))
            current = None
    if current is not None:
        leaves.append(ReplayedLeave(current["kind"], current["left_at"], None, tuple(current["ids"]), current["existing"]))
    return leaves


def judge_replayed_leaves(
    settings: dict, leaves: list[ReplayedLeave], *, counted_before: int, now: datetime, on_break: bool = False
) -> list[tuple[ReplayedLeave, LeaveOutcome | None]]:
    """Decide replayed leaves in order with ``leave_outcome``, exactly as live: each
    counted leave raises the count for the next; judging stops at the first one that
    forces the hand-in (live, the paper was closed then). ``None``: still away and
    inside the return window."""
    judged = []
    counted = counted_before
    for leave in leaves:
        outcome = leave_outcome(
            settings, counted_before=counted, left_at=leave.left_at, returned_at=leave.returned_at, now=now,
            on_break=on_break,
        )
        judged.append((leave, outcome))
        if outcome == LeaveOutcome.COUNTED:
            counted += 1
        if outcome in (LeaveOutcome.FORCED_TIMEOUT, LeaveOutcome.FORCED_LIMIT):
            break
    return judged


def forced_at(settings: dict, leave: ReplayedLeave, outcome: LeaveOutcome) -> datetime:
    """When a replayed leave would have ended the exam live: the end of the return
    window (not back in time) or the return that reached the limit."""
    if outcome == LeaveOutcome.FORCED_TIMEOUT:
        return leave_return_deadline(settings, leave.left_at)
    return leave.returned_at


def offline_window_exceeded(settings: dict, *, since: datetime, back_at: datetime) -> bool:
    """Offline (no contact of any kind) longer than ``offline_window_minutes``: the
    attempt is flagged for the proctor. 0 = no window."""
    minutes = int(settings.get("offline_window_minutes") or 0)
    return bool(minutes) and back_at - since > timedelta(minutes=minutes)
