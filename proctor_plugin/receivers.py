"""Receivers of the proctor plugin, connected from ``ProctorPluginConfig.ready``: core
registration signals, the plugin navigation, and the exam plugin's signals (entry checks,
exam page assets, hand-in, the exam-day panel's ``exam_day_status``, the offline journal's
``offline_events_replayed`` and ``reconnect_window``). The proctor plugin defines no
signals of its own.

All receivers are program-scoped: they run only where the plugin is on.
"""

import logging

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from course_content.registration.signals import registration_approved, registration_photo_checks
from exam_plugin.signals import (
    attempt_entry_checks,
    attempt_submitted,
    exam_day_status,
    exam_page_assets,
    offline_events_replayed,
    reconnect_window,
)
from plugins.services import get_settings
from plugins.signals import plugin_navigation
from plugins.urls import program_url

from .services import rules

logger = logging.getLogger(__name__)


@receiver(registration_photo_checks, dispatch_uid="proctor_plugin_registration_photo")
def registration_photo_has_one_face(sender, image, level, **kwargs):
    """The registration photo becomes the reference face: exactly one, large enough."""
    from .services.face_enrolment import check_photo

    return check_photo(image)


@receiver(registration_approved, dispatch_uid="proctor_plugin_enrol_face")
def enrol_face_from_registration(sender, registration, enrolment, photo_path, **kwargs):
    from .models import FaceEnrolment
    from .services.face_enrolment import PhotoRefused, enrol_face

    if not photo_path:
        return
    try:
        enrol_face(enrolment.learner, photo_path, origin=FaceEnrolment.Source.REGISTRATION)
    except PhotoRefused as err:
        logger.warning("Registration photo of %s not enrolled: %s", enrolment.learner.pk, err)


@receiver(attempt_entry_checks, dispatch_uid="proctor_plugin_preflight")
def preflight_before_entry(sender, request, candidate, attempt, **kwargs):
    """Route the candidate through the pre-flight until every step is done; on a
    return after a crash, apply the reconnect window first."""
    from .services import monitoring, preflight

    ps = preflight.for_candidate(candidate)
    if attempt is not None:
        monitoring.enforce(ps)
        attempt.refresh_from_db()
        if not attempt.is_open:
            return {"url": program_url(sender, "exam_plugin:result", attempt_id=attempt.pk), "reason": attempt.hand_in_reason}
    if preflight.next_step(ps) is None:
        return None
    url = program_url(sender, "proctor_plugin:preflight", sitting_id=ps.pk)
    return {"url": url, "reason": _("Complete the identity and device checks before the exam.")}


@receiver(exam_page_assets, dispatch_uid="proctor_plugin_watcher")
def exam_room_watcher(sender, request, attempt, **kwargs):
    """The watcher (full screen / visibility / focus, countdown), snapshots, the
    "monitoring" badge, warnings, breaks and the second-camera QR code."""
    from .api import api_base
    from .services import preflight

    if attempt.candidate_id is None:
        return ""
    ps = preflight.for_candidate(attempt.candidate)
    settings_ = preflight.proctor_settings(ps)
    config = {
        "base": api_base(sender, ps),
        "snapshotSeconds": settings_["snapshot_interval_seconds"],
        "returnSeconds": settings_["leave_return_seconds"],
        "secondCamera": bool(settings_["second_camera_required"]),
        "breaks": bool(settings_["break_minutes"]),
        "resultUrl": program_url(sender, "exam_plugin:result", attempt_id=attempt.pk),
    }
    return render_to_string("proctor_plugin/watcher_assets.html", {"config": config}, request=request)


@receiver(attempt_submitted, dispatch_uid="proctor_plugin_close_camera")
def close_second_camera(sender, attempt, reason, forced, **kwargs):
    from .models import SecondCameraToken

    if attempt.candidate_id:
        SecondCameraToken.objects.filter(sitting__candidate_id=attempt.candidate_id).update(revoked=True)


@receiver(plugin_navigation, dispatch_uid="proctor_plugin_device_test_link")
def device_test_link(sender, request, **kwargs):
    """Enrolled learners find the device test (2–3 days before the exam) on the program page."""
    from course_content.models import Enrolment

    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or not Enrolment.objects.filter(learner=user, program=sender).exists():
        return []
    return [{"label": _("Device test"), "url": program_url(sender, "proctor_plugin:device_test")}]


@receiver(exam_day_status, dispatch_uid="proctor_plugin_exam_day_status")
def exam_day_incidents_and_heartbeats(sender, sittings, since, **kwargs):
    """Per exam sitting: incidents (all and since ``since``) and the candidates whose
    proctoring heartbeat arrived since ``since`` (see exam_plugin.signals.exam_day_status)."""
    from django.db.models import Count, Q

    from .models import Incident, ProctoredSitting

    pks = [s.pk for s in sittings]
    answer = {}
    incidents = (
        Incident.objects.filter(sitting__candidate__sitting_id__in=pks)
        .values("sitting__candidate__sitting_id")
        .annotate(total=Count("id"), recent=Count("id", filter=Q(created_at__gte=since)))
    )
    for row in incidents:
        answer[row["sitting__candidate__sitting_id"]] = {
            "incidents": row["total"], "recent_incidents": row["recent"], "connected": set(),
        }
    alive = ProctoredSitting.objects.filter(candidate__sitting_id__in=pks, last_seen_at__gte=since)
    for exam_sitting_id, candidate_id in alive.values_list("candidate__sitting_id", "candidate_id"):
        answer.setdefault(exam_sitting_id, {"incidents": 0, "recent_incidents": 0, "connected": set()})
        answer[exam_sitting_id]["connected"].add(candidate_id)
    return answer


@receiver(offline_events_replayed, dispatch_uid="proctor_plugin_offline_events")
def judge_offline_events(sender, attempt, events, since, now, **kwargs):
    """Apply the exam-room rules to leaves journaled offline; may end the exam."""
    from .services import offline, preflight

    if attempt.candidate_id is None:
        return None
    return offline.apply_replayed_events(preflight.for_candidate(attempt.candidate), events, since=since, now=now)


@receiver(reconnect_window, dispatch_uid="proctor_plugin_reconnect_window")
def reconnect_window_of_the_exam_room(sender, **kwargs):
    """The exam room's reconnect rule also bounds a late offline replay (None: no rule)."""
    return rules.reconnect_window(get_settings(sender, "proctor_plugin"))
