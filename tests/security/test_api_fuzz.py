"""Property-based fuzzing of every published OpenAPI schema (schemathesis), over real HTTP
against the live server, as a logged-in candidate: valid and invalid requests alike must
never produce a server error, and the server log must hold no traceback.

The APIs are found in the URL conf (``tests.security.url_inventory.mounted_apis``): the
site API, the exam API per program, the proctor API, and any API added later are fuzzed
without editing this file. Path parameters with a known meaning get real ids of the
candidate's objects; the others are generated.
"""

import logging

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.helpers import requests_login
from tests.security.url_inventory import mounted_apis

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = 10  # per operation, object and generation mode: the suite stays within minutes



def _candidate_world(energy, make_learner, grant_hours):
    """A candidate with a formal attempt (in a proctored sitting) and a mock attempt."""
    from datetime import timedelta

    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_formal_attempt, start_mock_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable, update_settings
    from proctor_plugin.services.preflight import for_candidate

    update_settings(energy, "proctor_plugin", face_check_required=False)
    learner = make_learner(energy, password="Fuzz-2026!")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=10)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    candidate = admit(sitting, enrolment, check=False)
    proctored = for_candidate(candidate)
    formal = start_formal_attempt(candidate)
    mock = start_mock_attempt(enrolment)
    # Plugin APIs are fuzzed one by one with only their own plugin (and its needs) switched on,
    # so the exam API meets open attempts rather than proctoring refusals.
    disable(energy, "proctor_plugin")
    known = {"attempt_id": [mock.pk, formal.pk], "sitting_id": [proctored.pk], "lesson_id": []}
    return learner, known


def _schema(session, url, program_path):
    raw = session.get(url).json()
    raw["paths"] = {path.replace("{program}", program_path): spec for path, spec in raw["paths"].items()}
    # The session cookie authenticates us; left in, schemathesis would fuzz it away.
    raw.get("components", {}).pop("securitySchemes", None)
    for spec in raw["paths"].values():
        for operation_spec in spec.values():
            operation_spec.pop("security", None)
    return schemathesis.openapi.from_dict(raw)


def _path_parameter_sets(path, known):
    """Every combination of real ids for the known parameters in ``path`` (None: generate)."""
    sets = [{}]
    for name, values in known.items():
        if "{" + name + "}" in path and values:
            sets = [{**s, name: v} for s in sets for v in values]
    return [s or None for s in sets]


def _fuzz(schema, base_url, session, headers, known, failures, calls):
    operations = [result.ok() for result in schema.get_all_operations()]
    # Operations that end an attempt go last, so the others meet open attempts.
    operations.sort(key=lambda op: "hand-in" in op.path)
    for operation in operations:
        for path_parameters in _path_parameter_sets(operation.path, known):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz_operation(operation, mode, path_parameters, base_url, session, headers, failures, calls)


def _fuzz_operation(operation, mode, path_parameters, base_url, session, headers, failures, calls):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=strategy)
    def exercise(case):
        response = case.call(base_url=base_url, session=session, headers=headers)
        calls.append((operation.path, response.status_code))
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
        assert response.status_code < 500

    try:
        exercise()
    except AssertionError:
        pass  # collected in failures, reported together
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to make invalid (no inputs)


def test_every_published_api_never_answers_with_a_server_error(
    live_server, site_data, energy, make_learner, grant_hours, caplog
):
    from plugins.services import enable

    caplog.set_level(logging.WARNING)
    learner, known = _candidate_world(energy, make_learner, grant_hours)
    session = requests_login(live_server.url, learner.document_number, "Fuzz-2026!")
    headers = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": live_server.url + "/"}
    failures, calls, fuzzed = [], [], []
    for mounted in mounted_apis():
        kwargs = {}
        if mounted.plugin_label:
            enable(energy, mounted.plugin_label)
            kwargs = {"program_path": energy.program_path}
        schema = _schema(session, live_server.url + reverse(mounted.schema_url_name, kwargs=kwargs), energy.program_path)
        _fuzz(schema, live_server.url, session, headers, known, failures, calls)
        fuzzed.append(mounted.schema_url_name)

    assert not failures, failures
    assert {"site_api:openapi-json", "exam_plugin:exam_api:openapi-json"} <= set(fuzzed)
    # It really exercised the APIs, also successfully, every operation of every schema.
    assert len(calls) > 100 and any(status == 200 for _path, status in calls)
    assert any(path.startswith("/api/study/") and status == 200 for path, status in calls)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [f"{r.name}: {r.getMessage()}" for r in tracebacks]
