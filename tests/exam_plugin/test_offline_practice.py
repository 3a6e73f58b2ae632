"""Offline mock tests: the downloadable practice set and the idempotent result sync."""

import json
import uuid

import pytest

from exam_plugin.models import PracticeResult, Question
from exam_plugin.services import offline_practice
from plugins.urls import program_url

from .conftest import api_url

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
    response = client.get(api_url(energy, "practice/offline/set?count=100"))
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    ids = [q["id"] for q in data["questions"]]
    practice_pool = Question.objects.filter(program=energy, is_current=True, pool=Question.Pool.PRACTICE).exclude(
        status=Question.Status.RETIRED)
    assert len(ids) == min(100, practice_pool.count()) > 40 and formal_only and not set(ids) & formal_only
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
    assert client.get(api_url(energy, "practice/offline/set")).status_code == 404
    body = {"results": [{"client_uuid": str(uuid.uuid4()), "answers": []}]}
    assert client.post(api_url(energy, "practice/offline/results"), body, content_type="application/json").status_code == 404
    assert client.get(program_url(energy, "exam_plugin:offline_practice")).status_code == 404


def test_sync_is_idempotent_and_the_server_scores(eligible, energy, client):
    enrolment = eligible()
    client.force_login(enrolment.learner)
    questions = [q for q in offline_practice.practice_set(enrolment, 10)["questions"] if q["kind"] != "short"][:4]
    answers = [{"question_id": q["id"], "value": q["correct_options"]} for q in questions[:3]]
    answers.append({"question_id": questions[3]["id"], "value": [9]})  # wrong
    result = {"client_uuid": str(uuid.uuid4()), "taken_at": "2026-11-20T08:00:00Z", "answers": answers, "score": 99}
    url = api_url(energy, "practice/offline/results")
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


def test_bad_requests_are_refused_with_a_4xx_and_one_bad_result_does_not_block_the_rest(eligible, energy, client):
    enrolment = eligible()
    client.force_login(enrolment.learner)
    url = api_url(energy, "practice/offline/results")
    for body in ({"results": []}, {"results": "x"}, {}, {"results": [{"client_uuid": "a\u0000b", "answers": []}]},
                 {"results": [{"client_uuid": str(uuid.uuid4()), "answers": [{"question_id": 2**63, "value": 1}]}]}):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body
    assert client.get(api_url(energy, "practice/offline/set?count=0")).status_code == 422
    assert client.get(api_url(energy, "practice/offline/set?count=101")).status_code == 422
    good = {"client_uuid": str(uuid.uuid4()), "taken_at": "0001-01-01T00:00:00", "answers": []}
    bad = {"client_uuid": "not-a-uuid", "taken_at": "yesterday", "answers": []}
    outcomes = client.post(url, json.dumps({"results": [bad, good]}), content_type="application/json").json()["results"]
    assert [o["status"] for o in outcomes] == ["refused", "stored"]
    assert PracticeResult.objects.get().taken_at is None  # an implausible device time is dropped, not fatal


def test_csrf_is_required_for_the_sync(eligible, energy):
    from django.test import Client

    enrolment = eligible()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enrolment.learner)
    body = {"results": [{"client_uuid": str(uuid.uuid4()), "answers": []}]}
    response = strict.post(api_url(energy, "practice/offline/results"), body, content_type="application/json")
    assert response.status_code == 403 and not PracticeResult.objects.exists()
