"""The heartbeat JSON API (auth, CSRF, errors) and the learner dashboard."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from course_content.models import StudyInterval
from course_content.services.ledger import record_heartbeat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_data")]
URL = "/api/study/heartbeats"


def _ms(moment):
    return int(moment.timestamp() * 1000)


def _payload(lesson, seq=1, seconds=20, device="tab-api", end=None):
    end = end or timezone.now()
    return {"lesson": lesson.pk, "device": device, "seq": seq, "started_at": _ms(end - timedelta(seconds=seconds)), "ended_at": _ms(end)}


def test_heartbeat_api_credits_the_logged_in_learner(client, learner, enrolment, lesson_a):
    client.force_login(learner)
    response = client.post(URL, {"heartbeats": [_payload(lesson_a)]}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["results"][0]["status"] == "accepted"
    assert 19 <= data["results"][0]["credited_seconds"] <= 20
    assert data["lessons"][str(lesson_a.pk)] == data["results"][0]["credited_seconds"]
    assert StudyInterval.objects.filter(enrolment=enrolment).exists()


def test_bad_items_are_reported_and_good_ones_kept(client, learner, enrolment, lesson_a):
    client.force_login(learner)
    backwards = _payload(lesson_a, seq=1, seconds=-20)  # ends before it starts
    future = _payload(lesson_a, seq=2, end=timezone.now() + timedelta(hours=1))
    response = client.post(URL, json.dumps({"heartbeats": [backwards, future, _payload(lesson_a, seq=3)]}),
                           content_type="application/json")
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "accepted"]
    assert results[0]["code"] == "malformed" and results[1]["code"] == "future"
    assert all(r["error"] for r in results[:2])


def test_a_batch_with_values_outside_the_schema_is_refused_whole(client, learner, enrolment, lesson_a):
    """Types and column ranges are the schema's (422, nothing stored); ledger rules are per heartbeat."""
    client.force_login(learner)
    for bad in ({"lesson": "x"}, {**_payload(lesson_a), "lesson": 2**63}, {**_payload(lesson_a), "seq": 2**63},
                {**_payload(lesson_a), "started_at": "0000-01-01T00:00:00Z"}, {**_payload(lesson_a), "device": "a\x00b"}):
        response = client.post(URL, json.dumps({"heartbeats": [bad, _payload(lesson_a, seq=9)]}), content_type="application/json")
        assert response.status_code == 422, bad
        assert isinstance(response.json()["detail"], list)
    assert not StudyInterval.objects.filter(enrolment=enrolment).exists()


def test_api_requires_login_json_and_csrf(learner, lesson_a):
    anonymous = Client()
    response = anonymous.post(URL, {"heartbeats": [_payload(lesson_a)]}, content_type="application/json",
                              HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.json() == {"detail": "Please log in."}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    refused = strict.post(URL, {"heartbeats": [_payload(lesson_a)]}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" not in refused.json()["detail"]  # translated, not ninja's text
    relaxed = Client()
    relaxed.force_login(learner)
    bad_json = relaxed.post(URL, "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad_json.status_code == 400 and bad_json.json() == {"detail": "The request body is not valid JSON."}
    assert relaxed.post(URL, "[]", content_type="application/json").status_code == 422
    assert relaxed.post(URL, {"heartbeats": []}, content_type="application/json").status_code == 422
    assert relaxed.get(URL).status_code == 405


def test_a_learner_only_ever_credits_their_own_enrolments(client, energy, make_learner, learner, enrolment, lesson_a):
    other = make_learner(energy, level="junior")
    client.force_login(other)
    client.post(URL, {"heartbeats": [_payload(lesson_a)]}, content_type="application/json")
    assert not StudyInterval.objects.filter(enrolment=enrolment).exists()


def test_dashboard_shows_progress_modules_and_where_to_continue(client, learner, enrolment, lesson_b, beat, t0, grant_hours):
    for seq in range(1, 11):
        end = t0 + timedelta(seconds=30 * seq)
        record_heartbeat(learner, beat(lesson_b, seq, end), received_at=end)
    client.force_login(learner)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-credited-seconds="300"' in html
    assert "0 学时 5 分" in html
    assert "项目节能减排技术基本知识" in html  # per-module breakdown
    assert f'href="{lesson_b.url}"' in html and 'class="button continue next-step"' in html
    assert "hours-not-met" in html
    grant_hours(enrolment, 36)
    html = client.get(reverse("dashboard")).content.decode()
    assert "hours-met" in html


def test_lesson_page_offers_study_only_to_enrolled_learners(client, learner, senior_only_lesson, lesson_a):
    assert "study-config" not in client.get(lesson_a.url).content.decode()
    client.force_login(learner)
    html = client.get(lesson_a.url).content.decode()
    assert 'id="study-config"' in html and '"heartbeatSeconds": 30' in html
    assert "study-config" not in client.get(senior_only_lesson.url).content.decode()
