"""The proctor console's domain: the live grid and the actions (who may proctor what is
``access``).

Every action is audit-logged (``ProctorAction``) and goes to the exam plugin
through its request signals (``attempts``), so the exam result sees it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import BreakRequest, Incident, ProctoredSitting, SittingProctor, Snapshot
from . import attempts, audit, monitoring
from .access import supervises_all

ACTION_LABELS = {
    "rules_accepted": gettext_lazy("Rules accepted"),
    "photo_fallback": gettext_lazy("Continued with an uploaded photo"),
    "preflight_completed": gettext_lazy("Pre-flight completed"),
    "second_camera_paired": gettext_lazy("Second camera paired"),
    "forced_hand_in": gettext_lazy("Forced hand-in"),
    "reconnected": gettext_lazy("Reconnected"),
    "warned": gettext_lazy("Warning"),
    "decided": gettext_lazy("Decision recorded"),
    "break_requested": gettext_lazy("Break requested"),
    "break_approved": gettext_lazy("Break approved"),
    "break_denied": gettext_lazy("Break denied"),
    "break_returned": gettext_lazy("Back from the break"),
    "time_added": gettext_lazy("Time added"),
    "face_enrolled": gettext_lazy("Reference face enrolled"),
}


class ConsoleError(ValueError):
    """A refused console action; ``str(err)`` is translated."""


def assign_proctor(sitting, proctor, *, by) -> SittingProctor:
    if not supervises_all(by):
        raise PermissionDenied(_("Only a chief proctor may assign proctors."))
    if not (proctor.is_superuser or proctor.has_perm("proctor_plugin.invigilate")):
        raise ConsoleError(_("%(name)s does not have the proctor role.") % {"name": proctor.get_username()})
    row, _created = SittingProctor.objects.get_or_create(sitting=sitting, proctor=proctor)
    return row


def proctored_sittings(sitting):
    """One ``ProctoredSitting`` per admitted candidate (created on first look)."""
    from .preflight import for_candidate

    return [for_candidate(candidate) for candidate in sitting.candidates.select_related("enrolment__learner")]


def _latest(ps, source):
    return ps.snapshots.filter(source=source).order_by("-taken_at").first()


def connection_state(ps, now) -> str:
    attempt = ps.attempt
    if attempt is None:
        return "preflight" if ps.preflight_completed_at is None else "not_started"
    if not attempt.is_open:
        return "ended"
    if ps.connection_lost_at or (ps.last_seen_at and now - ps.last_seen_at > monitoring.connection_timeout()):
        return "lost"
    return "online" if ps.last_seen_at else "not_started"


def grid(sitting, now=None) -> list[dict]:
    """The live grid: one row per candidate. Deadlines are enforced first, so a
    proctor never looks at a state the rules have already ended."""
    from .privacy import photo_url

    now = now or timezone.now()
    rows = []
    for ps in proctored_sittings(sitting):
        monitoring.enforce(ps, now)
        ps.refresh_from_db()
        attempt = ps.attempt
        webcam, phone = _latest(ps, Snapshot.Source.WEBCAM), _latest(ps, Snapshot.Source.PHONE)
        pending_break = ps.breaks.filter(status=BreakRequest.Status.PENDING).first()
        rows.append({
            "id": ps.pk,
            "admission_number": ps.candidate.admission_number,
            "name": ps.enrolment.learner.real_name or ps.enrolment.learner.get_username(),
            "state": connection_state(ps, now),
            "leaves": monitoring.counted_leaves(ps),
            "incidents": ps.incidents.exclude(kind=Incident.Kind.LEAVE).count(),
            "warnings": ps.warnings.count(),
            "review": ps.review,
            "phone_lost": ps.phone_lost,
            "webcam": photo_url(webcam) if webcam else None,
            "phone": photo_url(phone) if phone else None,
            "pending_break": pending_break.pk if pending_break else None,
            "on_break": monitoring.on_break(ps) is not None,
            "attempt_status": attempt.get_status_display() if attempt else "",
            "deadline": attempt.deadline.isoformat() if attempt else None,
            "decision": ps.decision,
        })
    return rows


def _attempt_or_error(ps):
    attempt = ps.attempt
    if attempt is None:
        raise ConsoleError(_("The candidate has not started the exam."))
    return attempt


def add_time(ps, minutes: int, *, reason: str, by):
    try:
        attempts.compensate(ps, _attempt_or_error(ps), int(minutes), reason=reason, by=by)
    except attempts.AttemptRefused as err:
        raise ConsoleError(str(err)) from err
    audit.record(ps, "time_added", actor=by, reason=reason, minutes=int(minutes))


def force_hand_in(ps, *, reason: str, by):
    if not str(reason).strip():
        raise ConsoleError(_("Give a reason for the forced hand-in."))
    attempt = _attempt_or_error(ps)
    if not attempt.is_open:
        raise ConsoleError(_("This paper was already handed in."))
    monitoring.force_hand_in(ps, reason, by=by)


@transaction.atomic
def decide(ps, decision: str, *, reason: str, by):
    """The proctors' verdict after the exam. ``invalid`` voids the score through the
    exam plugin (and withdraws a released pass); an invalid result stays invalid."""
    if decision not in (ProctoredSitting.Decision.VALID, ProctoredSitting.Decision.INVALID):
        raise ConsoleError(_("Choose valid or invalid."))
    attempt = _attempt_or_error(ps)
    if decision == ProctoredSitting.Decision.INVALID:
        if not str(reason).strip():
            raise ConsoleError(_("Give a reason for declaring the result invalid."))
        attempts.invalidate(ps, attempt, reason=reason, by=by)
    elif attempt.invalidated:
        raise ConsoleError(_("This result was already declared invalid."))
    monitoring._set_decision(ps, decision, reason, by)
    if ps.review == ProctoredSitting.Review.PENDING:
        review = ProctoredSitting.Review.CONFIRMED if decision == ProctoredSitting.Decision.VALID else ProctoredSitting.Review.REJECTED
        ProctoredSitting.objects.filter(pk=ps.pk).update(review=review)


def timeline(ps) -> list[dict]:
    """Incidents, leaves, warnings, breaks and proctor actions of one attempt in order."""
    from .privacy import photo_url

    entries = []
    for incident in ps.incidents.select_related("snapshot"):
        entries.append({"at": incident.created_at, "what": incident.get_kind_display(), "detail": incident.detail,
                        "photo": photo_url(incident.snapshot) if incident.snapshot else None, "kind": "incident"})
    for leave in ps.leaves.all():
        entries.append({"at": leave.left_at, "what": leave.get_kind_display(), "detail": leave.get_outcome_display(),
                        "photo": None, "kind": "leave"})
    for check in ps.face_checks.all():
        entries.append({"at": check.created_at, "what": _("Face check passed") if check.passed else _("Face check failed"),
                        "detail": f"{check.similarity:.2f}" if check.similarity is not None else check.reason,
                        "photo": photo_url(check), "kind": "face_check"})
    for action in ps.actions.select_related("actor"):
        entries.append({"at": action.created_at, "what": ACTION_LABELS.get(action.action, action.action), "detail": action.reason,
                        "photo": None, "kind": "action", "actor": action.actor.get_username() if action.actor else ""})
    for snap in ps.snapshots.all()[:200]:
        entries.append({"at": snap.taken_at, "what": snap.get_source_display(),
                        "detail": _("%(n)s face(s)") % {"n": snap.face_count}, "photo": photo_url(snap), "kind": "snapshot"})
    return sorted(entries, key=lambda e: e["at"])
