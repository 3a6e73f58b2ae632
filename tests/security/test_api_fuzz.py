"""Property-based fuzzing of the exam API from its own OpenAPI schema (schemathesis),
over real HTTP against the live server, as the logged-in candidate: valid and invalid
requests alike must never produce a server error."""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

pytestmark = pytest.mark.django_db(transaction=True)


def _login(base_url, username, password) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/accounts/login/")
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
    )
    assert response.ok and "sessionid" in session.cookies
    return session


def _candidate_with_attempts(energy, make_learner, grant_hours):
    from datetime import timedelta

    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_formal_attempt, start_mock_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")  # the exam API alone; proctoring has its own tests
    learner = make_learner(energy, password="Fuzz-2026!")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=10)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    formal = start_formal_attempt(admit(sitting, enrolment, check=False))
    mock = start_mock_attempt(enrolment)
    return learner, formal, mock


def test_exam_api_never_answers_with_a_server_error(live_server, site_data, energy, make_learner, grant_hours):
    learner, formal, mock = _candidate_with_attempts(energy, make_learner, grant_hours)
    session = _login(live_server.url, learner.document_number, "Fuzz-2026!")
    csrf = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": live_server.url + "/"}
    raw = session.get(f"{live_server.url}/programs/energy/exam/api/openapi.json").json()
    raw["paths"] = {path.replace("{program}", "energy"): spec for path, spec in raw["paths"].items()}
    # The session cookie authenticates us; left in, schemathesis would fuzz it away.
    raw.get("components", {}).pop("securitySchemes", None)
    for spec in raw["paths"].values():
        for operation_spec in spec.values():
            operation_spec.pop("security", None)
    schema = schemathesis.openapi.from_dict(raw)

    operations = [result.ok() for result in schema.get_all_operations()]
    # Hand-in ends an attempt: fuzz it last so the other operations meet open attempts.
    operations.sort(key=lambda op: "hand-in" in op.path)
    assert len(operations) >= 8
    failures, calls = [], []
    for operation in operations:
        for attempt in (mock, formal):
            path_parameters = {"attempt_id": attempt.pk} if "{attempt_id}" in operation.path else None
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

                @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
                @given(case=strategy)
                def exercise(case):
                    response = case.call(base_url=live_server.url, session=session, headers=csrf)
                    calls.append(response.status_code)
                    if response.status_code >= 500:
                        failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
                    assert response.status_code < 500

                try:
                    exercise()
                except AssertionError:
                    pass  # collected above, reported together below
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE  # nothing to make invalid (no inputs)
    assert not failures, failures
    assert len(calls) > 100 and 200 in calls  # it really exercised the API, also successfully
