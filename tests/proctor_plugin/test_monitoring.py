"""During the exam, on the database: leaves, deadlines, snapshots, warnings, breaks,
reconnects and the second camera, for both programs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proctor_plugin.models import BreakRequest, Incident, LeaveEvent, ProctoredSitting, Snapshot
from proctor_plugin.services import monitoring

pytestmark = pytest.mark.django_db


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


def _leave_and_return(ps, away_seconds):
    start = timezone.now()
    monitoring.leave_started(ps, "fullscreen", now=start)
    monitoring.leave_ended(ps, now=start + timedelta(seconds=away_seconds))


def test_energy_tenth_leave_forces_hand_in(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    for _ in range(9):
        _leave_and_return(ps, 3)
    assert ps.attempt.is_open
    assert monitoring.counted_leaves(ps) == 9
    _leave_and_return(ps, 3)
    attempt = ps.attempt
    assert not attempt.is_open and attempt.forced
    assert "Cheating suspected" in attempt.hand_in_reason
    assert ps.leaves.last().outcome == LeaveEvent.Outcome.FORCED_LIMIT
    assert ps.incidents.filter(kind=Incident.Kind.FORCED_HAND_IN).exists()


def test_dual_carbon_third_leave_forces_hand_in(asset, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(asset))
    _leave_and_return(ps, 15)
    _leave_and_return(ps, 15)
    assert ps.attempt.is_open
    _leave_and_return(ps, 15)
    assert ps.attempt.forced


@pytest.mark.parametrize(("program", "seconds"), [("energy", 10), ("asset", 20)])
def test_not_back_in_time_forces_hand_in(request, exam_room, complete_preflight, program, seconds):
    ps = complete_preflight(exam_room(request.getfixturevalue(program)))
    start = timezone.now()
    monitoring.leave_started(ps, "visibility", now=start)
    monitoring.enforce(ps, now=start + timedelta(seconds=seconds))
    assert ps.attempt.is_open
    monitoring.enforce(ps, now=start + timedelta(seconds=seconds + 1))
    assert ps.attempt.forced
    assert ps.leaves.get().outcome == LeaveEvent.Outcome.FORCED_TIMEOUT


def test_second_signal_joins_the_open_leave(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    first = monitoring.leave_started(ps, "fullscreen")
    assert monitoring.leave_started(ps, "focus") == first
    assert ps.leaves.count() == 1


def test_break_approved_returned_in_time_and_overdue(asset, exam_room, complete_preflight):
    from django.contrib.auth import get_user_model

    proctor = get_user_model().objects.create_user(username="p1", password="x")
    ps = complete_preflight(exam_room(asset))
    req = monitoring.request_break(ps)
    monitoring.approve_break(req, by=proctor)
    # leaving during an approved break is excused
    monitoring.leave_started(ps, "visibility")
    assert ps.leaves.get().outcome == LeaveEvent.Outcome.EXCUSED
    monitoring.return_from_break(ps, now=later(299))
    req.refresh_from_db()
    assert req.status == BreakRequest.Status.RETURNED and ps.attempt.is_open

    second = monitoring.request_break(ps)
    monitoring.approve_break(second, by=proctor, now=timezone.now())
    monitoring.enforce(ps, now=later(301))
    second.refresh_from_db()
    assert second.status == BreakRequest.Status.OVERDUE
    assert ps.attempt.forced


def test_energy_has_no_breaks(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    with pytest.raises(monitoring.MonitoringError):
        monitoring.request_break(ps)


def test_reconnect_within_window(asset, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(asset))
    t0 = timezone.now()
    monitoring.heartbeat(ps, now=t0)
    monitoring.heartbeat(ps, now=t0 + timedelta(minutes=4))
    monitoring.enforce(ps, now=t0 + timedelta(minutes=5))  # 60 s silent: lost
    assert ps.incidents.filter(kind=Incident.Kind.CONNECTION_LOST).exists()
    monitoring.heartbeat(ps, now=t0 + timedelta(minutes=8, seconds=30))  # 4.5 min after the last
    assert ps.attempt.is_open
    ps.refresh_from_db()
    assert ps.connection_lost_at is None


def test_reconnect_overdue_forces_hand_in(asset, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(asset))
    t0 = timezone.now()
    monitoring.heartbeat(ps, now=t0)
    monitoring.heartbeat(ps, now=t0 + timedelta(minutes=5, seconds=30))
    assert ps.attempt.forced


def test_energy_reconnect_has_no_deadline(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    t0 = timezone.now()
    monitoring.heartbeat(ps, now=t0)
    monitoring.heartbeat(ps, now=t0 + timedelta(minutes=40))
    assert ps.attempt.is_open


def test_snapshots_raise_incidents(energy, exam_room, complete_preflight, astronaut, hopper, blank, side_by_side):
    ps = complete_preflight(exam_room(energy))
    clean = monitoring.record_snapshot(ps, "webcam", astronaut)
    assert clean.face_count == 1 and clean.similarity > 0.9
    assert not ps.incidents.exists()
    monitoring.record_snapshot(ps, "webcam", hopper)
    monitoring.record_snapshot(ps, "webcam", side_by_side)
    monitoring.record_snapshot(ps, "webcam", blank)
    kinds = list(ps.incidents.values_list("kind", flat=True))
    # the pair's larger face is Hopper's, so it is also an identity incident
    assert kinds == [Incident.Kind.IDENTITY, Incident.Kind.MULTIPLE_PERSONS, Incident.Kind.IDENTITY, Incident.Kind.ABSENT]
    assert ps.incidents.filter(kind=Incident.Kind.IDENTITY).first().snapshot.face_count == 1
    assert ps.warnings.count() == 1  # absent: an automatic warning


def test_three_warnings_disqualify_dual_carbon(asset, exam_room, complete_preflight):
    from django.contrib.auth import get_user_model

    proctor = get_user_model().objects.create_user(username="p2", password="x")
    ps = complete_preflight(exam_room(asset))
    monitoring.warn(ps, "Remove the headphones", by=proctor)
    monitoring.warn(ps, "Face the camera", by=proctor)
    assert ps.attempt.is_open
    monitoring.warn(ps, "Third", by=proctor)
    attempt = ps.attempt
    assert attempt.invalidated and attempt.forced
    ps.refresh_from_db()
    assert ps.decision == ProctoredSitting.Decision.INVALID
    assert [w["message"] for w in monitoring.candidate_state(ps)["warnings"]][:1] == ["Remove the headphones"]


def test_warnings_never_disqualify_energy(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    for n in range(5):
        monitoring.warn(ps, f"warning {n}", by=None)
    assert ps.attempt.is_open and not ps.attempt.invalidated


def test_second_camera_pairing_and_loss(asset, exam_room, complete_preflight, astronaut):
    from proctor_plugin.services import preflight
    from proctor_plugin.services.second_camera import PairingRefused, pair, paired_token

    ps = complete_preflight(exam_room(asset))
    expired = preflight.issue_camera_token(ps, now=timezone.now() - timedelta(hours=1))
    with pytest.raises(PairingRefused):
        pair(expired.token)
    token = preflight.issue_camera_token(ps)
    row, key = pair(token.token)
    with pytest.raises(PairingRefused):
        pair(token.token)  # single use
    assert paired_token(token.token, key) == row
    assert paired_token(token.token, "guess") is None
    monitoring.record_snapshot(ps, Snapshot.Source.PHONE, astronaut)
    ps.refresh_from_db()
    monitoring.enforce(ps, now=ps.phone_last_seen_at + timedelta(seconds=89))
    assert not ps.incidents.filter(kind=Incident.Kind.SECOND_CAMERA_LOST).exists()
    monitoring.enforce(ps, now=ps.phone_last_seen_at + timedelta(seconds=91))
    assert ps.incidents.filter(kind=Incident.Kind.SECOND_CAMERA_LOST).count() == 1


def test_enforce_command_ends_an_abandoned_leave(energy, exam_room, complete_preflight):
    from django.core.management import call_command

    ps = complete_preflight(exam_room(energy))
    monitoring.leave_started(ps, "visibility", now=timezone.now() - timedelta(seconds=30))
    call_command("proctor_enforce", stdout=open("/dev/null", "w"))
    assert ps.attempt.forced
