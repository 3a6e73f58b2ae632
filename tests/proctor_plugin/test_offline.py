"""The exam-room rules across an offline spell, on the database and through the real
signal path: the exam plugin replays a device's journal (answers + journaled leaves),
the proctor plugin judges the leaves as it would have live."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exam_plugin.models import Attempt, AttemptItem, OfflineSpell
from exam_plugin.services import offline as exam_offline
from plugins.services import disable, update_settings
from proctor_plugin.models import Incident, LeaveEvent, ProctorAction
from proctor_plugin.services import monitoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(energy, exam_room, complete_preflight):
    """An energy candidate with an open attempt whose last contact was 2 minutes ago."""
    from exam_plugin.services.attempts import start_formal_attempt

    ps = complete_preflight(exam_room(energy, started=False))
    start_formal_attempt(ps.candidate)
    contact = timezone.now() - timedelta(minutes=2)
    Attempt.objects.filter(pk=ps.attempt.pk).update(last_contact_at=contact, started_at=contact - timedelta(minutes=3))
    return ps, contact


def _leave(id_, seconds_after, contact, type_="leave", kind="fullscreen"):
    return {"id": id_, "type": type_, "kind": kind, "at": (contact + timedelta(seconds=seconds_after)).isoformat()}


def _answer(item, seq, written):
    return {"position": item.position, "seq": seq, "value": [0], "client_written_at": written.isoformat()}


def test_an_offline_leave_past_the_limit_forces_the_hand_in_with_the_reason(room):
    ps, contact = room
    attempt = ps.attempt
    before, after = attempt.items.filter(question__kind="single").order_by("position")[:2]
    events = [_leave("l1", 10, contact), _leave("b1", 40, contact, "back")]  # 30 s away, 10 s allowed
    result = exam_offline.replay_answers(attempt, [
        _answer(before, 1, contact + timedelta(seconds=5)),  # written before the forced moment: kept
        _answer(after, 1, contact + timedelta(seconds=30)),  # written after it: refused
    ], events=events, sent_at=timezone.now())
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.forced
    assert "Cheating suspected" in attempt.hand_in_reason and "recorded offline" in attempt.hand_in_reason
    assert result["hand_in_reason"] == attempt.hand_in_reason
    assert AttemptItem.objects.get(pk=before.pk).response is not None
    assert AttemptItem.objects.get(pk=after.pk).response is None and str(after.position) in result["errors"]
    leave = LeaveEvent.objects.get(sitting=ps)
    assert leave.outcome == LeaveEvent.Outcome.FORCED_TIMEOUT
    assert contact <= leave.left_at < leave.returned_at <= timezone.now()
    assert ps.incidents.filter(kind=Incident.Kind.FORCED_HAND_IN).exists()
    assert OfflineSpell.objects.get(attempt=attempt).started_at == contact


def test_an_offline_leave_within_the_limit_is_counted_and_nothing_is_forced(room):
    ps, contact = room
    events = [_leave("l1", 10, contact, kind="visibility"), _leave("b1", 15, contact, "back")]
    result = exam_offline.replay_answers(ps.attempt, [], events=events, sent_at=timezone.now())
    assert result["hand_in_reason"] == "" and ps.attempt.is_open
    leave = LeaveEvent.objects.get(sitting=ps)
    assert (leave.kind, leave.outcome) == ("visibility", LeaveEvent.Outcome.COUNTED)
    assert monitoring.counted_leaves(ps) == 1
    assert ps.incidents.filter(kind=Incident.Kind.LEAVE).count() == 1
    # the same replay sent again (its answer was lost) changes nothing
    exam_offline.replay_answers(ps.attempt, [], events=events, sent_at=timezone.now())
    assert LeaveEvent.objects.filter(sitting=ps).count() == 1 and ps.attempt.is_open


def test_offline_leaves_count_towards_the_limit_with_the_live_ones(energy, room):
    ps, contact = room
    update_settings(energy, "proctor_plugin", leave_limit=3)
    start = timezone.now() - timedelta(minutes=10)
    for n in range(2):  # two leaves counted live before the spell
        monitoring.leave_started(ps, "focus", now=start + timedelta(seconds=n * 20))
        monitoring.leave_ended(ps, now=start + timedelta(seconds=n * 20 + 2))
    events = [_leave("l1", 10, contact), _leave("b1", 12, contact, "back")]
    exam_offline.replay_answers(ps.attempt, [], events=events, sent_at=timezone.now())
    attempt = ps.attempt
    assert attempt.forced and "left the exam 3 times" in attempt.hand_in_reason
    assert ps.leaves.order_by("left_at").last().outcome == LeaveEvent.Outcome.FORCED_LIMIT


def test_a_leave_open_when_the_connection_dropped_is_closed_by_the_replayed_return(room):
    ps, contact = room
    monitoring.leave_started(ps, "fullscreen", now=contact - timedelta(seconds=1))  # reported live
    exam_offline.replay_answers(ps.attempt, [], events=[_leave("b1", 4, contact, "back")], sent_at=timezone.now())
    leave = LeaveEvent.objects.get(sitting=ps)
    assert leave.outcome == LeaveEvent.Outcome.COUNTED
    assert abs(leave.returned_at - (contact + timedelta(seconds=4))) < timedelta(seconds=1)  # + the send delay


def test_device_times_cannot_shrink_the_spell_or_reach_outside_it(room):
    ps, contact = room
    # the device claims the leave happened a year before the last contact and ended at once
    events = [{"id": "l1", "type": "leave", "kind": "fullscreen", "at": "2025-01-01T00:00:00Z"},
              {"id": "b1", "type": "back", "kind": "fullscreen", "at": "2025-01-01T00:00:01Z"}]
    exam_offline.replay_answers(ps.attempt, [], events=events)
    leave = LeaveEvent.objects.get(sitting=ps)
    assert leave.left_at >= contact and leave.returned_at >= leave.left_at


def test_a_spell_longer_than_the_offline_window_is_flagged_for_the_proctor(energy, room):
    ps, _contact = room
    Attempt.objects.filter(pk=ps.attempt.pk).update(last_contact_at=timezone.now() - timedelta(minutes=6))
    exam_offline.replay_answers(ps.attempt, [], events=[])
    flag = ps.incidents.get(kind=Incident.Kind.CONNECTION_LOST)
    assert "more than the 5 allowed" in flag.detail
    assert ProctorAction.objects.filter(sitting=ps, action="offline_window_exceeded").exists()
    assert ps.attempt.is_open  # flagged, not forced (energy has no reconnect deadline)
    # a short spell is not flagged
    exam_offline.replay_answers(ps.attempt, [], events=[])
    assert ps.incidents.filter(kind=Incident.Kind.CONNECTION_LOST).count() == 1


def test_heartbeats_are_contacts_where_a_spell_starts(room):
    ps, contact = room
    now = timezone.now()
    monitoring.heartbeat(ps, now=now)
    assert Attempt.objects.get(pk=ps.attempt.pk).last_contact_at == now
    assert exam_offline.last_contact(ps.attempt) == now


def test_without_proctoring_replayed_events_change_nothing(energy, room):
    ps, contact = room
    disable(energy, "proctor_plugin")
    events = [_leave("l1", 1, contact), _leave("b1", 100, contact, "back")]
    result = exam_offline.replay_answers(ps.attempt, [], events=events, sent_at=timezone.now())
    assert result["hand_in_reason"] == "" and ps.attempt.is_open and not LeaveEvent.objects.filter(sitting=ps).exists()
