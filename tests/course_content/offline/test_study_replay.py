"""Offline heartbeats replayed through the ledger: same rules as online, marked offline."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from course_content.models import StudyInterval
from course_content.services import ledger

pytestmark = pytest.mark.django_db


def beats(lesson, device, start, count, seconds=30, first_seq=1):
    return [
        {"lesson": lesson.pk, "device": device, "seq": first_seq + i, "activity": "input",
         "started_at": int((start + timedelta(seconds=seconds * i)).timestamp() * 1000),
         "ended_at": int((start + timedelta(seconds=seconds * (i + 1))).timestamp() * 1000)}
        for i in range(count)
    ]


def replay(client, owner, heartbeats):
    return client.post("/api/study/replay", json.dumps({"owner": owner, "heartbeats": heartbeats}),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def learner_client(energy, make_learner, offline_module):
    learner = make_learner(energy)
    client = Client()
    client.force_login(learner)
    return learner, client, offline_module["lessons"][0]


def test_replayed_heartbeats_are_credited_and_marked_offline(learner_client, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 30
    learner, client, lesson = learner_client
    start = timezone.now() - timedelta(hours=2)
    response = replay(client, learner.pk, beats(lesson, "phone-1", start, 3))
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["accepted"] * 3
    rows = StudyInterval.objects.filter(enrolment__learner=learner)
    assert {row.source for row in rows} == {StudyInterval.Source.OFFLINE}
    assert sum(row.credited_seconds for row in rows) == 90
    assert min(row.started_at for row in rows) == start.replace(microsecond=0)  # the device's own times

    again = replay(client, learner.pk, beats(lesson, "phone-1", start, 3))  # replayed twice: nothing more
    assert {r["code"] for r in again.json()["results"]} <= {"duplicate", "replayed"}
    assert sum(row.credited_seconds for row in rows.all()) == 90


def test_offline_time_already_studied_online_elsewhere_is_not_counted_twice(learner_client, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 30
    learner, client, lesson = learner_client
    start = timezone.now() - timedelta(hours=1)
    for index, beat in enumerate(beats(lesson, "pc", start, 2)):  # studied online on the PC meanwhile
        [outcome] = ledger.record_heartbeats(learner, [beat], source=ledger.ONLINE,
                                               received_at=start + timedelta(seconds=30 * (index + 1)))
        assert outcome.status == "accepted"
    assert set(StudyInterval.objects.values_list("source", flat=True)) == {StudyInterval.Source.ONLINE}
    response = replay(client, learner.pk, beats(lesson, "phone", start, 2))
    assert [r.get("code") for r in response.json()["results"]] == ["overlap", "overlap"]
    assert sum(StudyInterval.objects.filter(enrolment__learner=learner).values_list("credited_seconds", flat=True)) == 60


def test_future_dated_offline_heartbeats_are_refused(learner_client):
    learner, client, lesson = learner_client
    response = replay(client, learner.pk, beats(lesson, "phone", timezone.now() + timedelta(hours=1), 1))
    assert response.json()["results"][0]["code"] == "future"
    assert not StudyInterval.objects.exists()


def test_a_journal_of_another_account_is_refused_and_kept(learner_client, make_learner):
    learner, client, lesson = learner_client
    other = make_learner()
    response = replay(client, other.pk, beats(lesson, "phone", timezone.now() - timedelta(hours=1), 1))
    assert response.status_code == 409
    assert response.json() == {"detail": "These study records were made by another account on this device."}
    assert not StudyInterval.objects.exists()


def test_login_csrf_and_body_are_checked(learner_client):
    learner, client, lesson = learner_client
    assert replay(Client(), learner.pk, beats(lesson, "x", timezone.now(), 1)).status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert replay(strict, learner.pk, beats(lesson, "x", timezone.now(), 1)).status_code == 403
    bad = client.post("/api/study/replay", "nope", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code in (400, 422) and bad.json()["detail"]
    empty = replay(client, learner.pk, [])
    assert empty.status_code == 422 and isinstance(empty.json()["detail"], list)
