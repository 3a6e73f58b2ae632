"""The candidate's side: the pre-flight page, the device test, and the JSON endpoints
the watcher calls during the exam. Program-scoped (``request.program`` set by the
plugin gate); every object is looked up through the logged-in learner."""

import functools
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from course_content.models import Enrolment
from plugins.urls import program_url

from .. import monitoring, preflight, rules
from ..models import ProctoredSitting
from ..second_camera import qr_svg
from .common import json_errors, uploaded_image


def _own(request, sitting_id) -> ProctoredSitting:
    return get_object_or_404(
        ProctoredSitting.objects.select_related("enrolment__learner", "candidate__sitting"),
        pk=sitting_id, enrolment__learner=request.user, enrolment__program=request.program,
    )


def _safe_next(request, fallback):
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _body(request) -> dict:
    try:
        return json.loads(request.body or b"{}") if request.content_type == "application/json" else request.POST.dict()
    except ValueError:
        return {}


@login_required
def preflight_page(request, sitting_id):
    ps = _own(request, sitting_id)
    settings_ = preflight.proctor_settings(ps)
    if ps.candidate_id:
        from exam_plugin.models import Attempt

        attempt = Attempt.objects.filter(candidate_id=ps.candidate_id).first()
        if attempt is not None:
            done = program_url(request.program, "exam_plugin:attempt", attempt_id=attempt.pk)
            enter = ""
        else:
            done = ""
            enter = program_url(request.program, "exam_plugin:enter", sitting_id=ps.candidate.sitting_id)
    else:
        done, enter = _safe_next(request, program_url(request.program, "proctor_plugin:device_test_done", sitting_id=ps.pk)), ""
    config = {
        "base": program_url(request.program, "proctor_plugin:preflight", sitting_id=ps.pk).rsplit("preflight/", 1)[0],
        "steps": rules.preflight_steps(settings_),
        "next": preflight.next_step(ps, settings_),
        "doneUrl": done,
        "enterUrl": enter,
        "deviceTest": ps.is_device_test,
    }
    return render(request, "proctor_plugin/preflight.html", {
        "program": request.program, "ps": ps, "config": config, "settings": settings_,
        "exam_rules_required": settings_["rules_acceptance_required"],
    })


@login_required
def device_test(request):
    """The handbook's device test (2–3 days before): the same pre-flight, no exam."""
    enrolment = Enrolment.objects.filter(learner=request.user, program=request.program).order_by("-pk").first()
    if enrolment is None:
        raise Http404
    ps = preflight.device_test_for(enrolment)
    return redirect(program_url(request.program, "proctor_plugin:preflight", sitting_id=ps.pk))


@login_required
def device_test_done(request, sitting_id):
    ps = _own(request, sitting_id)
    return render(request, "proctor_plugin/device_test_done.html", {"program": request.program, "ps": ps})


# -- pre-flight steps (JSON) --------------------------------------------------------

@login_required
@require_GET
def preflight_status(request, sitting_id):
    return JsonResponse(preflight.status(_own(request, sitting_id)))


def _preflight_status(ps):
    return JsonResponse(preflight.status(ps))


def _state(ps):
    ps.refresh_from_db()
    return JsonResponse(monitoring.candidate_state(ps))


def candidate_post(errors, respond):
    """A POST endpoint on the candidate's own proctored sitting: login required, POST
    only, ``errors`` answered as translated JSON, the sitting looked up through the
    logged-in learner. The view gets ``(request, ps)`` and returns a response, or None
    for ``respond(ps)``."""

    def decorate(view):
        @login_required
        @require_POST
        @json_errors(errors)
        @functools.wraps(view)
        def endpoint(request, sitting_id):
            ps = _own(request, sitting_id)
            response = view(request, ps)
            return response if response is not None else respond(ps)

        return endpoint

    return decorate


preflight_step = candidate_post(preflight.PreflightError, _preflight_status)
exam_event = candidate_post(monitoring.MonitoringError, _state)


@preflight_step
def accept_rules(request, ps):
    preflight.accept_rules(ps)


@preflight_step
def camera_ready(request, ps):
    preflight.camera_ready(ps)


@preflight_step
def verify_face(request, ps):
    result = preflight.verify_face(ps, uploaded_image(request))
    ps.refresh_from_db()
    return JsonResponse({**result, **preflight.status(ps)})


@preflight_step
def photo_fallback(request, ps):
    preflight.continue_with_photo(ps, uploaded_image(request))
    ps.refresh_from_db()


@preflight_step
def new_pairing(request, ps):
    token = preflight.issue_camera_token(ps)
    url = request.build_absolute_uri(reverse("proctor_plugin_global:phone", kwargs={"token": token.token}))
    return JsonResponse({"url": url, "qr": qr_svg(url), "expires_at": token.expires_at.isoformat()})


@preflight_step
def enter_fullscreen(request, ps):
    preflight.enter_fullscreen(ps)


# -- during the exam (JSON) ------------------------------------------------------------


@exam_event
def heartbeat(request, ps):
    monitoring.heartbeat(ps)


@exam_event
def leave_started(request, ps):
    monitoring.enforce(ps)
    monitoring.leave_started(ps, _body(request).get("kind", ""))


@exam_event
def leave_ended(request, ps):
    monitoring.leave_ended(ps)


@exam_event
def snapshot(request, ps):
    if monitoring.snapshot_too_soon(ps, "webcam"):
        return JsonResponse({"error": _("Too many snapshots; wait for the next one.")}, status=429)
    monitoring.record_snapshot(ps, "webcam", uploaded_image(request))
    monitoring.enforce(ps)


@exam_event
def request_break(request, ps):
    monitoring.request_break(ps)


@exam_event
def return_from_break(request, ps):
    monitoring.return_from_break(ps)


@exam_event
def warnings_seen(request, ps):
    ids = [int(i) for i in _body(request).get("ids", []) if str(i).isdigit()]
    monitoring.mark_warnings_seen(ps, ids)
