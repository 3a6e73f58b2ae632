"""The proctor plugin's django-ninja API (issue 17): published schema with bounded
inputs, one error shape, session + CSRF auth, and no server error for any input
(schemathesis over the schema, as the candidate and as an unpaired phone)."""

import base64

import pytest
from django.test import Client

from plugins.urls import program_url
from proctor_plugin.api import MAX_IMAGE_BASE64, api
from tests.helpers import requests_login

from .conftest import jpeg_bytes

SCHEMA_URL = "/programs/energy/proctor/api/openapi.json"


def _bounded(schema, components, where, problems):
    """Every string has maxLength (and no NUL unless it is base64), every integer a
    maximum, every array maxItems, recursively."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        _bounded(option, components, where, problems)
    kind = schema.get("type")
    if kind == "string" and "format" not in schema:
        if "maxLength" not in schema or "pattern" not in schema:
            problems.append(f"{where}: unbounded string")
    elif kind == "integer" and ("maximum" not in schema or "minimum" not in schema):
        problems.append(f"{where}: unbounded integer")
    elif kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: unbounded list")
        _bounded(schema.get("items", {}), components, f"{where}[]", problems)
    for name, prop in schema.get("properties", {}).items():
        _bounded(prop, components, f"{where}.{name}", problems)


@pytest.mark.django_db
def test_the_schema_is_published_and_every_input_is_bounded(client, site_data):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    components = schema.get("components", {}).get("schemas", {})
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) == 16 and all(path.startswith("/programs/{program}/proctor/api/") for path, _m, _o in operations)
    problems = []
    for path, method, op in operations:
        for parameter in op.get("parameters", []):
            if parameter["name"] != "program":
                _bounded(parameter["schema"], components, f"{method} {path} {parameter['name']}", problems)
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if body:
            _bounded(body, components, f"{method} {path} body", problems)
        assert op.get("security"), f"{method} {path} has no auth"
    assert not problems, problems
    assert components["ImageIn"]["properties"]["image"]["maxLength"] == MAX_IMAGE_BASE64


@pytest.fixture
def candidate(energy, exam_room, complete_preflight):
    ps = complete_preflight(exam_room(energy))
    client = Client(enforce_csrf_checks=True)
    client.force_login(ps.enrolment.learner)
    client.get(program_url(energy, "proctor_plugin:preflight", sitting_id=ps.pk))  # sets the CSRF cookie
    return ps, client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def _url(ps, name):
    return program_url(ps.program, f"proctor_plugin:proctor_api:{name}", sitting_id=ps.pk)


@pytest.mark.django_db
def test_session_and_csrf_are_required(candidate):
    ps, client, csrf = candidate
    url = _url(ps, "heartbeat")
    refused = client.post(url, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert client.post(url, content_type="application/json", **csrf).status_code == 200
    anonymous = Client().post(url, content_type="application/json")
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"detail"}


@pytest.mark.django_db
def test_errors_have_one_translated_shape(candidate, make_learner, energy):
    ps, client, csrf = candidate
    post = lambda name, body=None, **kw: client.post(  # noqa: E731
        kw.pop("url", None) or _url(ps, name), body or {}, content_type="application/json", **csrf
    )
    # someone else's sitting: 404, translated (zh-hans is the default language)
    stranger = Client()
    stranger.force_login(make_learner(energy))
    missing = stranger.get(_url(ps, "get_status"))
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到。"}
    # a refused step: 400 with the service's message
    done = post("accept_rules")
    assert done.status_code == 400 and set(done.json()) == {"detail"} and done.json()["detail"]
    # out-of-range ids, NUL bytes, oversized lists and images: ninja's 422
    huge = program_url(energy, "proctor_plugin:proctor_api:heartbeat", sitting_id=2**63)
    assert client.post(huge, content_type="application/json", **csrf).status_code == 422
    assert post("leave_started", {"kind": "full\x00screen"}).status_code == 422
    assert post("warnings_seen", {"ids": list(range(1, 200))}).status_code == 422
    assert post("warnings_seen", {"ids": [2**64]}).status_code == 422
    assert post("snapshot", {"image": "A" * (MAX_IMAGE_BASE64 + 4)}).status_code in (413, 422)
    assert post("snapshot", {"image": "not base64!"}).status_code == 422
    unknown = post("leave_started", {"kind": "elsewhere"})
    assert unknown.status_code == 400 and unknown.json()["detail"]
    # and a good request still works
    seen = post("warnings_seen", {"ids": [1, 2]})
    assert seen.status_code == 200 and seen.json()["ended"] is False


@pytest.mark.django_db
def test_a_webcam_snapshot_is_recorded(candidate, astronaut):
    ps, client, csrf = candidate
    image = base64.b64encode(jpeg_bytes(astronaut)).decode()
    answer = client.post(_url(ps, "snapshot"), {"image": image}, content_type="application/json", **csrf)
    assert answer.status_code == 200 and "break" in answer.json() and answer.json()["server_time"]
    snap = ps.snapshots.get()
    assert snap.face_count == 1


@pytest.mark.django_db
def test_the_watcher_state_passes_every_field_through(candidate):
    """``monitoring.candidate_state`` is the contract: the API adds and drops nothing."""
    from proctor_plugin.services import monitoring

    ps, client, csrf = candidate
    answer = client.post(_url(ps, "heartbeat"), content_type="application/json", **csrf).json()
    expected = monitoring.candidate_state(ps)
    assert set(answer) == set(expected)



@pytest.mark.django_db(transaction=True)
def test_the_proctor_api_never_answers_with_a_server_error(live_server, site_data, energy, make_learner, exam_room,
                                                           complete_preflight):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    from proctor_plugin.services import preflight

    learner = make_learner(energy, password="Fuzz-2026!")
    ps = complete_preflight(exam_room(energy, learner=learner))
    token = preflight.issue_camera_token(ps).token
    session = requests_login(live_server.url, learner.document_number, "Fuzz-2026!")
    headers = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": live_server.url + "/"}
    raw = session.get(live_server.url + SCHEMA_URL).json()
    raw["paths"] = {path.replace("{program}", "energy"): spec for path, spec in raw["paths"].items()}
    raw.get("components", {}).pop("securitySchemes", None)  # the session cookie authenticates us
    for spec in raw["paths"].values():
        for operation_spec in spec.values():
            operation_spec.pop("security", None)
    schema = schemathesis.openapi.from_dict(raw)
    failures, calls = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fixed = {"sitting_id": ps.pk} if "{sitting_id}" in operation.path else {"token": token}
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

            @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(case=strategy)
            def exercise(case):
                response = case.call(base_url=live_server.url, session=session, headers=headers)
                calls.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
                else:
                    assert isinstance(response.json(), dict)

            try:
                exercise()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE
    assert not failures, failures
    assert len(calls) > 100 and 200 in calls
    assert len(api.get_openapi_schema()["paths"]) == len(raw["paths"])
