"""The request body guard, the 413 for oversized bodies and how client errors are logged.

Contract (cms_site.middleware.RequestBodyGuardMiddleware, cms_site.services.log_filters): a
non-form body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 and one nested deeper than
MAX_BODY_DEPTH a 400, both ``{"detail": "<translated>"}`` and decided before any JSON
parsing; a form over the limit is a 413 too. Client errors are logged as warnings without
a traceback; a real server error stays an error with its traceback.
"""

import json
import logging

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from cms_site.middleware import MAX_BODY_DEPTH, nesting_depth_exceeds

pytestmark = pytest.mark.django_db
HEARTBEATS = "/api/study/heartbeats"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.sampled_from('[]{}"\\ab中\x00\n')),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=60,
)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(value=json_values, limit=st.integers(min_value=0, max_value=6), ascii_only=st.booleans())
def test_the_depth_scan_agrees_with_the_parsed_structure(value, limit, ascii_only):
    """Brackets inside strings (escaped quotes included) are not structure."""
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert nesting_depth_exceeds(body, limit) == (depth(value) > limit)


def test_a_body_of_fifty_thousand_brackets_is_refused_before_parsing(client, make_learner):
    client.force_login(make_learner())
    for body in ("[" * 50_000, "{\"a\":" * 50_000, "[" * (MAX_BODY_DEPTH + 1) + "]" * (MAX_BODY_DEPTH + 1)):
        response = client.post(HEARTBEATS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert response.json() == {"detail": f"The request body is nested too deeply (at most {MAX_BODY_DEPTH} levels)."}
    chinese = client.post(HEARTBEATS, "[" * 50_000, content_type="application/json")
    assert chinese.status_code == 400 and "嵌套过深" in chinese.json()["detail"]


def test_the_guard_covers_bodies_of_any_content_type_but_forms(client):
    """An endpoint may parse a text/plain body as JSON: only real forms are left to Django."""
    response = client.post(HEARTBEATS, "[" * 1000, content_type="text/plain")
    assert response.status_code == 400
    form = client.post("/accounts/login/", {"username": "[" * 1000, "password": "x"})
    assert form.status_code == 200  # a form field full of brackets is just a wrong username


def test_oversized_bodies_are_413_json_and_forms_alike(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(HEARTBEATS, "x" * 10_001, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and response.json() == {"detail": "The request body is too large."}
    form = client.post("/accounts/login/", {"username": "x" * 20_000, "password": "x"})
    assert form.status_code == 413
    assert client.post(HEARTBEATS, "x" * 100, content_type="application/json").status_code == 401  # under: on to auth


def test_a_malformed_content_length_is_a_400():
    response = Client().generic("POST", HEARTBEATS, b"[]", content_type="application/json", CONTENT_LENGTH="12abc")
    assert response.status_code == 400 and "Content-Length" in response.json()["detail"]


def _records(caplog, status_or_name):
    return [r for r in caplog.records if getattr(r, "status_code", None) == status_or_name or r.name == status_or_name]


def test_client_errors_are_warnings_without_tracebacks(client, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.ALLOWED_HOSTS = ["testserver"]
    caplog.set_level(logging.INFO)
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400  # DisallowedHost
    assert client.post("/accounts/login/", {"username": "x" * 20_000}).status_code == 413  # RequestDataTooBig
    assert client.post(HEARTBEATS, "[" * 5_000, content_type="application/json").status_code == 400
    assert client.post(HEARTBEATS, "x" * 20_000, content_type="application/json").status_code == 413
    client_errors = [r for r in caplog.records if r.name.startswith("django.")]
    names = {r.name for r in client_errors}
    assert {"django.security.DisallowedHost", "django.security.RequestDataTooBig", "django.request"} <= names
    for record in client_errors:
        assert record.levelno == logging.WARNING, (record.name, record.getMessage())
        assert record.exc_info is None and record.exc_text is None


@pytest.mark.urls("tests.security.failing_urls")
def test_a_server_error_stays_an_error_with_its_traceback(caplog):
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get("/test-broken/")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", None) == 500]
    assert errors and errors[0].levelno == logging.ERROR
    assert errors[0].exc_info and errors[0].exc_info[0] is RuntimeError
