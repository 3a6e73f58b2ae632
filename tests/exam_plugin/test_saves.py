"""Autosave: idempotent upsert, stale sequence numbers ignored, deadline enforced."""

from datetime import timedelta

import pytest

from exam_plugin.models import AttemptItem
from exam_plugin.services import attempts, clock


@pytest.fixture
def attempt(candidate):
    return attempts.start_formal_attempt(candidate)


def _first(attempt, kind):
    return attempt.items.filter(question__kind=kind).order_by("position").first()


def test_save_maps_positions_to_option_keys(attempt):
    item = _first(attempt, "single")
    result = attempts.save_answers(attempt, [{"position": item.position, "seq": 1, "value": [2]}])
    assert result["saved"] == [item.position]
    item.refresh_from_db()
    assert item.response == [item.option_order[2]] and item.seq == 1


def test_replay_is_idempotent_and_stale_is_ignored(attempt):
    item = _first(attempt, "multiple")
    attempts.save_answers(attempt, [{"position": item.position, "seq": 3, "value": [0, 1]}])
    replay = attempts.save_answers(attempt, [{"position": item.position, "seq": 3, "value": [0, 1]}])
    assert replay["stale"] == [item.position] and replay["acked"][str(item.position)] == 3
    stale = attempts.save_answers(attempt, [{"position": item.position, "seq": 2, "value": [3]}])
    assert stale["stale"] == [item.position]
    item.refresh_from_db()
    assert item.response == sorted([item.option_order[0], item.option_order[1]]) and item.seq == 3
    newer = attempts.save_answers(attempt, [{"position": item.position, "seq": 4, "value": [3]}])
    assert newer["saved"] == [item.position]


def test_short_answer_text_and_client_time_kept(attempt):
    item = _first(attempt, "short")
    attempts.save_answers(attempt, [{"position": item.position, "seq": 1, "value": "节能效益分享型",
                                     "client_written_at": "2026-12-19T01:05:00Z"}])
    item.refresh_from_db()
    assert item.response == "节能效益分享型" and item.client_written_at.minute == 5


def test_bad_values_are_reported_per_answer_and_lose_nothing(attempt):
    single, short = _first(attempt, "single"), _first(attempt, "short")
    result = attempts.save_answers(attempt, [
        {"position": single.position, "seq": 1, "value": [0, 1]},  # two options on a single choice
        {"position": short.position, "seq": 1, "value": "ok"},
        {"position": 999, "seq": 1, "value": [0]},
    ])
    assert set(result["errors"]) == {str(single.position), "999"}
    assert result["saved"] == [short.position]
    assert AttemptItem.objects.get(pk=single.pk).response is None


def test_saves_refused_after_the_deadline(attempt):
    item = _first(attempt, "single")
    late = attempt.deadline + timedelta(seconds=clock.SAVE_GRACE_SECONDS + 1)
    with pytest.raises(attempts.AttemptError):
        attempts.save_answers(attempt, [{"position": item.position, "seq": 1, "value": [0]}], now=late)
    assert AttemptItem.objects.get(pk=item.pk).response is None
    attempt.refresh_from_db()
    assert not attempt.is_open  # the refusal handed it in


def test_saves_refused_after_hand_in(attempt):
    attempts.hand_in(attempt, reason="x", forced=True)
    item = _first(attempt, "single")
    with pytest.raises(attempts.AttemptError):
        attempts.save_answers(attempt, [{"position": item.position, "seq": 1, "value": [0]}])
