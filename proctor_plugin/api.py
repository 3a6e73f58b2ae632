"""The proctor plugin's JSON API (django-ninja), mounted per program under
``/programs/<program>/proctor/api/`` behind the plugin gate (``request.program`` is set).
Schema: ``/programs/<program>/proctor/api/openapi.json``.

Two kinds of caller, two auth models:

- the candidate's browser (pre-flight steps, then the exam-room watcher): Django
  session auth + CSRF; every sitting is looked up through the logged-in learner and
  the program (404 otherwise);
- the phone (second camera) is not logged in: it holds the QR-code token (in the
  path) and, once paired, a device key in its session (``PhoneDevice``), CSRF-checked
  like the session.

Errors are ``{"detail": "<translated message>"}`` (400 refused step, 401/403 auth,
404, 413 too large, 429 too many snapshots); ninja's validation errors stay 422.
Images travel as base64 JSON strings of at most ``MAX_IMAGE_BYTES`` bytes.
"""

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import django_auth
from ninja.security.apikey import APIKeyCookie
from pydantic import BaseModel, ConfigDict

from cms_site.api_common import ProgramScopedAPI
from plugins.urls import program_url

from .models import ProctoredSitting, SecondCameraToken
from .services import monitoring, preflight
from .services.second_camera import PairingRefused, pair, paired_token, qr_svg

# Camera frames are ~100-300 KB; a chosen photo is scaled down in the browser first.
MAX_IMAGE_BYTES = 1_500_000
MAX_IMAGE_BASE64 = 4 * ((MAX_IMAGE_BYTES + 2) // 3)
PHONE_SESSION_KEY = "proctor_phone_keys"


api = ProgramScopedAPI(
    segment="proctor",
    title="Proctor API",
    version="1.0",
    description="Pre-flight checks, exam-room events and snapshots of the proctor plugin; the phone's second camera.",
    urls_namespace="proctor_api",
    auth=django_auth,
    docs_url=None,
)


def _detail(request, message, status):
    return api.create_response(request, {"detail": str(message)}, status=status)


class Refused(Exception):
    """A refused request with a translated message and an HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


@api.exception_handler(Refused)
def _refused(request, exc):
    return _detail(request, exc, exc.status)


for _error in (preflight.PreflightError, monitoring.MonitoringError, PairingRefused):
    api.add_exception_handler(_error, lambda request, exc: _detail(request, exc, 400))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _detail(request, _("Not found."), 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, str(exc) or _("You may not do this."), 403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _detail(request, _("Please log in again."), 401)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return _detail(request, _("The request is too large."), 413)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = _("The security check failed. Reload the page and try again.") if exc.status_code == 403 else str(exc)
    return _detail(request, message, exc.status_code)


# -- schemas ------------------------------------------------------------------------

RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class Message(Schema):
    detail: str


class ImageIn(Schema):
    image: str = Field(
        min_length=4, max_length=MAX_IMAGE_BASE64, pattern=r"^[A-Za-z0-9+/]*={0,2}$",
        description=f"The JPEG/PNG image, base64-encoded, at most {MAX_IMAGE_BYTES} bytes.",
    )


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


class PhoneResult(Schema):
    ended: bool


class Paired(Schema):
    paired: bool


# -- helpers ----------------------------------------------------------------------


def decode_image(payload: ImageIn) -> bytes:
    try:
        data = base64.b64decode(payload.image, validate=True)
    except (binascii.Error, ValueError) as err:
        raise Refused(_("The image could not be read.")) from err
    if len(data) > MAX_IMAGE_BYTES:
        raise Refused(_("The image is too large."), status=413)
    return data


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


def api_base(program, ps) -> str:
    """The candidate endpoints' common prefix for one proctored sitting (ends in "/")."""
    return program_url(program, "proctor_plugin:proctor_api:get_status", sitting_id=ps.pk).removesuffix("status/")


def phone_api_base(program, token: str) -> str:
    return program_url(program, "proctor_plugin:proctor_api:phone_pair", token=token).removesuffix("pair/")


# -- pre-flight ---------------------------------------------------------------------

@api.get("s/{sitting_id}/status/", response=PreflightStatus, summary="Pre-flight progress")
def get_status(request, sitting_id: RowId):
    return preflight.status(_own(request, sitting_id))


@api.post("s/{sitting_id}/rules/", response={200: PreflightStatus, 400: Message}, summary="Accept the exam rules")
def accept_rules(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    preflight.accept_rules(ps)
    return _status(ps)


@api.post("s/{sitting_id}/camera/", response={200: PreflightStatus, 400: Message}, summary="The camera works")
def camera_ready(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    preflight.camera_ready(ps)
    return _status(ps)


@api.post("s/{sitting_id}/face/", response={200: FaceResult, 400: Message, 413: Message},
          summary="Compare a camera frame with the reference face")
def verify_face(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    result = preflight.verify_face(ps, decode_image(payload))
    return {**result, **_status(ps)}


@api.post("s/{sitting_id}/face/photo/", response={200: PreflightStatus, 400: Message, 413: Message},
          summary="Continue with an uploaded photo, reviewed by a proctor")
def photo_fallback(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    preflight.continue_with_photo(ps, decode_image(payload))
    return _status(ps)


@api.post("s/{sitting_id}/pairing/", response={200: Pairing, 400: Message}, summary="A new second-camera QR code")
def new_pairing(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    token = preflight.issue_camera_token(ps)
    url = request.build_absolute_uri(reverse("proctor_plugin_global:phone", kwargs={"token": token.token}))
    return {"url": url, "qr": qr_svg(url), "expires_at": token.expires_at}


@api.post("s/{sitting_id}/fullscreen/", response={200: PreflightStatus, 400: Message}, summary="Full screen entered")
def enter_fullscreen(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    preflight.enter_fullscreen(ps)
    return _status(ps)


# -- during the exam ------------------------------------------------------------------

StateResponses = {200: CandidateState, 400: Message}


@api.post("s/{sitting_id}/heartbeat/", response=StateResponses, by_alias=True, summary="The candidate is here")
def heartbeat(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    monitoring.heartbeat(ps)
    return _state(ps)


@api.post("s/{sitting_id}/leave/", response=StateResponses, by_alias=True, summary="The candidate left the exam screen")
def leave_started(request, sitting_id: RowId, payload: LeaveIn):
    ps = _own(request, sitting_id)
    monitoring.enforce(ps)
    monitoring.leave_started(ps, payload.kind)
    return _state(ps)


@api.post("s/{sitting_id}/back/", response=StateResponses, by_alias=True, summary="The candidate is back")
def leave_ended(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    monitoring.leave_ended(ps)
    return _state(ps)


@api.post("s/{sitting_id}/snapshot/", response={**StateResponses, 413: Message, 429: Message}, by_alias=True,
          summary="A webcam frame")
def snapshot(request, sitting_id: RowId, payload: ImageIn):
    ps = _own(request, sitting_id)
    image = decode_image(payload)
    if monitoring.snapshot_too_soon(ps, "webcam"):
        return Status(429, {"detail": _("Too many snapshots; wait for the next one.")})
    monitoring.record_snapshot(ps, "webcam", image)
    monitoring.enforce(ps)
    return _state(ps)


@api.post("s/{sitting_id}/break/", response=StateResponses, by_alias=True, summary="Ask for a toilet break")
def request_break(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    monitoring.request_break(ps)
    return _state(ps)


@api.post("s/{sitting_id}/break/return/", response=StateResponses, by_alias=True, summary="Back from the break")
def return_from_break(request, sitting_id: RowId):
    ps = _own(request, sitting_id)
    monitoring.return_from_break(ps)
    return _state(ps)


@api.post("s/{sitting_id}/warnings/seen/", response=StateResponses, by_alias=True, summary="Warnings the candidate has seen")
def warnings_seen(request, sitting_id: RowId, payload: WarningsSeenIn):
    ps = _own(request, sitting_id)
    monitoring.mark_warnings_seen(ps, payload.ids)
    return _state(ps)


# -- the phone (second camera) ----------------------------------------------------------

Token = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


def _token_of_program(request) -> SecondCameraToken | None:
    token = (request.resolver_match.kwargs if request.resolver_match else {}).get("token", "")
    return (
        SecondCameraToken.objects.select_related("sitting__enrolment")
        .filter(token=token, sitting__enrolment__program=request.program)
        .first()
    )


class PairingToken(APIKeyCookie):
    """The QR-code token in the path, of a sitting of this program (CSRF-checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key) -> Any:
        row = _token_of_program(request)
        if row is None:
            raise Refused(_("This QR code is not valid. Show a new one on the exam computer."), status=403)
        return row


class PhoneDevice(APIKeyCookie):
    """The paired phone: the QR-code token in the path and its device key in the session."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key) -> Any:
        row = _token_of_program(request)
        device_key = request.session.get(PHONE_SESSION_KEY, {}).get(row.token if row else "", "")
        paired = paired_token(row.token, device_key) if row else None
        if paired is None:
            raise Refused(_("This phone is not paired. Scan the QR code again."), status=403)
        return paired


@api.post("phone/{token}/pair/", auth=PairingToken(), response={200: Paired, 400: Message, 403: Message},
          summary="Pair this phone (once per QR code)")
def phone_pair(request, token: Token):
    keys = request.session.get(PHONE_SESSION_KEY, {})
    if keys.get(token) and paired_token(token, keys[token]):
        return {"paired": True}
    _row, key = pair(token)
    keys[token] = key
    request.session[PHONE_SESSION_KEY] = keys
    return {"paired": True}


@api.post("phone/{token}/snapshot/", auth=PhoneDevice(),
          response={200: PhoneResult, 400: Message, 403: Message, 413: Message, 429: Message},
          summary="A frame from the second camera")
def phone_snapshot(request, token: Token, payload: ImageIn):
    ps = request.auth.sitting
    attempt = ps.attempt
    if attempt is not None and not attempt.is_open:
        return {"ended": True}
    image = decode_image(payload)
    if monitoring.snapshot_too_soon(ps, "phone"):
        return Status(429, {"detail": _("Too many snapshots; wait for the next one.")})
    monitoring.record_snapshot(ps, "phone", image)
    return {"ended": False}
