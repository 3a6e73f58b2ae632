"""The candidate JSON API: answer keys never leak before release, object permissions,
CSRF, OpenAPI schema, plugin gate."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from exam_plugin.models import Attempt
from exam_plugin.services import attempts, grading
from plugins.urls import program_url

from .conftest import api_url

SECRET_FIELDS = ("correct", "reference_answer", "rubric", "option_order", "answer_key")


def _secrets(attempt):
    """Texts that would reveal the key: reference answers and rubrics."""
    texts = set()
    for item in attempt.items.select_related("question"):
        if item.question.reference_answer:
            texts.add(item.question.reference_answer[:20])
        if item.question.rubric:
            texts.add(item.question.rubric[:20])
    return texts


def _assert_no_key(body: str, attempt):
    for field in SECRET_FIELDS:
        assert f'"{field}"' not in body, field
    for text in _secrets(attempt):
        assert text not in body


@pytest.fixture
def started(without_proctoring, candidate, logged_in):
    attempt = attempts.start_formal_attempt(candidate)
    client = logged_in(candidate.enrolment.learner)
    return attempt, client


def test_no_answer_key_in_any_candidate_response_before_release(started, energy):
    attempt, client = started
    item = attempt.items.filter(question__kind="single").first()
    short = attempt.items.filter(question__kind="short").first()
    responses = [
        client.get(api_url(energy, f"attempts/{attempt.pk}")),
        client.get(api_url(energy, f"attempts/{attempt.pk}/clock")),
        client.post(api_url(energy, f"attempts/{attempt.pk}/answers"), json.dumps({"answers": [
            {"position": item.position, "seq": 1, "value": [0]},
            {"position": short.position, "seq": 1, "value": "x"}]}), content_type="application/json"),
        client.post(api_url(energy, f"attempts/{attempt.pk}/hand-in")),  # refused: too early
        client.get(api_url(energy, f"attempts/{attempt.pk}/result")),
        client.get(program_url(energy, "exam_plugin:attempt", attempt_id=attempt.pk)),
        client.get(program_url(energy, "exam_plugin:home")),
    ]
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 409, 200, 200, 200]
    for response in responses:
        _assert_no_key(response.content.decode(), attempt)
    # after hand-in, before release: result page and result API still keyless
    attempts.hand_in(attempt, reason="t", forced=True)
    for url in (api_url(energy, f"attempts/{attempt.pk}/result"),
                program_url(energy, "exam_plugin:result", attempt_id=attempt.pk),
                api_url(energy, f"attempts/{attempt.pk}")):
        response = client.get(url)
        assert response.status_code == 200
        _assert_no_key(response.content.decode(), attempt)
    result = client.get(api_url(energy, f"attempts/{attempt.pk}/result")).json()
    assert result["released"] is False and result["score"] is None and result["review"] is None


def test_review_with_key_after_release(started, energy, django_user_model):
    attempt, client = started
    attempts.hand_in(attempt, reason="t", forced=True)
    grader = django_user_model.objects.create_user(username="g", password="x", real_name="g")
    from exam_plugin.models import AttemptItem

    for entry in grading.grader_queue(energy, grader):
        grading.record_mark(AttemptItem.objects.get(pk=entry["item_id"]), grader, 1)
    grading.release_sitting(attempt.sitting)
    result = client.get(api_url(energy, f"attempts/{attempt.pk}/result")).json()
    assert result["released"] and result["review"] and "correct" in result["review"][0]


def test_paper_payload_shows_positions_not_keys(started, energy):
    attempt, client = started
    paper = client.get(api_url(energy, f"attempts/{attempt.pk}")).json()
    assert len(paper["items"]) == 64
    first = paper["items"][0]
    assert set(first) == {"position", "kind", "stem", "options", "points", "value", "seq"}
    assert all(isinstance(o, str) for o in first["options"])
    assert paper["deadline"] and paper["server_now"]


def test_save_endpoint_is_idempotent_over_http(started, energy):
    attempt, client = started
    item = attempt.items.filter(question__kind="multiple").first()
    body = json.dumps({"answers": [{"position": item.position, "seq": 5, "value": [1, 0],
                                    "client_written_at": "2026-12-19T01:02:03Z"}]})
    url = api_url(energy, f"attempts/{attempt.pk}/answers")
    first = client.post(url, body, content_type="application/json").json()
    second = client.post(url, body, content_type="application/json").json()
    assert first["saved"] == [item.position] and second["stale"] == [item.position]
    assert second["acked"][str(item.position)] == 5
    bad = client.post(url, json.dumps({"answers": [{"position": "x"}]}), content_type="application/json")
    assert bad.status_code == 422  # schema-validated


def test_save_after_deadline_is_refused_with_a_message(started, energy):
    attempt, client = started
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at - timedelta(minutes=5))
    item = attempt.items.first()
    response = client.post(api_url(energy, f"attempts/{attempt.pk}/answers"),
                           json.dumps({"answers": [{"position": item.position, "seq": 1, "value": [0]}]}),
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["detail"]


def test_another_learner_never_reaches_the_attempt(started, energy, eligible):
    attempt, _client = started
    other = Client()
    other.force_login(eligible().learner)
    for url in (api_url(energy, f"attempts/{attempt.pk}"), api_url(energy, f"attempts/{attempt.pk}/result"),
                program_url(energy, "exam_plugin:attempt", attempt_id=attempt.pk),
                program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)):
        assert other.get(url).status_code == 404
    assert other.post(api_url(energy, f"attempts/{attempt.pk}/hand-in")).status_code == 404


def test_api_needs_login_and_csrf(started, energy):
    attempt, _client = started
    anonymous = Client()
    assert anonymous.get(api_url(energy, f"attempts/{attempt.pk}")).status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(attempt.enrolment.learner)
    response = strict.post(api_url(energy, f"attempts/{attempt.pk}/answers"), json.dumps({"answers": []}),
                           content_type="application/json")
    assert response.status_code == 403


def test_openapi_schema_is_served(started, energy):
    _attempt, client = started
    schema = client.get(api_url(energy, "openapi.json")).json()
    assert any(path.endswith("attempts/{attempt_id}/answers") for path in schema["paths"])
    assert "AnswersIn" in schema["components"]["schemas"]


def test_disabled_plugin_answers_404(started, energy):
    from plugins.services import disable

    attempt, client = started
    disable(energy, "proctor_plugin")
    disable(energy, "exam_plugin")
    assert client.get(api_url(energy, f"attempts/{attempt.pk}")).status_code == 404
    assert client.get(program_url(energy, "exam_plugin:home")).status_code == 404


def test_practice_excludes_formal_only_and_gives_feedback(eligible, energy, logged_in):
    from exam_plugin.models import Question

    enrolment = eligible()
    client = logged_in(enrolment.learner)
    Question.objects.filter(program=energy, knowledge_point__code="M1.2").update(pool="formal")
    points = client.get(api_url(energy, "practice/points")).json()
    assert {p["code"] for p in points} >= {"M1", "M2"}
    questions = client.get(api_url(energy, "practice/questions?point=M1&count=50")).json()
    assert questions and all(
        Question.objects.get(pk=q["id"]).knowledge_point.code != "M1.2" for q in questions
    )
    assert all("correct" not in q for q in questions)
    q = next(q for q in questions if q["kind"] == "single")
    question = Question.objects.get(pk=q["id"])
    right = [o["key"] for o in question.options].index(question.correct[0])
    feedback = client.post(api_url(energy, "practice/check"), json.dumps({"question_id": q["id"], "value": [right]}),
                           content_type="application/json").json()
    assert feedback["correct"] is True and feedback["correct_options"] == [right]
    formal_only = Question.objects.filter(program=energy, pool="formal").first()
    response = client.post(api_url(energy, "practice/check"), json.dumps({"question_id": formal_only.pk, "value": [0]}),
                           content_type="application/json")
    assert response.status_code == 404
