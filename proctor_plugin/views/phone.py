"""The phone (second camera) page, bound to one proctored sitting by a QR-code token.
A site-wide URL (the phone is not logged in), scoped by the token and refused when
proctoring is off for the sitting's program. Pairing and uploads are JSON operations
of the program's proctor API (``proctor_plugin.api``, auth ``PairingToken`` /
``PhoneDevice``)."""

from django.http import Http404
from django.shortcuts import render

from plugins.services import is_enabled

from ..api import PHONE_SESSION_KEY, phone_api_base
from ..models import SecondCameraToken
from ..services import monitoring
from ..services.second_camera import paired_token


def phone_page(request, token):
    row = SecondCameraToken.objects.select_related("sitting__enrolment__program").filter(token=token).first()
    if row is None or not is_enabled(row.sitting.enrolment.program, "proctor_plugin"):
        raise Http404
    program = row.sitting.enrolment.program
    key = request.session.get(PHONE_SESSION_KEY, {}).get(token)
    return render(request, "proctor_plugin/phone.html", {
        "token": token,
        "api": phone_api_base(program, token),
        "paired_here": bool(key and paired_token(token, key)),
        "interval": monitoring.proctor_settings(row.sitting)["snapshot_interval_seconds"],
        "program": program,
    })
