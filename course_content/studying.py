"""The study-hour ledger rules: turning heartbeats into ``StudyInterval`` rows.

A lesson page that is visible, with a learner who is active (input, scroll, or a video
playing), sends a heartbeat every ``STUDY_HEARTBEAT_SECONDS``. Each heartbeat claims one
span of study ``[started_at, ended_at]`` on one lesson. The rules below decide how much
of that claim is credited; they are the same for online heartbeats and for heartbeats
replayed later from an offline device:

- **Malformed** input (missing fields, end before start, a span longer than one heartbeat
  interval plus tolerance) is rejected.
- **Future-dated** heartbeats (ending after the server's clock plus ``STUDY_CLOCK_SKEW_SECONDS``)
  are rejected.
- **Replays**: sequence numbers grow per device; a repeated or older sequence number is
  rejected, so replaying a batch twice credits nothing the second time.
- **Inactive** spans (the page reports itself hidden or idle) are not credited.
- **Server time bound** (online): the credit never exceeds the server time elapsed since
  the device's previous accepted heartbeat plus tolerance, and online spans are placed on
  the server's clock, so a wrong client clock cannot inflate hours.
- **Video only**: when a playing video was the only activity, only the seconds actually
  played count; time jumped over by seeking ahead is recorded but never credited.
- **One lesson at a time**: a learner's time is credited once. A span is trimmed to the
  parts no other ledger row of the learner already covers (another tab, another device,
  another program); a span entirely covered is rejected as overlapping.
- **Cap**: a lesson is credited at most its declared class hours per enrolment;
  re-studying adds nothing.
- **Offline credit**: a program whose ``accept_offline_credit`` is off rejects spans
  replayed from an offline device or merged from a training-room pack (``offline_refused``).

Ledger rows written here always cover exactly the seconds they credit, so "covered
time" and "credited time" are the same thing. Sibling enrolments of one program (the
same learner at two levels) are each credited for the same study: that is one activity
counted towards two certificates, not two activities at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import hours
from .models import Enrolment, LessonPage, StudyDevice, StudyInterval

ONLINE = StudyInterval.Source.ONLINE
OFFLINE = StudyInterval.Source.OFFLINE
PACK = StudyInterval.Source.PACK
#: Sources whose spans keep the device's timestamps (checked, not re-anchored), and which a
#: program may refuse to credit (``ProgramPage.accept_offline_credit``).
DEFERRED_SOURCES = (OFFLINE, PACK)
ACTIVITIES = ("input", "video", "idle", "hidden")


def heartbeat_seconds() -> int:
    """N: how often an active lesson page sends a heartbeat (and the most one may claim)."""
    return int(getattr(settings, "STUDY_HEARTBEAT_SECONDS", 30))


def idle_seconds() -> int:
    """After this long without input, scroll or a playing video the learner counts as idle."""
    return int(getattr(settings, "STUDY_IDLE_SECONDS", heartbeat_seconds()))


def tolerance_seconds() -> int:
    """Slack for timer jitter and network delay on top of one heartbeat interval."""
    return int(getattr(settings, "STUDY_HEARTBEAT_TOLERANCE_SECONDS", 5))


def clock_skew_seconds() -> int:
    """How far a heartbeat may end after the server's clock before it is future-dated."""
    return int(getattr(settings, "STUDY_CLOCK_SKEW_SECONDS", 60))


def max_batch() -> int:
    return int(getattr(settings, "STUDY_HEARTBEAT_BATCH_MAX", 500))


class HeartbeatRejected(Exception):
    """A heartbeat that credits nothing, with a stable ``code`` and a translated message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Heartbeat:
    """What the client says: on ``lesson_id``, from ``device_id``, heartbeat number ``seq``,
    the learner studied from ``started_at`` to ``ended_at`` (aware datetimes, client clock).

    ``activity`` is what kept the learner active: ``input`` (keys, pointer, scroll, touch),
    ``video`` (only a playing video), or ``idle``/``hidden`` (nothing is credited).
    ``video_played_seconds`` / ``video_skipped_seconds``: video time actually played and
    jumped over by seeking ahead during the span.
    """

    lesson_id: int
    device_id: str
    seq: int
    started_at: datetime
    ended_at: datetime
    activity: str = "input"
    video_played_seconds: float = 0.0
    video_skipped_seconds: float = 0.0


@dataclass
class HeartbeatOutcome:
    seq: int | None
    status: str  # "accepted" | "capped" | "rejected"
    credited_seconds: int = 0
    code: str = ""
    message: str = ""
    trimmed: bool = False
    enrolment_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {"seq": self.seq, "status": self.status, "credited_seconds": self.credited_seconds}
        if self.code:
            data.update(code=self.code, error=self.message)
        if self.trimmed:
            data["trimmed"] = True
        return data


def _malformed(detail: str) -> HeartbeatRejected:
    return HeartbeatRejected("malformed", _("Malformed heartbeat: %(detail)s") % {"detail": detail})


def _parse_time(value, name: str) -> datetime:
    """Milliseconds since the epoch (what browsers send) or an ISO 8601 string with offset."""
    if isinstance(value, bool):
        raise _malformed(_("“%(field)s” is not a time") % {"field": name})
    if isinstance(value, int | float):
        if not math.isfinite(value) or value <= 0:
            raise _malformed(_("“%(field)s” is not a time") % {"field": name})
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise _malformed(_("“%(field)s” is not a time") % {"field": name}) from None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None or timezone.is_naive(parsed):
            raise _malformed(_("“%(field)s” is not a time with a time zone") % {"field": name})
        return parsed
    raise _malformed(_("“%(field)s” is missing") % {"field": name})


def _parse_seconds(value, name: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise _malformed(_("“%(field)s” must be a number of seconds") % {"field": name})
    return float(value)


def parse_heartbeat(data) -> Heartbeat:
    """Validate one heartbeat of the JSON API (keys: ``lesson``, ``device``, ``seq``,
    ``started_at``, ``ended_at``, optional ``activity``, ``video_played``, ``video_skipped``)."""
    if not isinstance(data, dict):
        raise _malformed(_("a heartbeat must be an object"))
    lesson_id, seq, device_id = data.get("lesson"), data.get("seq"), data.get("device")
    if isinstance(lesson_id, bool) or not isinstance(lesson_id, int) or lesson_id <= 0:
        raise _malformed(_("“lesson” must be a lesson id"))
    if isinstance(seq, bool) or not isinstance(seq, int) or seq <= 0:
        raise _malformed(_("“seq” must be a positive whole number"))
    if not isinstance(device_id, str) or not 0 < len(device_id) <= 64:
        raise _malformed(_("“device” must be a text of 1 to 64 characters"))
    activity = data.get("activity", "input")
    if activity not in ACTIVITIES:
        raise _malformed(_("unknown activity “%(value)s”") % {"value": str(activity)[:20]})
    return Heartbeat(
        lesson_id=lesson_id,
        device_id=device_id,
        seq=seq,
        started_at=_parse_time(data.get("started_at"), "started_at"),
        ended_at=_parse_time(data.get("ended_at"), "ended_at"),
        activity=activity,
        video_played_seconds=_parse_seconds(data.get("video_played"), "video_played"),
        video_skipped_seconds=_parse_seconds(data.get("video_skipped"), "video_skipped"),
    )


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


def lesson_credited_seconds(enrolment: Enrolment, lesson_id: int) -> int:
    total = StudyInterval.objects.filter(enrolment=enrolment, lesson_id=lesson_id).aggregate(s=Sum("credited_seconds"))["s"]
    return int(total or 0)


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
        hours.notify_hours_changed(enrolment, previous_hours=previous_hours.get(enrolment.pk))
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
        before = hours.class_hours(enrolment)
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
