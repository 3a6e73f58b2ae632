"""Study endpoints of the site API (``/api/study/...``), one service path for both.

- ``POST /api/study/heartbeats``: the lesson page's heartbeats (``source="online"``).
- ``POST /api/study/replay``: heartbeats journaled by the service worker while the device
  was offline, replayed on reconnect (``source="offline"``).

Both go through ``course_content.services.ledger.record_heartbeats``: the schema below only
bounds what reaches it (ids and sequence numbers within their columns, times between
2000 and 2099, no NUL, at most ``MAX_BATCH`` items), so an absurd value is a 422 for the
batch; every ledger rule (malformed span, future-dated, replayed, overlapping, capped)
is decided per heartbeat by the service and reported in that heartbeat's result, so one
bad heartbeat never loses the good ones. Session auth and CSRF come from the site API.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cms_site.api.common import EpochMillis, Id32, Id64, PositiveInt64, SaneDatetime, text

from ..services import ledger

router = Router(tags=["study"])

MAX_BATCH = 500  # the schema's bound; STUDY_HEARTBEAT_BATCH_MAX may lower it
Seconds = Annotated[float, Field(ge=0, le=24 * 3600, allow_inf_nan=False)]
Moment = EpochMillis | SaneDatetime


class HeartbeatIn(Schema):
    """One span of study: the format of ``ledger.parse_heartbeat``."""

    lesson: Id32  # Wagtail page ids are 32-bit
    device: text(64, min_length=1)
    seq: PositiveInt64  # StudyDevice.last_seq is a BigIntegerField
    started_at: Moment = Field(description="Milliseconds since the epoch, or ISO 8601 with a time zone")
    ended_at: Moment
    activity: Literal["input", "video", "idle", "hidden"] = "input"
    video_played: Seconds = 0
    video_skipped: Seconds = 0


Heartbeats = Annotated[list[HeartbeatIn], Field(min_length=1, max_length=MAX_BATCH)]


class HeartbeatsIn(Schema):
    heartbeats: Heartbeats


class ReplayIn(Schema):
    owner: text(64) | Id64 = Field(description="The account logged in when the heartbeats were journaled")
    heartbeats: Heartbeats


class HeartbeatResult(Schema):
    seq: int | None = None
    status: str = Field(description="accepted | capped | rejected")
    credited_seconds: int
    code: str | None = None
    error: str | None = None
    trimmed: bool | None = None


class EnrolmentTotal(Schema):
    enrolment: int
    credited_seconds: int
    class_hours: str


class HeartbeatsOut(Schema):
    results: list[HeartbeatResult]
    enrolments: list[EnrolmentTotal]
    lessons: dict[str, int] = Field(description="Credited seconds per lesson of the batch")


class ReplayOut(Schema):
    results: list[HeartbeatResult]


class Message(Schema):
    detail: str


def _too_many(count: int) -> Status | None:
    if count > ledger.max_batch():
        return Status(400, {"detail": _("Send at most %(n)d heartbeats at once.") % {"n": ledger.max_batch()}})
    return None


def _record(request, heartbeats, source: str):
    """The one handling of a batch for both endpoints: the ledger decides every heartbeat."""
    items = [item.dict() for item in heartbeats]
    return items, ledger.record_heartbeats(request.user, items, source=source)


@router.post("heartbeats", response={200: HeartbeatsOut, 400: Message}, url_name="study_heartbeats",
             summary="Credit the heartbeats of an open lesson page")
def heartbeats(request, payload: HeartbeatsIn):
    if refusal := _too_many(len(payload.heartbeats)):
        return refusal
    items, outcomes = _record(request, payload.heartbeats, ledger.ONLINE)
    totals, lessons = ledger.learner_totals(request.user, {item["lesson"] for item in items})
    return {"results": [o.as_dict() for o in outcomes], "enrolments": totals, "lessons": lessons}


@router.post("replay", response={200: ReplayOut, 400: Message, 409: Message}, url_name="study_replay",
             summary="Replay heartbeats journaled while the device was offline")
def replay(request, payload: ReplayIn):
    """A journal made by another account on a shared device is refused (409) and stays there."""
    if refusal := _too_many(len(payload.heartbeats)):
        return refusal
    if str(payload.owner) != str(request.user.pk):
        return Status(409, {"detail": _("These study records were made by another account on this device.")})
    _items, outcomes = _record(request, payload.heartbeats, ledger.OFFLINE)
    return {"results": [o.as_dict() for o in outcomes]}
