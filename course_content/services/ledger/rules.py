"""The ledger rules of ``course_content.services.ledger`` (see its docstring): heartbeats in,
``StudyInterval`` rows out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ...models.enrolment import Enrolment, StudyInterval
from ...models.lessons import LessonPage
from ...models.studying import StudyDevice
from .config import clock_skew_seconds, heartbeat_seconds, tolerance_seconds
from .heartbeats import (
    DEFERRED_SOURCES,
    ONLINE,
    Heartbeat,
    HeartbeatOutcome,
    HeartbeatRejected,
    _malformed,
    parse_heartbeat,
)
from .totals import class_hours, lesson_credited_seconds, notify_hours_changed


def _whole_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _free_segments(start: datetime, end: datetime, covered) -> list[tuple[datetime, datetime]]:
    """Parts of ``[start, end)`` not covered by any ``(started_at, ended_at)`` in ``covered``."""
    segments, cursor = [], start
    for row_start, row_end in sorted(covered):
        if row_end <= cursor:
            continue
        if row_start >= end:
            break
        if row_start > cursor:
            segments.append((cursor, min(row_start, end)))
        cursor = max(cursor, row_end)
        if cursor >= end:
            break
    if cursor < end:
        segments.append((cursor, end))
    return [(a, b) for a, b in segments if b > a]


def _covered_by_learner(enrolment: Enrolment, start: datetime, end: datetime):
    """Ledger spans that block crediting ``enrolment`` in ``[start, end)``: its own rows and
    every row of the learner in other programs (sibling levels of the same program do not
    block each other, see the module docstring)."""
    rows = StudyInterval.objects.filter(
        Q(enrolment=enrolment) | (Q(enrolment__learner_id=enrolment.learner_id) & ~Q(enrolment__program_id=enrolment.program_id)),
        started_at__lt=end,
        ended_at__gt=start,
    )
    return list(rows.values_list("started_at", "ended_at"))


def _credit(enrolment, lesson, heartbeat, source, start, end, skipped) -> tuple[int, bool, bool]:
    """Write rows for ``enrolment``; returns (credited seconds, trimmed by overlap, capped)."""
    segments = _free_segments(start, end, _covered_by_learner(enrolment, start, end))
    free = sum(int((b - a).total_seconds()) for a, b in segments)
    trimmed = free < int((end - start).total_seconds())
    remaining = lesson.declared_seconds(enrolment.program.minutes_per_class_hour) - lesson_credited_seconds(
        enrolment, lesson.pk
    )
    capped = free > max(remaining, 0)
    credited = 0
    for seg_start, seg_end in segments:
        if remaining <= 0:
            break
        length = min(int((seg_end - seg_start).total_seconds()), remaining)
        if length <= 0:
            continue
        seg_end = seg_start + timedelta(seconds=length)
        previous = (
            StudyInterval.objects.filter(
                enrolment=enrolment, lesson_id=lesson.pk, device_id=heartbeat.device_id, source=source, ended_at=seg_start
            )
            .order_by("-ended_at")
            .first()
        )
        if previous is not None:
            previous.ended_at = seg_end
            previous.credited_seconds += length
            previous.heartbeats += 1
            previous.video_skipped_seconds += int(skipped)
            previous.save(update_fields=["ended_at", "credited_seconds", "heartbeats", "video_skipped_seconds"])
        else:
            StudyInterval.objects.create(
                enrolment=enrolment, lesson_id=lesson.pk, lesson_title=lesson.title[:255], started_at=seg_start,
                ended_at=seg_end, credited_seconds=length, source=source, device_id=heartbeat.device_id,
                heartbeats=1, video_skipped_seconds=int(skipped),
            )
        skipped = 0
        remaining -= length
        credited += length
    return credited, trimmed, capped


def _note_skipped(enrolments, lesson, heartbeat, source):
    """A span that credits nothing may still report skipped video: note it on the device's
    latest row for the lesson so the audit shows it."""
    skipped = int(heartbeat.video_skipped_seconds)
    if not skipped:
        return
    for enrolment in enrolments:
        row = (
            StudyInterval.objects.filter(enrolment=enrolment, lesson_id=lesson.pk, device_id=heartbeat.device_id, source=source)
            .order_by("-ended_at")
            .first()
        )
        if row is not None:
            row.video_skipped_seconds += skipped
            row.save(update_fields=["video_skipped_seconds"])


def _target_enrolments(learner, lesson) -> list[Enrolment]:
    program = lesson.program
    if program is None:
        return []
    enrolments = Enrolment.objects.filter(learner=learner, program=program).select_related("program", "level")
    return [e for e in enrolments if lesson.counts_for(e.level)]


def record_heartbeat(learner, heartbeat: Heartbeat, *, source: str = ONLINE, received_at: datetime | None = None) -> HeartbeatOutcome:
    """Apply the ledger rules to one heartbeat of ``learner``; never raises for bad input.

    ``source`` is ``"online"`` (a live page; the span is re-anchored on the server clock
    at ``received_at``), ``"offline"`` (replayed later; the client's timestamps are kept
    but checked against ``received_at`` and the device's earlier heartbeats) or ``"pack"``
    (merged from a training-room pack; treated like offline).
    ``received_at`` is the server time the heartbeat arrived (default: now).

    Returns a ``HeartbeatOutcome``: ``accepted`` (with ``credited_seconds``, possibly
    ``trimmed`` by an overlap), ``capped`` (valid, but the lesson is already fully
    credited) or ``rejected`` (``code``: malformed, future, unknown_lesson, not_enrolled,
    offline_refused, duplicate, replayed, out_of_order, inactive, overlap; ``message``
    translated).
    Sends ``enrolment_hours_changed`` for every enrolment whose total changed.
    """
    received_at = received_at or timezone.now()
    previous_hours: dict[int, object] = {}
    try:
        with transaction.atomic():
            outcome = _record(learner, heartbeat, source, received_at, previous_hours)
    except HeartbeatRejected as rejected:
        return HeartbeatOutcome(seq=heartbeat.seq, status="rejected", code=rejected.code, message=rejected.message)
    for enrolment in Enrolment.objects.filter(pk__in=outcome.enrolment_ids).select_related("program", "level"):
        notify_hours_changed(enrolment, previous_hours=previous_hours.get(enrolment.pk))
    return outcome


def _record(learner, heartbeat, source, received_at, previous_hours) -> HeartbeatOutcome:
    if source not in (ONLINE, *DEFERRED_SOURCES):
        raise _malformed(_("unknown source"))
    n, tol = heartbeat_seconds(), tolerance_seconds()
    claimed = (heartbeat.ended_at - heartbeat.started_at).total_seconds()
    if claimed <= 0:
        raise _malformed(_("it must end after it starts"))
    if claimed > n + tol:
        raise _malformed(_("it covers %(claimed)d seconds, more than one heartbeat interval (%(n)d s)") % {
            "claimed": claimed, "n": n})
    if heartbeat.ended_at > received_at + timedelta(seconds=clock_skew_seconds()):
        raise HeartbeatRejected("future", _("The heartbeat is dated in the future; check the device's clock."))
    if heartbeat.activity in ("idle", "hidden"):
        raise HeartbeatRejected("inactive", _("The lesson was hidden or the learner idle; this time is not counted."))

    lesson = LessonPage.objects.live().filter(pk=heartbeat.lesson_id).first()
    if lesson is None:
        raise HeartbeatRejected("unknown_lesson", _("There is no such lesson."))
    # Serialise one learner's heartbeats (tabs and devices) so overlap checks see each other.
    get_user_model().objects.select_for_update().only("pk").get(pk=learner.pk)
    enrolments = _target_enrolments(learner, lesson)
    if not enrolments:
        raise HeartbeatRejected("not_enrolled", _("You are not enrolled at a level this lesson counts for."))
    if source in DEFERRED_SOURCES and not enrolments[0].program.accept_offline_credit:
        raise HeartbeatRejected(
            "offline_refused", _("This program does not credit study recorded offline; study online to earn hours.")
        )

    device, _created = StudyDevice.objects.select_for_update().get_or_create(learner=learner, device_id=heartbeat.device_id)
    if heartbeat.seq == device.last_seq:
        raise HeartbeatRejected("duplicate", _("Heartbeat %(seq)d was already received.") % {"seq": heartbeat.seq})
    if heartbeat.seq < device.last_seq:
        raise HeartbeatRejected(
            "replayed", _("Heartbeat %(seq)d is older than one already received from this device.") % {"seq": heartbeat.seq}
        )
    if device.last_ended_at and heartbeat.started_at < device.last_ended_at:
        raise HeartbeatRejected(
            "out_of_order", _("Heartbeat %(seq)d starts before the previous heartbeat of this device ended.") % {"seq": heartbeat.seq}
        )

    allowed = claimed
    if source == ONLINE and device.last_received_at is not None:
        allowed = min(allowed, (received_at - device.last_received_at).total_seconds() + tol)
    if heartbeat.activity == "video":
        allowed = min(allowed, heartbeat.video_played_seconds)
    allowed = int(allowed)
    if source == ONLINE:
        end = _whole_second(received_at)
    else:
        end = _whole_second(heartbeat.ended_at)
    start = end - timedelta(seconds=max(allowed, 0))

    device.last_seq = heartbeat.seq
    device.last_ended_at = heartbeat.ended_at
    if source == ONLINE:
        device.last_received_at = received_at
    device.save()

    outcome = HeartbeatOutcome(seq=heartbeat.seq, status="accepted")
    if allowed <= 0:
        _note_skipped(enrolments, lesson, heartbeat, source)
        return outcome
    any_trimmed, all_capped, credited_any = False, True, 0
    for enrolment in enrolments:
        before = class_hours(enrolment)
        credited, trimmed, capped = _credit(enrolment, lesson, heartbeat, source, start, end, heartbeat.video_skipped_seconds)
        any_trimmed = any_trimmed or trimmed
        all_capped = all_capped and capped and credited == 0
        if credited:
            previous_hours[enrolment.pk] = before
            outcome.enrolment_ids.append(enrolment.pk)
        credited_any = max(credited_any, credited)
    outcome.credited_seconds = credited_any
    outcome.trimmed = any_trimmed and credited_any > 0
    if credited_any == 0 and all_capped:
        outcome.status = "capped"
        outcome.message = _("This lesson already has all its class hours; studying it again adds nothing.")
    elif credited_any == 0 and any_trimmed:
        # Roll back the watermark: an overlapping heartbeat is rejected as a whole.
        raise HeartbeatRejected(
            "overlap", _("This time is already counted for another lesson or device; only one lesson counts at a time.")
        )
    return outcome


def record_heartbeats(learner, items, *, source: str = ONLINE, received_at: datetime | None = None) -> list[HeartbeatOutcome]:
    """Apply ``record_heartbeat`` to a batch (dicts in the JSON format, or ``Heartbeat``s)
    in sequence order; a bad item is rejected on its own and never loses the valid ones."""
    outcomes, parsed = [], []
    for item in items:
        if isinstance(item, Heartbeat):
            parsed.append(item)
            continue
        try:
            parsed.append(parse_heartbeat(item))
        except HeartbeatRejected as rejected:
            seq = item.get("seq") if isinstance(item, dict) and isinstance(item.get("seq"), int) else None
            outcomes.append(HeartbeatOutcome(seq=seq, status="rejected", code=rejected.code, message=rejected.message))
    parsed.sort(key=lambda hb: (hb.device_id, hb.seq))
    for heartbeat in parsed:
        outcomes.append(record_heartbeat(learner, heartbeat, source=source, received_at=received_at))
    return outcomes
