"""The phone (second camera) page, bound to one proctored sitting by a QR-code token.
Site-wide URLs (the phone is not logged in); scoped by the token, and refused when
proctoring is off for the sitting's program."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plugins.services import is_enabled

from .. import monitoring
from ..models import SecondCameraToken
from ..second_camera import PairingRefused, pair, paired_token
from .common import json_errors, uploaded_image

SESSION_KEY = "proctor_phone_keys"


def _token_or_404(token):
    row = SecondCameraToken.objects.select_related("sitting__enrolment__program").filter(token=token).first()
    if row is None or not is_enabled(row.sitting.enrolment.program, "proctor_plugin"):
        raise Http404
    return row


def phone_page(request, token):
    row = _token_or_404(token)
    key = request.session.get(SESSION_KEY, {}).get(token)
    return render(request, "proctor_plugin/phone.html", {
        "token": token,
        "paired_here": bool(key and paired_token(token, key)),
        "interval": monitoring.proctor_settings(row.sitting)["snapshot_interval_seconds"],
        "program": row.sitting.enrolment.program,
    })


@require_POST
@json_errors(PairingRefused)
def phone_pair(request, token):
    _token_or_404(token)
    keys = request.session.get(SESSION_KEY, {})
    if keys.get(token) and paired_token(token, keys[token]):
        return JsonResponse({"paired": True})
    _row, key = pair(token)
    keys[token] = key
    request.session[SESSION_KEY] = keys
    return JsonResponse({"paired": True})


@require_POST
@json_errors(monitoring.MonitoringError)
def phone_snapshot(request, token):
    _token_or_404(token)
    row = paired_token(token, request.session.get(SESSION_KEY, {}).get(token, ""))
    if row is None:
        return JsonResponse({"error": "not paired"}, status=403)
    ps = row.sitting
    attempt = ps.attempt
    if attempt is not None and not attempt.is_open:
        return JsonResponse({"ended": True})
    if monitoring.snapshot_too_soon(ps, "phone"):
        return JsonResponse({"error": _("Too many snapshots; wait for the next one.")}, status=429)
    monitoring.record_snapshot(ps, "phone", uploaded_image(request))
    return JsonResponse({"ended": False})
