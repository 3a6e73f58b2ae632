import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plugins.signals import learner_dashboard_panels

from . import hours, studying
from .learning import dashboard_card
from .models import Enrolment


@login_required
def dashboard(request):
    """The learner's enrolments: hours earned / required, per-module breakdown, where to
    continue, and plugin panels (e.g. whether the exam is open)."""
    cards = []
    enrolments = Enrolment.objects.filter(learner=request.user).select_related("program", "level").order_by("created_at")
    for enrolment in enrolments:
        card = dashboard_card(enrolment)
        card["panels"] = [
            html
            for _receiver, html in learner_dashboard_panels.send_robust(
                sender=enrolment.program, request=request, enrolment=enrolment
            )
            if isinstance(html, str) and html
        ]
        cards.append(card)
    return render(request, "course_content/dashboard.html", {"cards": cards})


def _error(message, status=400, code="malformed"):
    return JsonResponse({"error": message, "code": code, "results": []}, status=status)


@require_POST
def heartbeats(request):
    """JSON API of the lesson pages: ``{"heartbeats": [...]}`` (or a single heartbeat object).

    Answers 200 with one result per heartbeat (accepted / capped / rejected with a code
    and a translated message) and the learner's new totals; 400 only when the body is
    not usable at all. CSRF-protected; the study script sends the token header.
    """
    if not request.user.is_authenticated:
        return _error(_("Please log in to have your study time counted."), status=401, code="login_required")
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(_("The request is not valid JSON."))
    if isinstance(payload, dict) and "heartbeats" in payload:
        items = payload["heartbeats"]
    elif isinstance(payload, dict):
        items = [payload]
    else:
        items = payload
    if not isinstance(items, list) or not items:
        return _error(_("Send a list of heartbeats."))
    if len(items) > studying.max_batch():
        return _error(_("Send at most %(n)d heartbeats at once.") % {"n": studying.max_batch()})
    outcomes = studying.record_heartbeats(request.user, items, source=studying.ONLINE)
    totals = []
    for enrolment in Enrolment.objects.filter(learner=request.user).select_related("program", "level"):
        totals.append(
            {
                "enrolment": enrolment.pk,
                "credited_seconds": hours.credited_seconds(enrolment),
                "class_hours": str(hours.class_hours(enrolment)),
            }
        )
    lesson_ids = {item.get("lesson") for item in items if isinstance(item, dict) and isinstance(item.get("lesson"), int)}
    lessons = {}
    for lesson_id in lesson_ids:
        lessons[str(lesson_id)] = max(
            (studying.lesson_credited_seconds(e, lesson_id) for e in Enrolment.objects.filter(learner=request.user)),
            default=0,
        )
    return JsonResponse({"results": [o.as_dict() for o in outcomes], "enrolments": totals, "lessons": lessons})
