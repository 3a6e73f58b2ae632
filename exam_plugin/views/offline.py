"""The replay endpoint of the exam page's journal after an offline spell
(``exam_plugin.offline.replay_answers``). Session auth and CSRF like the JSON API; the
attempt must be the logged-in learner's in this program (404 otherwise)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import offline
from ..models import Attempt
from ..services.attempts import AttemptError

MAX_ANSWERS = 500


@require_POST
@login_required
def replay(request, attempt_id):
    """``{"answers": [{"position", "seq", "value", "client_written_at"}]}`` → the save
    result (``acked`` per position) plus ``spell`` and ``late``; 409 when closed."""
    attempt = get_object_or_404(
        Attempt, pk=attempt_id, enrolment__learner_id=request.user.pk, enrolment__program_id=request.program.pk,
    )
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, list) or len(answers) > MAX_ANSWERS or not all(isinstance(a, dict) for a in answers):
        return JsonResponse({"detail": _("Send a list of answers.")}, status=400)
    try:
        result = offline.replay_answers(attempt, answers)
    except AttemptError as err:
        return JsonResponse({"detail": str(err)}, status=409)
    attempt.refresh_from_db(fields=["deadline"])
    return JsonResponse({**result, "server_now": timezone.now().isoformat(), "deadline": attempt.deadline.isoformat()})


def _enrolment_or_404(request):
    from django.http import Http404

    from ..services.practice import enrolment_for

    enrolment = enrolment_for(request.user, request.program)
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
def practice_offline_page(request):
    """The offline mock-test page: download a set, take it (also offline), sync results."""
    from django.shortcuts import render

    from plugins.urls import program_url

    _enrolment_or_404(request)
    return render(request, "exam_plugin/offline_practice.html", {
        "program": request.program,
        "set_url": program_url(request.program, "exam_plugin:offline_practice_set"),
        "results_url": program_url(request.program, "exam_plugin:offline_practice_results"),
        "strings": {
            "download": _("Download a practice set"), "stored": _("Practice set on this device: %(n)s questions"),
            "none": _("No practice set on this device yet."), "score": _("Score it"),
            "result": _("Your score: %(score)s of %(max)s"), "right": _("Correct"), "wrong": _("Not correct"),
            "reference": _("Reference answer"), "waiting": _("Results waiting to be sent: %(n)s"),
            "synced": _("All results sent."), "offline": _("Offline: results are kept on this device"),
            "failed": _("Could not download a set. Check your connection."),
        },
    })


@login_required
def practice_offline_set(request):
    """GET → a practice set with practice keys (``offline_practice.practice_set``)."""
    from .. import offline_practice

    enrolment = _enrolment_or_404(request)
    try:
        count = int(request.GET.get("count", 20))
    except ValueError:
        count = 20
    response = JsonResponse(offline_practice.practice_set(enrolment, count), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def practice_offline_results(request):
    """POST ``{"results": [...]}`` → ``{"results": [outcome per result]}`` (idempotent)."""
    from .. import offline_practice

    enrolment = _enrolment_or_404(request)
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or not results or len(results) > 50:
        return JsonResponse({"detail": _("Send a list of results.")}, status=400)
    return JsonResponse({"results": offline_practice.record_practice_results(enrolment, results)})
