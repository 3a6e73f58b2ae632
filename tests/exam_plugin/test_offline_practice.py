"""Offline mock tests: the downloadable practice set and the idempotent result sync."""

import json
import uuid

import pytest

from exam_plugin import offline_practice
from exam_plugin.models import PracticeResult, Question
from plugins.urls import program_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def formal_only(energy):
    """Every question of knowledge point M1.2 moved to the formal-only pool."""
    Question.objects.filter(program=energy, knowledge_point__code="M1.2").update(pool=Question.Pool.FORMAL)
    return set(Question.objects.filter(program=energy, pool=Question.Pool.FORMAL).values_list("pk", flat=True))


def _key_positions(question):
    keys = [o["key"] for o in question.options]
    return sorted(keys.index(k) for k in question.correct)


def test_the_set_holds_practice_questions_only_with_practice_keys(eligible, energy, formal_only, client):
    enrolment = eligible()
    client.force_login(enrolment.learner)
    data = client.get(program_url(energy, "exam_plugin:offline_practice_set") + "?count=100").json()
    ids = [q["id"] for q in data["questions"]]
    assert len(ids) == 100 and formal_only and not set(ids) & formal_only
    for q in data["questions"]:
        question = Question.objects.get(pk=q["id"])
        assert question.allowed_in(formal=False) and question.is_current
        assert q["correct_options"] == _key_positions(question)
    bank = offline_practice.practice_bank(energy)
    assert bank and not {q["id"] for q in bank} & formal_only


def test_set_and_sync_need_an_enrolment(energy, make_learner, client):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user(username="outsider", password="x-Pass-2026")
    client.force_login(outsider)
    assert client.get(program_url(energy, "exam_plugin:offline_practice_set")).status_code == 404
    assert client.get(program_url(energy, "exam_plugin:offline_practice")).status_code == 404


def test_sync_is_idempotent_and_the_server_scores(eligible, energy, client):
    enrolment = eligible()
    client.force_login(enrolment.learner)
    questions = [q for q in offline_practice.practice_set(enrolment, 10)["questions"] if q["kind"] != "short"][:4]
    answers = [{"question_id": q["id"], "value": q["correct_options"]} for q in questions[:3]]
    answers.append({"question_id": questions[3]["id"], "value": [9]})  # wrong
    result = {"client_uuid": str(uuid.uuid4()), "taken_at": "2026-11-20T08:00:00Z", "answers": answers, "score": 99}
    url = program_url(energy, "exam_plugin:offline_practice_results")
    first = client.post(url, json.dumps({"results": [result]}), content_type="application/json").json()
    assert first["results"][0]["status"] == "stored"
    assert (first["results"][0]["score"], first["results"][0]["max_score"]) == (3, 4)
    again = client.post(url, json.dumps({"results": [result, result]}), content_type="application/json").json()
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    stored = PracticeResult.objects.get()
    assert (stored.score, stored.max_score, stored.enrolment_id) == (3, 4, enrolment.pk)
    assert stored.taken_at.isoformat().startswith("2026-11-20T08:00")


def test_formal_only_answers_are_not_scored_and_foreign_ids_are_refused(eligible, energy, formal_only):
    mine, theirs = eligible(), eligible()
    formal = Question.objects.get(pk=next(iter(formal_only)))
    result = {"client_uuid": str(uuid.uuid4()),
              "answers": [{"question_id": formal.pk, "value": _key_positions(formal)}]}
    [outcome] = offline_practice.record_practice_results(mine, [result])
    assert outcome["status"] == "stored" and outcome["max_score"] == 0
    assert PracticeResult.objects.get().answers == []
    [foreign] = offline_practice.record_practice_results(theirs, [result])
    assert foreign["status"] == "refused"
    [bad] = offline_practice.record_practice_results(mine, [{"client_uuid": "nope", "answers": []}])
    assert bad["status"] == "refused" and bad["detail"]
    assert PracticeResult.objects.count() == 1
