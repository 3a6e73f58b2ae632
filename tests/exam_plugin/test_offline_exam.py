"""Replaying a device's answer journal after an offline spell (exam_plugin.services.offline)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from exam_plugin.models import Attempt, AttemptItem, OfflineSpell
from exam_plugin.services import attempts, offline
from plugins.services import disable, enable, update_settings
from plugins.urls import program_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(candidate):
    return attempts.start_formal_attempt(candidate)


def _singles(attempt, n):
    return list(attempt.items.filter(question__kind="single").order_by("position")[:n])


def _answer(item, seq, option, written):
    return {"position": item.position, "seq": seq, "value": [option], "client_written_at": written.isoformat()}


def _late(attempt, minutes_ago):
    """Move the attempt's deadline ``minutes_ago`` into the past."""
    deadline = timezone.now() - timedelta(minutes=minutes_ago)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline, started_at=deadline - timedelta(hours=2))
    attempt.refresh_from_db()


def test_replay_records_the_spell_from_the_last_contact_and_is_idempotent(attempt):
    first, second = _singles(attempt, 2)
    attempts.save_answers(attempt, [_answer(first, 1, 0, timezone.now())])
    contact = AttemptItem.objects.get(pk=first.pk).saved_at
    batch = [_answer(second, 1, 1, timezone.now())]
    result = offline.replay_answers(attempt, batch)
    assert result["saved"] == [second.position] and result["late"] == 0
    spell = OfflineSpell.objects.get(attempt=attempt)
    assert spell.started_at == contact and spell.ended_at >= contact and spell.answers_replayed == 1

    again = offline.replay_answers(attempt, batch)  # the same journal replayed twice
    assert again["stale"] == [second.position] and again["acked"][str(second.position)] == 1
    item = AttemptItem.objects.get(pk=second.pk)
    assert item.response == [item.option_order[1]] and item.seq == 1


def test_answers_written_before_the_deadline_are_accepted_within_the_reconnect_window(attempt):
    items = _singles(attempt, 3)
    before = timezone.now() - timedelta(minutes=3)
    _late(attempt, minutes_ago=2)  # the deadline passed while the device was offline
    attempts.auto_hand_in_due()  # the clock hands the paper in meanwhile
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.IN_PROGRESS
    result = offline.replay_answers(attempt, [
        _answer(items[0], 1, 0, before),
        _answer(items[1], 1, 1, before),
        _answer(items[2], 1, 2, timezone.now()),  # written after the deadline
    ])
    assert sorted(result["saved"]) == [items[0].position, items[1].position] and result["late"] == 2
    assert str(items[2].position) in result["errors"]
    assert AttemptItem.objects.get(pk=items[2].pk).response is None
    stored = AttemptItem.objects.get(pk=items[0].pk)
    assert stored.response == [stored.option_order[0]] and stored.auto_score is not None  # scored again
    assert OfflineSpell.objects.get(attempt=attempt).late_answers_accepted == 2


def test_a_replay_after_the_reconnect_window_is_refused(attempt, energy):
    update_settings(energy, "exam_plugin", offline_reconnect_minutes=5)
    item = _singles(attempt, 1)[0]
    _late(attempt, minutes_ago=6)
    with pytest.raises(attempts.AttemptError):
        offline.replay_answers(attempt, [_answer(item, 1, 0, timezone.now() - timedelta(minutes=7))])
    assert AttemptItem.objects.get(pk=item.pk).response is None
    assert Attempt.objects.get(pk=attempt.pk).status != Attempt.Status.IN_PROGRESS


def test_a_forced_hand_in_takes_no_late_answers(attempt):
    item = _singles(attempt, 1)[0]
    attempts.hand_in(attempt, reason="cheating suspected", forced=True)
    with pytest.raises(attempts.AttemptError):
        offline.replay_answers(attempt, [_answer(item, 1, 0, timezone.now() - timedelta(minutes=1))])
    assert AttemptItem.objects.get(pk=item.pk).response is None


def test_reconnect_window_follows_the_proctor_setting_when_proctoring_is_on(energy):
    update_settings(energy, "exam_plugin", offline_reconnect_minutes=15)
    enable(energy, "proctor_plugin")
    update_settings(energy, "proctor_plugin", reconnect_minutes=4)
    assert offline.reconnect_window(energy) == timedelta(minutes=4)
    update_settings(energy, "proctor_plugin", reconnect_minutes=0)  # 0 = not set: the exam setting
    assert offline.reconnect_window(energy) == timedelta(minutes=15)
    update_settings(energy, "proctor_plugin", reconnect_minutes=4)
    disable(energy, "proctor_plugin")
    assert offline.reconnect_window(energy) == timedelta(minutes=15)


def test_replay_endpoint_checks_owner_and_input(attempt, energy, make_learner, client):
    url = program_url(energy, "exam_plugin:home") + f"api/attempts/{attempt.pk}/offline-replay"
    item = _singles(attempt, 1)[0]
    body = json.dumps({"answers": [_answer(item, 1, 0, timezone.now())]})
    client.force_login(make_learner(energy))
    assert client.post(url, body, content_type="application/json").status_code == 404  # not theirs
    client.force_login(attempt.enrolment.learner)
    for bad in ('{"answers": 3}', json.dumps({"answers": [], "events": [{"id": "x", "type": "jump", "at": "2026-01-01T00:00:00Z"}]}),
                json.dumps({"answers": [], "sent_at": "1900-01-01T00:00:00Z"}),
                json.dumps({"answers": [], "events": [{"id": "x", "type": "leave", "at": "2026-01-01T00:00:00Z"}] * 201})):
        refused = client.post(url, bad, content_type="application/json")
        assert refused.status_code == 422 and refused.json()["detail"]
    ok = client.post(url, body, content_type="application/json")
    data = ok.json()
    assert ok.status_code == 200 and data["acked"] == {str(item.position): 1} and data["spell"]
    assert data["status"] == "in_progress" and data["hand_in_reason"] == ""
    attempts.hand_in(attempt, reason="x", forced=True)
    closed = client.post(url, body, content_type="application/json")
    assert closed.status_code == 409 and closed.json()["detail"]


def test_the_spell_starts_at_the_last_contact_of_any_kind(attempt, energy, client):
    """A clock poll after the last save is a contact: the spell starts there."""
    item = _singles(attempt, 1)[0]
    attempts.save_answers(attempt, [_answer(item, 1, 0, timezone.now())])
    saved_at = AttemptItem.objects.get(pk=item.pk).saved_at
    client.force_login(attempt.enrolment.learner)
    api = program_url(energy, "exam_plugin:home") + f"api/attempts/{attempt.pk}/"
    Attempt.objects.filter(pk=attempt.pk).update(last_contact_at=None)
    assert client.get(api + "clock").status_code == 200
    polled = Attempt.objects.get(pk=attempt.pk).last_contact_at
    assert polled is not None and polled >= saved_at
    offline.replay_answers(attempt, [])
    assert OfflineSpell.objects.get(attempt=attempt).started_at == polled


def test_replayed_event_times_are_corrected_and_bounded_to_the_spell():
    now = timezone.now()
    since = now - timedelta(minutes=2)
    device_now = now + timedelta(hours=1)  # the device's clock runs an hour fast
    events = [
        {"id": "a", "type": "leave", "at": (device_now - timedelta(minutes=1)).isoformat()},
        {"id": "b", "type": "back", "at": (device_now - timedelta(minutes=3)).isoformat()},  # before its leave
        {"id": "c", "type": "leave", "at": "2001-01-01T00:00:00Z"},  # long before the last contact
        {"id": "d", "type": "back", "at": (device_now + timedelta(days=3)).isoformat()},  # in the future
    ]
    bounded = offline.bound_events(events, since=since, now=now, sent_at=device_now)
    assert [e["at"] for e in bounded] == [now - timedelta(minutes=1)] * 3 + [now]
    assert all(since <= e["at"] <= now for e in bounded)


def test_the_exam_office_sees_the_spell_on_the_sitting_page(attempt, client, django_user_model):
    from django.urls import reverse

    item = _singles(attempt, 1)[0]
    offline.replay_answers(attempt, [_answer(item, 1, 0, timezone.now())])
    admin = django_user_model.objects.create_superuser(username="office", password="Office-2026!")
    client.force_login(admin)
    page = client.get(reverse("exam_plugin_admin:sitting", kwargs={"pk": attempt.sitting_id}))
    assert page.status_code == 200
    body = page.content.decode()
    table = body[body.index('id="exam-offline-spells"'):]
    assert attempt.candidate.admission_number in table.split("</table>")[0]
