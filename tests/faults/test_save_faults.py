"""Saves that arrive twice, out of order, or with a wrong client clock (in-process, real DB)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from exam_plugin.models import Attempt, AttemptItem
from exam_plugin.services import attempts
from tests.exam_plugin.conftest import api_url


@pytest.fixture
def attempt(without_proctoring, candidate):
    return attempts.start_formal_attempt(candidate)


def _post(client, program, attempt, answers):
    return client.post(api_url(program, f"attempts/{attempt.pk}/answers"),
                       data=json.dumps({"answers": answers}), content_type="application/json")


def _single(attempt):
    return attempt.items.filter(question__kind="single").order_by("position").first()


def test_duplicate_and_reordered_saves_keep_the_newest(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    item = _single(attempt)
    sends = [(1, 0), (3, 2), (2, 1), (3, 2), (1, 0)]  # seq 3 is newest; 2 and 1 arrive late, 3 twice
    results = [_post(client, energy, attempt, [{"position": item.position, "seq": s, "value": [v]}]).json()
               for s, v in sends]
    assert [bool(r["saved"]) for r in results] == [True, True, False, False, False]
    assert all(r["acked"][str(item.position)] == (1 if i == 0 else 3) for i, r in enumerate(results))
    item.refresh_from_db()
    assert item.seq == 3 and item.response == [item.option_order[2]]


def test_one_batch_with_a_position_twice_keeps_the_higher_seq(client, energy, attempt):
    client.force_login(attempt.enrolment.learner)
    item = _single(attempt)
    batch = [{"position": item.position, "seq": 5, "value": [3]}, {"position": item.position, "seq": 4, "value": [1]}]
    assert _post(client, energy, attempt, batch).status_code == 200
    item.refresh_from_db()
    assert item.seq == 5 and item.response == [item.option_order[3]]


@pytest.mark.parametrize("skew_minutes", [-10, 10])
def test_client_clock_skew_changes_nothing_about_deadlines(client, energy, attempt, skew_minutes):
    client.force_login(attempt.enrolment.learner)
    item = _single(attempt)
    deadline_before = Attempt.objects.get(pk=attempt.pk).deadline
    skewed = (timezone.now() + timedelta(minutes=skew_minutes)).isoformat()
    response = _post(client, energy, attempt,
                     [{"position": item.position, "seq": 1, "value": [0], "client_written_at": skewed}])
    assert response.status_code == 200 and response.json()["saved"] == [item.position]
    stored = AttemptItem.objects.get(pk=item.pk)
    assert abs((stored.saved_at - timezone.now()).total_seconds()) < 60, "saved_at is the server's time"
    assert Attempt.objects.get(pk=attempt.pk).deadline == deadline_before
    # after the deadline (+ grace) a save is refused whatever the client claims its clock says
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    late = _post(client, energy, attempt, [{"position": item.position, "seq": 2, "value": [1],
                                            "client_written_at": (timezone.now() - timedelta(minutes=10)).isoformat()}])
    assert late.status_code == 409
    assert AttemptItem.objects.get(pk=item.pk).seq == 1
