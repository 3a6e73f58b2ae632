"""The phone (second camera): not logged in. It holds the QR-code token (in the path)
and, once paired, a device key in its session (``PhoneDevice``), CSRF-checked like the
session."""

from typing import Annotated, Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from ninja.security.apikey import APIKeyCookie

from ..models import SecondCameraToken
from ..services.second_camera import pair, paired_token
from .common import ImageIn, Message, Refused, record_snapshot

PHONE_SESSION_KEY = "proctor_phone_keys"

router = Router()

Token = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


class PhoneResult(Schema):
    ended: bool


class Paired(Schema):
    paired: bool


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


@router.post("phone/{token}/pair/", auth=PairingToken(), response={200: Paired, 400: Message, 403: Message},
             summary="Pair this phone (once per QR code)")
def phone_pair(request, token: Token):
    keys = request.session.get(PHONE_SESSION_KEY, {})
    if keys.get(token) and paired_token(token, keys[token]):
        return {"paired": True}
    _row, key = pair(token)
    keys[token] = key
    request.session[PHONE_SESSION_KEY] = keys
    return {"paired": True}


@router.post("phone/{token}/snapshot/", auth=PhoneDevice(),
             response={200: PhoneResult, 400: Message, 403: Message, 413: Message, 429: Message},
             summary="A frame from the second camera")
def phone_snapshot(request, token: Token, payload: ImageIn):
    ps = request.auth.sitting
    attempt = ps.attempt
    if attempt is not None and not attempt.is_open:
        return {"ended": True}
    record_snapshot(ps, "phone", payload)
    return {"ended": False}
