"""Named regressions for the server errors of issue 17: each request below once answered
500 with a traceback; now it is a clear 4xx and nothing is stored.

Endpoints are addressed by URL name. The two push regressions (a malformed IPv6 push endpoint,
10**20 work-years in the registration form) live beside their features:
``tests/pwa/test_push_endpoints.py::test_bad_endpoint_is_refused_at_subscribe_and_the_worker_never_connects[malformed-ipv6]``
and ``tests/registration/test_forms.py::test_rejected_values_are_not_stored_and_valid_ones_are[work-years-10^20]``.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from course_content.models import LessonPage, StudyInterval

pytestmark = pytest.mark.django_db
BIG = 2**63
DEEP = "[" * 50_000


@pytest.fixture
def world(energy, make_learner):
    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_formal_attempt, start_mock_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    learner = make_learner(energy)
    enrolment = learner.enrolments.get()
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    formal = start_formal_attempt(admit(sitting, enrolment, check=False))
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(learner)
    lesson = LessonPage.objects.descendant_of(energy).first()
    return {"client": client, "energy": energy, "attempt": start_mock_attempt(enrolment), "formal": formal,
            "lesson": lesson, "enrolment": enrolment}


def _program(w):
    return {"program_path": w["energy"].program_path}


def _attempt(w):
    return {**_program(w), "attempt_id": w["attempt"].pk}


# The endpoints that crashed on deep nesting (formerly hand-written JSON views).
FORMER_HAND_WRITTEN = {
    "offline_replay": ("exam_plugin:exam_api:offline_replay", _attempt),
    "study_heartbeat": ("site_api:study_heartbeats", lambda w: {}),
    "study_replay": ("site_api:study_replay", lambda w: {}),
    "push_subscribe": ("site_api:push_subscribe", lambda w: {}),
    "push_unsubscribe": ("site_api:push_unsubscribe", lambda w: {}),
    "offline_practice_results": ("exam_plugin:exam_api:offline_practice_results", _program),
}


@pytest.mark.parametrize("endpoint", sorted(FORMER_HAND_WRITTEN))
def test_deeply_nested_json_is_a_400_before_parsing(world, endpoint):
    name, kwargs = FORMER_HAND_WRITTEN[endpoint]
    response = world["client"].post(reverse(name, kwargs=kwargs(world)), DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is nested too deeply (at most 20 levels)."}


def _beat(w, **fields):
    end = timezone.now() - timedelta(minutes=1)
    beat = {"lesson": w["lesson"].pk, "device": "regression", "seq": 1,
            "started_at": int((end - timedelta(seconds=20)).timestamp() * 1000), "ended_at": int(end.timestamp() * 1000)}
    return {**beat, **fields}


def _post_json(w, url, body):
    return w["client"].post(url, json.dumps(body), content_type="application/json")


def _assert_422_and_nothing_stored(w, response):
    assert response.status_code == 422, response.content
    assert isinstance(response.json()["detail"], list)
    assert not StudyInterval.objects.filter(enrolment=w["enrolment"]).exists()


@pytest.mark.parametrize("field", ["lesson", "seq"])
@pytest.mark.parametrize("value", [BIG, BIG * 2**64, -BIG - 1])
def test_study_heartbeat_ids_and_sequence_numbers_beyond_64_bits(world, field, value):
    response = _post_json(world, reverse("site_api:study_heartbeats"), {"heartbeats": [_beat(world, **{field: value})]})
    _assert_422_and_nothing_stored(world, response)


def test_study_replay_sequence_numbers_beyond_64_bits(world):
    body = {"owner": world["enrolment"].learner_id, "heartbeats": [_beat(world, seq=BIG)]}
    _assert_422_and_nothing_stored(world, _post_json(world, reverse("site_api:study_replay"), body))


@pytest.mark.parametrize("moment", ["0000-01-01T00:00:00+00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", 0, -1, 1e300])
def test_study_heartbeat_times_outside_a_sane_range(world, moment):
    response = _post_json(world, reverse("site_api:study_heartbeats"), {"heartbeats": [_beat(world, started_at=moment)]})
    _assert_422_and_nothing_stored(world, response)


def test_exam_answer_positions_and_sequence_numbers_beyond_64_bits(world):
    url = reverse("exam_plugin:exam_api:save_answers", kwargs=_attempt(world))
    for answer in ({"position": BIG, "seq": 1, "value": [0]}, {"position": 0, "seq": BIG, "value": [0]},
                   {"position": 0, "seq": 1, "value": [BIG]}):
        response = _post_json(world, url, {"answers": [answer]})
        assert response.status_code == 422, answer
    assert not world["attempt"].items.filter(seq__gt=0).exists()


def test_exam_answer_written_in_year_0(world):
    url = reverse("exam_plugin:exam_api:save_answers", kwargs=_attempt(world))
    answer = {"position": 0, "seq": 1, "value": [0], "client_written_at": "0000-01-01T00:00:00Z"}
    assert _post_json(world, url, {"answers": [answer]}).status_code == 422


def test_practice_question_ids_beyond_64_bits(world):
    url = reverse("exam_plugin:exam_api:practice_check", kwargs=_program(world))
    assert _post_json(world, url, {"question_id": BIG, "value": [0]}).status_code == 422


@pytest.mark.parametrize("name", ["get_paper", "get_clock", "get_result"])
def test_attempt_ids_beyond_64_bits_in_the_path_are_not_found(world, name):
    url = reverse(f"exam_plugin:exam_api:{name}", kwargs=_attempt(world)).replace(str(world["attempt"].pk), str(BIG))
    response = world["client"].get(url)
    assert response.status_code in (404, 422) and "detail" in response.json()


def test_offline_practice_question_ids_beyond_64_bits(world):
    url = reverse("exam_plugin:exam_api:offline_practice_results", kwargs=_program(world))
    body = {"results": [{"client_uuid": "r1", "answers": [{"question_id": BIG, "value": [0]}]}]}
    assert _post_json(world, url, body).status_code == 422


@pytest.mark.parametrize("answer", [{"position": BIG, "seq": 1, "value": [0]}, {"position": 0, "seq": BIG, "value": [0]}])
def test_offline_replay_positions_and_sequence_numbers_beyond_64_bits(world, answer):
    url = reverse("exam_plugin:exam_api:offline_replay", kwargs=_attempt(world))
    assert _post_json(world, url, {"answers": [answer]}).status_code == 422
    assert not world["attempt"].items.filter(seq__gt=0).exists()


def test_proctor_warning_ids_beyond_64_bits(energy, make_learner):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_learner(energy))
    url = reverse("proctor_plugin:proctor_api:warnings_seen", kwargs={**{"program_path": energy.program_path}, "sitting_id": 1})
    response = client.post(url, json.dumps({"ids": [BIG]}), content_type="application/json")
    assert response.status_code == 422, response.content
