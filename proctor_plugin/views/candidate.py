"""The candidate's pages: the pre-flight and the device test. Program-scoped
(``request.program`` set by the plugin gate); every object is looked up through the
logged-in learner. The steps themselves are JSON operations in ``proctor_plugin.api``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from course_content.models import Enrolment
from plugins.urls import program_url

from ..api import api_base
from ..models import ProctoredSitting
from ..services import preflight, rules


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
        "base": api_base(request.program, ps),
        "steps": rules.preflight_steps(settings_),
        "next": preflight.next_step(ps, settings_),
        "noReference": not preflight.has_reference(ps),
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
