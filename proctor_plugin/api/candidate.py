"""The candidate's browser: the pre-flight steps, then the exam-room watcher.
Session auth + CSRF (the API's default); every sitting is looked up through the
logged-in learner and the program (404 otherwise)."""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema
from pydantic import BaseModel, ConfigDict

from ..models import ProctoredSitting
from ..services import monitoring, preflight
from ..services.second_camera import qr_svg
from .common import ImageIn, Message, RowId, decode_image, record_snapshot

router = Router()


# -- schemas ------------------------------------------------------------------------


class LeaveIn(Schema):
    kind: str = Field(max_length=12, pattern=r"^[a-z_]*$", description="fullscreen, visibility or focus")


class WarningsSeenIn(Schema):
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(max_length=100)


class PreflightStatus(Schema):
    steps: list[str]
    next: str | None
    failures: int
    fallback: bool
    no_reference: bool
    review: str
    paired: bool


class FaceResult(PreflightStatus):
    passed: bool
    similarity: float | None
    message: str


class Pairing(Schema):
    url: str
    qr: str
    expires_at: datetime


class BreakState(Schema):
    status: str
    until: datetime | None


class WarningOut(Schema):
    id: int
    message: str


class CandidateState(BaseModel):
    """The watcher's state from ``monitoring.candidate_state``. A plain pydantic model
    with ``extra="allow"``: fields added there later pass through unchanged."""

    model_config = ConfigDict(extra="allow")

    ended: bool
    leaves_counted: int
    leave_limit: int
    leaves_remaining: int | None
    return_seconds: int
    away_deadline: datetime | None
    break_: BreakState | None = Field(None, alias="break")
    breaks_allowed: bool
    warnings: list[WarningOut]
    warnings_total: int
    phone_lost: bool
    server_time: datetime


# -- helpers ----------------------------------------------------------------------


def _own(request, sitting_id) -> ProctoredSitting:
    return get_object_or_404(
        ProctoredSitting.objects.select_related("enrolment__learner", "candidate__sitting"),
        pk=sitting_id, enrolment__learner=request.user, enrolment__program=request.program,
    )


def _status(ps) -> dict:
    ps.refresh_from_db()
    return preflight.status(ps)


def _state(ps) -> dict:
    ps.refresh_from_db()
    return monitoring.candidate_state(ps)


def _step(request, sitting_id, step, *args) -> dict:
    """Run one pre-flight ``step`` on the learner's own sitting; answer the fresh progress."""
    ps = _own(request, sitting_id)
    step(ps, *args)
    return _status(ps)


def _event(request, sitting_id, event, *args) -> dict:
    """Record one exam-room ``event`` on the learner's own sitting; answer the fresh state."""
    ps = _own(request, sitting_id)
    event(ps, *args)
    return _state(ps)


# -- pre-flight ---------------------------------------------------------------------

@router.get("s/{sitting_id}/status/", response=PreflightStatus, summary="Pre-flight progress")
def get_status(request, sitting_id: RowId):
    return preflight.status(_own(request, sitting_id))


@router.post("s/{sitting_id}/rules/", response={200: PreflightStatus, 400: Message}, summary="Accept the exam rules")
def accept_rules(request, sitting_id: RowId):
    return _step(request, sitting_id, preflight.accept_rules)


@router.post("s/{sitting_id}/camera/", response={200: PreflightStatus, 400: Message}, summary="The camera works")
def camera_ready(request, sitting_id: RowId):
    return _step(request, sitting_id, preflight.camera_ready)


@router.post("s/{sitting_id}/face/", response={200: FaceResult, 400: Message, 413: Message},
             summary="Compare a camera frame with the reference face")
def verify_face(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    result = preflight.verify_face(ps, decode_image(payload))
    return {**result, **_status(ps)}


@router.post("s/{sitting_id}/face/photo/", response={200: PreflightStatus, 400: Message, 413: Message},
             summary="Continue with an uploaded photo, reviewed by a proctor")
def photo_fallback(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    preflight.continue_with_photo(ps, decode_image(payload))
    return _status(ps)


@router.post("s/{sitting_id}/pairing/", response={200: Pairing, 400: Message}, summary="A new second-camera QR code")
def new_pairing(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    token = preflight.issue_camera_token(ps)
    url = request.build_absolute_uri(reverse("proctor_plugin_global:phone", kwargs={"token": token.token}))
    return {"url": url, "qr": qr_svg(url), "expires_at": token.expires_at}


@router.post("s/{sitting_id}/fullscreen/", response={200: PreflightStatus, 400: Message}, summary="Full screen entered")
def enter_fullscreen(request, sitting_id: RowId):
    return _step(request, sitting_id, preflight.enter_fullscreen)


# -- during the exam ------------------------------------------------------------------

StateResponses = {200: CandidateState, 400: Message}


@router.post("s/{sitting_id}/heartbeat/", response=StateResponses, by_alias=True, summary="The candidate is here")
def heartbeat(request, sitting_id: RowId):
    return _event(request, sitting_id, monitoring.heartbeat)


@router.post("s/{sitting_id}/leave/", response=StateResponses, by_alias=True,
             summary="The candidate left the exam screen")
def leave_started(request, sitting_id: RowId, payload: LeaveIn):
    ps = _own(request, sitting_id)
    monitoring.enforce(ps)
    monitoring.leave_started(ps, payload.kind)
    return _state(ps)


@router.post("s/{sitting_id}/back/", response=StateResponses, by_alias=True, summary="The candidate is back")
def leave_ended(request, sitting_id: RowId):
    return _event(request, sitting_id, monitoring.leave_ended)


@router.post("s/{sitting_id}/snapshot/", response={**StateResponses, 413: Message, 429: Message}, by_alias=True,
             summary="A webcam frame")
def snapshot(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    record_snapshot(ps, "webcam", payload)
    monitoring.enforce(ps)
    return _state(ps)


@router.post("s/{sitting_id}/break/", response=StateResponses, by_alias=True, summary="Ask for a toilet break")
def request_break(request, sitting_id: RowId):
    return _event(request, sitting_id, monitoring.request_break)


@router.post("s/{sitting_id}/break/return/", response=StateResponses, by_alias=True, summary="Back from the break")
def return_from_break(request, sitting_id: RowId):
    return _event(request, sitting_id, monitoring.return_from_break)


@router.post("s/{sitting_id}/warnings/seen/", response=StateResponses, by_alias=True,
             summary="Warnings the candidate has seen")
def warnings_seen(request, sitting_id: RowId, payload: WarningsSeenIn):
    return _event(request, sitting_id, monitoring.mark_warnings_seen, payload.ids)
