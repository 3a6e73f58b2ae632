"""During the exam: leaves, heartbeats, snapshots, breaks — recorded here, decided by
``rules``. The server owns time: every timestamp is the server's, and ``enforce`` (run
on each candidate request and each console refresh) applies deadlines that passed
while nobody was asking.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import BreakRequest, Incident, LeaveEvent, ProctoredSitting, Snapshot, Warning
from . import attempts, audit, rules
from .face import InvalidImage, analyse_image, cosine_similarity, load_rgb
from .face_enrolment import jpeg, reference_embedding
from .preflight import proctor_settings


class MonitoringError(ValueError):
    """A refused request; ``str(err)`` is translated."""


def connection_timeout() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "PROCTOR_CONNECTION_TIMEOUT_SECONDS", 45)))


def cheating_reason(detail: str) -> str:
    return _("Cheating suspected: %(detail)s") % {"detail": detail}


def _lock(ps) -> ProctoredSitting:
    return ProctoredSitting.objects.select_for_update().get(pk=ps.pk)


def _open_attempt(ps):
    attempt = ps.attempt
    return attempt if attempt is not None and attempt.is_open else None


def force_hand_in(ps, reason: str, *, by=None) -> bool:
    """Hand the candidate's attempt in now with ``reason`` (idempotent)."""
    attempt = _open_attempt(ps)
    if attempt is None:
        return False
    attempts.hand_in(ps, attempt, reason=reason, by=by)
    audit.incident(ps, Incident.Kind.FORCED_HAND_IN, detail=reason)
    audit.record(ps, "forced_hand_in", actor=by, reason=reason)
    return True


def on_break(ps, now=None) -> BreakRequest | None:
    return ps.breaks.filter(status=BreakRequest.Status.APPROVED).first()


def counted_leaves(ps) -> int:
    return ps.leaves.filter(outcome=LeaveEvent.Outcome.COUNTED).count()


# -- leaves -----------------------------------------------------------------------

def leave_started(ps, kind: str, now=None) -> LeaveEvent | None:
    """The candidate left the exam screen. One open leave at a time: a second signal
    (blur after leaving full screen) joins the open one."""
    now = now or timezone.now()
    if kind not in LeaveEvent.Kind.values:
        raise MonitoringError(_("Unknown kind of leave."))
    with transaction.atomic():
        ps = _lock(ps)
        if _open_attempt(ps) is None:
            return None  # nothing to watch any more; the caller's state says "ended"
        current = ps.leaves.filter(returned_at__isnull=True, outcome="").first()
        if current:
            return current
        leave = LeaveEvent.objects.create(sitting=ps, kind=kind, left_at=now)
        if on_break(ps):
            leave.outcome = LeaveEvent.Outcome.EXCUSED
            leave.returned_at = now
            leave.save(update_fields=["outcome", "returned_at"])
        return leave


def leave_ended(ps, now=None) -> LeaveEvent | None:
    """The candidate is back (full screen, visible, focused): decide the open leave."""
    now = now or timezone.now()
    settings_ = proctor_settings(ps)
    with transaction.atomic():
        ps = _lock(ps)
        leave = ps.leaves.filter(returned_at__isnull=True, outcome="").first()
        if leave is None:
            return None
        leave.returned_at = now
        return _decide_leave(ps, leave, settings_, now)


def _decide_leave(ps, leave, settings_, now):
    outcome = rules.leave_outcome(
        settings_, counted_before=counted_leaves(ps), left_at=leave.left_at, returned_at=leave.returned_at, now=now,
        on_break=on_break(ps) is not None,
    )
    if outcome is None:
        return leave
    leave.outcome = outcome.value
    leave.save(update_fields=["returned_at", "outcome"])
    if outcome == rules.LeaveOutcome.COUNTED:
        audit.incident(ps, Incident.Kind.LEAVE, detail=leave.get_kind_display())
    elif outcome == rules.LeaveOutcome.FORCED_TIMEOUT:
        force_hand_in(ps, cheating_reason(_("not back within %(s)d seconds") % {"s": settings_["leave_return_seconds"]}))
    elif outcome == rules.LeaveOutcome.FORCED_LIMIT:
        force_hand_in(ps, cheating_reason(_("left the exam %(n)d times") % {"n": settings_["leave_limit"]}))
    return leave


# -- enforcement of deadlines -----------------------------------------------------

def enforce(ps, now=None) -> None:
    """Apply every deadline that has passed: an open leave, an approved break, a lost
    connection, a silent phone. Safe to call often."""
    now = now or timezone.now()
    if _open_attempt(ps) is None:
        return
    settings_ = proctor_settings(ps)
    with transaction.atomic():
        ps = _lock(ps)
        leave = ps.leaves.filter(returned_at__isnull=True, outcome="").first()
        if leave is not None:
            _decide_leave(ps, leave, settings_, now)
        approved = on_break(ps)
        if approved is not None and rules.break_state(settings_, started_at=approved.approved_at, returned_at=None, now=now) == rules.WindowState.OVERDUE:
            approved.status = BreakRequest.Status.OVERDUE
            approved.save(update_fields=["status"])
            force_hand_in(ps, cheating_reason(_("not back from the break within %(m)d minutes") % {"m": settings_["break_minutes"]}))
        if ps.last_seen_at and ps.connection_lost_at is None and now - ps.last_seen_at > connection_timeout():
            ps.connection_lost_at = ps.last_seen_at
            ps.save(update_fields=["connection_lost_at"])
            audit.incident(ps, Incident.Kind.CONNECTION_LOST)
        if ps.connection_lost_at and rules.reconnect_state(settings_, lost_at=ps.connection_lost_at, back_at=None, now=now) == rules.WindowState.OVERDUE:
            force_hand_in(ps, _("Not reconnected within %(m)d minutes") % {"m": settings_["reconnect_minutes"]})
        if (
            ps.second_camera_paired_at
            and not ps.phone_lost
            and rules.second_camera_lost(settings_, last_seen=ps.phone_last_seen_at, paired_at=ps.second_camera_paired_at, now=now)
        ):
            ps.phone_lost = True
            ps.save(update_fields=["phone_lost"])
            audit.incident(ps, Incident.Kind.SECOND_CAMERA_LOST)


def enforce_all(now=None) -> int:
    """Apply the deadlines of every proctored sitting whose attempt is still open (the
    ``proctor_enforce`` command runs this every minute, so nobody needs to be looking)."""
    from exam_plugin.models import Attempt

    open_candidates = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, candidate__isnull=False).values("candidate_id")
    count = 0
    for ps in ProctoredSitting.objects.filter(candidate_id__in=open_candidates):
        enforce(ps, now)
        count += 1
    return count


def heartbeat(ps, now=None) -> None:
    """The exam page is alive (a contact with the attempt: where an offline spell
    would start, told to the exam plugin through ``attempts.contact``). Coming back after a
    lost connection is judged by the program's reconnect window."""
    now = now or timezone.now()
    enforce(ps, now)
    if ps.candidate_id:
        attempt = ps.attempt
        if attempt is not None:
            attempts.contact(ps, attempt.pk, now)
    settings_ = proctor_settings(ps)
    with transaction.atomic():
        ps = _lock(ps)
        gap_start = ps.connection_lost_at
        if gap_start is None and ps.last_seen_at and now - ps.last_seen_at > connection_timeout():
            gap_start = ps.last_seen_at
        if gap_start is not None and _open_attempt(ps) is not None:
            state = rules.reconnect_state(settings_, lost_at=gap_start, back_at=now, now=now)
            if state == rules.WindowState.OVERDUE:
                force_hand_in(ps, _("Not reconnected within %(m)d minutes") % {"m": settings_["reconnect_minutes"]})
            else:
                audit.record(ps, "reconnected", seconds=int((now - gap_start).total_seconds()))
        ps.last_seen_at = now
        ps.connection_lost_at = None
        ps.save(update_fields=["last_seen_at", "connection_lost_at"])


# -- snapshots --------------------------------------------------------------------

def snapshot_too_soon(ps, source: str, now=None) -> bool:
    """Uploads faster than a third of the program's interval (at least 2 s apart) are
    refused: each one costs a face analysis on the server."""
    now = now or timezone.now()
    gap = max(2, int(proctor_settings(ps)["snapshot_interval_seconds"]) // 3)
    return ps.snapshots.filter(source=source, taken_at__gt=now - timedelta(seconds=gap)).exists()


def record_snapshot(ps, source: str, image, now=None) -> Snapshot:
    """Store and analyse a camera frame. Webcam frames are checked against the rules:
    no face → automatic warning, several faces / another face → incidents."""
    now = now or timezone.now()
    try:
        rgb = load_rgb(image)
    except InvalidImage as err:
        raise MonitoringError(str(err)) from err
    settings_ = proctor_settings(ps)
    analysis = analyse_image(rgb)
    similarity = None
    reference = reference_embedding(ps.enrolment.learner)
    if reference is not None and analysis.embedding is not None:
        similarity = cosine_similarity(reference, analysis.embedding)
    snapshot = Snapshot(sitting=ps, source=source, taken_at=now, face_count=analysis.face_count, similarity=similarity)
    snapshot.image.save("snap.jpg", ContentFile(jpeg(rgb)), save=False)
    snapshot.save()
    if source == Snapshot.Source.PHONE:
        ProctoredSitting.objects.filter(pk=ps.pk).update(phone_last_seen_at=now, phone_lost=False)
        return snapshot
    if _open_attempt(ps) is None:
        return snapshot
    findings = rules.snapshot_findings(settings_, face_count=analysis.face_count, similarity=similarity)
    if findings.multiple_persons:
        audit.incident(ps, Incident.Kind.MULTIPLE_PERSONS, detail=str(analysis.face_count), snapshot=snapshot)
    if findings.identity_mismatch:
        audit.incident(ps, Incident.Kind.IDENTITY, detail=f"{similarity:.2f}", snapshot=snapshot)
    if findings.absent:
        audit.incident(ps, Incident.Kind.ABSENT, snapshot=snapshot)
        warn(ps, _("You are not visible to the camera. Stay in front of it."), by=None)
    return snapshot


# -- warnings and breaks ----------------------------------------------------------

def warn(ps, message: str, *, by) -> Warning:
    """Show ``message`` on the candidate's screen; the program's warning limit
    disqualifies (forced hand-in + result invalidated)."""
    message = str(message).strip()
    if not message:
        raise MonitoringError(_("Write the warning message."))
    warning = Warning.objects.create(sitting=ps, message=message[:300], by=by)
    audit.record(ps, "warned", actor=by, reason=message)
    settings_ = proctor_settings(ps)
    count = ps.warnings.count()
    attempt = ps.attempt
    if attempt is not None and not attempt.invalidated and rules.disqualified_by_warnings(settings_, count):
        reason = _("Disqualified after %(n)d warnings") % {"n": count}
        audit.incident(ps, Incident.Kind.DISQUALIFIED, detail=reason)
        force_hand_in(ps, reason, by=by)
        attempts.invalidate(ps, attempt, reason=reason, by=by)
        _set_decision(ps, ProctoredSitting.Decision.INVALID, reason, by)
    return warning


def _set_decision(ps, decision, reason, by):
    ProctoredSitting.objects.filter(pk=ps.pk).update(
        decision=decision, decision_reason=str(reason)[:300], decided_by=by, decided_at=timezone.now()
    )
    audit.record(ps, "decided", actor=by, reason=reason, decision=decision)


def request_break(ps) -> BreakRequest:
    settings_ = proctor_settings(ps)
    if not rules.breaks_allowed(settings_):
        raise MonitoringError(_("Breaks are not allowed in this exam."))
    if _open_attempt(ps) is None:
        raise MonitoringError(_("The exam has ended."))
    existing = ps.breaks.filter(status__in=[BreakRequest.Status.PENDING, BreakRequest.Status.APPROVED]).first()
    if existing:
        return existing
    request = BreakRequest.objects.create(sitting=ps)
    audit.record(ps, "break_requested")
    return request


def approve_break(request: BreakRequest, *, by, now=None) -> BreakRequest:
    """A proctor lets the candidate go; the exam clock keeps running."""
    if request.status != BreakRequest.Status.PENDING:
        raise MonitoringError(_("This break request was already handled."))
    request.status = BreakRequest.Status.APPROVED
    request.approved_at = now or timezone.now()
    request.decided_by = by
    request.save(update_fields=["status", "approved_at", "decided_by"])
    audit.record(request.sitting, "break_approved", actor=by)
    return request


def deny_break(request: BreakRequest, *, by) -> BreakRequest:
    if request.status != BreakRequest.Status.PENDING:
        raise MonitoringError(_("This break request was already handled."))
    request.status = BreakRequest.Status.DENIED
    request.decided_by = by
    request.save(update_fields=["status", "decided_by"])
    audit.record(request.sitting, "break_denied", actor=by)
    return request


def return_from_break(ps, now=None) -> BreakRequest | None:
    now = now or timezone.now()
    request = on_break(ps)
    if request is None:
        return None
    settings_ = proctor_settings(ps)
    state = rules.break_state(settings_, started_at=request.approved_at, returned_at=now, now=now)
    request.returned_at = now
    if state == rules.WindowState.OVERDUE:
        request.status = BreakRequest.Status.OVERDUE
        request.save(update_fields=["returned_at", "status"])
        force_hand_in(ps, cheating_reason(_("not back from the break within %(m)d minutes") % {"m": settings_["break_minutes"]}))
    else:
        request.status = BreakRequest.Status.RETURNED
        request.save(update_fields=["returned_at", "status"])
        audit.record(ps, "break_returned")
    return request


# -- what the candidate's page shows -------------------------------------------------

def candidate_state(ps, now=None) -> dict:
    """State for the candidate's watcher (no other candidate's data, no answer keys)."""
    now = now or timezone.now()
    settings_ = proctor_settings(ps)
    attempt = ps.attempt
    leave = ps.leaves.filter(returned_at__isnull=True, outcome="").first()
    brk = ps.breaks.filter(status__in=[BreakRequest.Status.PENDING, BreakRequest.Status.APPROVED]).first()
    unseen = list(ps.warnings.filter(seen_at__isnull=True).values("id", "message"))
    return {
        "ended": attempt is None or not attempt.is_open,
        "leaves_counted": counted_leaves(ps),
        "leave_limit": settings_["leave_limit"],
        "leaves_remaining": rules.leaves_remaining(settings_, counted_leaves(ps)),
        "return_seconds": settings_["leave_return_seconds"],
        "away_deadline": rules.leave_return_deadline(settings_, leave.left_at).isoformat() if leave else None,
        "break": {
            "status": brk.status,
            "until": rules.break_deadline(settings_, brk.approved_at).isoformat() if brk and brk.approved_at else None,
        } if brk else None,
        "breaks_allowed": rules.breaks_allowed(settings_),
        "warnings": unseen,
        "warnings_total": ps.warnings.count(),
        "phone_lost": bool(settings_["second_camera_required"]) and (ps.phone_lost or not ps.second_camera_paired_at),
        "server_time": now.isoformat(),
    }


def mark_warnings_seen(ps, ids) -> int:
    return ps.warnings.filter(pk__in=list(ids), seen_at__isnull=True).update(seen_at=timezone.now())
