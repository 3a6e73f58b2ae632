"""What a client claims: one heartbeat, parsed and validated (no database access here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ...models.enrolment import StudyInterval

ONLINE = StudyInterval.Source.ONLINE
OFFLINE = StudyInterval.Source.OFFLINE
PACK = StudyInterval.Source.PACK
#: Sources whose spans keep the device's timestamps (checked, not re-anchored), and which a
#: program may refuse to credit (``ProgramPage.accept_offline_credit``).
DEFERRED_SOURCES = (OFFLINE, PACK)
ACTIVITIES = ("input", "video", "idle", "hidden")


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
    """Milliseconds since the epoch (what browsers send), an ISO 8601 string with offset, or
    an aware ``datetime``."""
    if isinstance(value, bool):
        raise _malformed(_("“%(field)s” is not a time") % {"field": name})
    if isinstance(value, datetime):  # already parsed by the API schema
        if timezone.is_naive(value):
            raise _malformed(_("“%(field)s” is not a time with a time zone") % {"field": name})
        return value
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

