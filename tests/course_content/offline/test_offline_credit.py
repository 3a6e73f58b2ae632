"""A program may refuse study hours recorded offline (``ProgramPage.accept_offline_credit``)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from course_content.models import StudyInterval
from course_content.services import ledger
from tests.course_content.offline.test_study_replay import beats, replay

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing(energy):
    type(energy).objects.filter(pk=energy.pk).update(accept_offline_credit=False)
    energy.refresh_from_db()
    return energy


def test_offline_and_pack_study_is_refused_online_still_counts(refusing, make_learner, offline_module, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 30
    learner = make_learner(refusing)
    lesson = offline_module["lessons"][0]
    start = timezone.now() - timedelta(hours=1)
    for source in (ledger.OFFLINE, ledger.PACK):
        outcomes = ledger.record_heartbeats(learner, beats(lesson, f"dev-{source}", start, 2), source=source)
        assert [o.code for o in outcomes] == ["offline_refused"] * 2
        assert outcomes[0].message
    assert not StudyInterval.objects.filter(enrolment__learner=learner).exists()
    [online] = ledger.record_heartbeats(learner, beats(lesson, "pc", timezone.now() - timedelta(seconds=30), 1),
                                          source=ledger.ONLINE)
    assert online.status == "accepted" and online.credited_seconds > 0


def test_the_replay_endpoint_reports_the_refusal_translated(refusing, make_learner, offline_module, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 30
    learner = make_learner(refusing)
    client = Client()
    client.force_login(learner)
    response = replay(client, learner.pk, beats(offline_module["lessons"][0], "phone", timezone.now() - timedelta(hours=1), 1))
    [result] = response.json()["results"]
    assert result["status"] == "rejected" and result["code"] == "offline_refused" and "offline" in result["error"]


def test_accepting_programs_credit_offline_and_pack_study(energy, make_learner, offline_module, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 30
    assert energy.accept_offline_credit
    learner = make_learner(energy)
    lesson = offline_module["lessons"][0]
    outcomes = ledger.record_heartbeats(learner, beats(lesson, "laptop", timezone.now() - timedelta(hours=3), 2),
                                          source=ledger.PACK)
    assert [o.status for o in outcomes] == ["accepted", "accepted"]
    rows = StudyInterval.objects.filter(enrolment__learner=learner)
    assert {r.source for r in rows} == {StudyInterval.Source.PACK} and sum(r.credited_seconds for r in rows) == 60
    assert json.dumps([o.as_dict() for o in outcomes])
