"""Replay of study heartbeats journaled on a device while it was offline.

The service worker keeps the lesson page's heartbeats in IndexedDB when the network is
gone and sends them here on reconnect, before any newer heartbeat of the same page. They
go through the same ledger function as online heartbeats
(``course_content.studying.record_heartbeats``) with ``source="offline"``: the same rules
apply (one lesson at a time, caps, no overlaps with intervals recorded online from other
devices, replays idempotent by device sequence number) and the rows are marked offline.
"""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from course_content import studying

from .push_views import json_login_required


@require_POST
@json_login_required
def study_replay(request):
    """``{"owner": <user id>, "heartbeats": [...]}`` → one result per heartbeat.

    ``owner`` is the account that was logged in when the heartbeats were journaled; a
    journal made by another account on a shared device is refused (409) and stays there.
    """
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    items = data.get("heartbeats") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return JsonResponse({"detail": _("Send a list of heartbeats."), "code": "malformed"}, status=400)
    if len(items) > studying.max_batch():
        return JsonResponse(
            {"detail": _("Send at most %(n)d heartbeats at once.") % {"n": studying.max_batch()}, "code": "malformed"},
            status=400,
        )
    if str(data.get("owner")) != str(request.user.pk):
        return JsonResponse(
            {"detail": _("These study records were made by another account on this device."), "code": "owner_mismatch"},
            status=409,
        )
    outcomes = studying.record_heartbeats(request.user, items, source=studying.OFFLINE)
    return JsonResponse({"results": [outcome.as_dict() for outcome in outcomes]})
