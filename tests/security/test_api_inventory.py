"""One API layer: every JSON endpoint of the site is a django-ninja operation.

Every named URL of the URL conf is either served by ninja or classified below as a page,
a file or a redirect (with hand-written JSON only where listed, with the reason). A new URL
fails ``test_every_url_is_a_ninja_operation_or_classified`` until it is classified, and a
classified view whose source builds a ``JsonResponse`` fails
``test_no_classified_view_answers_with_hand_written_json``. Every mounted NinjaAPI shares
the project's error shape and session auth.
"""

import inspect

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.url_inventory import is_ninja_view, mounted_apis, routes

PAGE, FILE, REDIRECT = "page", "file", "redirect"

NOT_JSON = {
    "pwa:service_worker": FILE,
    "pwa:offline": PAGE,
    "pwa:offline_storage": PAGE,
    "pwa:icon": FILE,
    "pwa:devices": PAGE,
    "pwa:remove_device": REDIRECT,
    "set_language": REDIRECT,
    "accounts:login": PAGE,
    "accounts:logout": REDIRECT,
    "accounts:password_change": PAGE,
    "accounts:password_reset": PAGE,
    "accounts:password_reset_done": PAGE,
    "accounts:password_reset_confirm": PAGE,
    "accounts:password_reset_complete": PAGE,
    "dashboard": PAGE,
    "proctor_plugin:device_test_done": PAGE,
    "survey_plugin:survey": PAGE,  # the guide's example plugin (tests/survey_plugin)
    "survey_plugin:results": PAGE,
    "lesson_video": FILE,
    "registration:index": PAGE,
    "registration:start": PAGE,
    "registration:detail": PAGE,
    "registration:eligibility": PAGE,  # an HTML fragment swapped into the form
    "registration:print": PAGE,
    "registration:material": FILE,
    "registration:organisation_home": PAGE,
    "registration:organisation": PAGE,
    "registration:organisation_reset_password": PAGE,
    "registration:batch_template": FILE,
    "cert_plugin:mine": PAGE,
    "cert_plugin:download": FILE,
    "cert_plugin_global:lookup": PAGE,
    "cert_plugin_global:verify": PAGE,
    "dummy_plugin:hello": PAGE,
    "exam_plugin:home": PAGE,
    "exam_plugin:sign_up": PAGE,
    "exam_plugin:enter": PAGE,
    "exam_plugin:start_mock": REDIRECT,
    "exam_plugin:mock": PAGE,
    "exam_plugin:admission_ticket": FILE,
    "exam_plugin:practice": PAGE,
    "exam_plugin:offline_practice": PAGE,
    "exam_plugin:attempt": PAGE,
    "exam_plugin:result": PAGE,
    "proctor_plugin:device_test": PAGE,
    "proctor_plugin:preflight": PAGE,
    "proctor_plugin_global:phone": PAGE,
    "proctor_plugin_global:photo": FILE,
    "wagtailcore_authenticate_with_password": PAGE,
    "wagtailcore_login": PAGE,
    "wagtail_serve": PAGE,
}

# JSON outside the API on purpose, and why.
JSON_BY_DESIGN = {
    "healthz": "liveness probe of load balancers and the run script at a fixed path, no input",
    "pwa:manifest": "the web app manifest: a file format browsers fetch, no input",
}

# Operations open to anonymous visitors, and why.
PUBLIC_OPERATIONS = {
    "GET /api/offline/modules/{module_id}": "published course content; each page's view restrictions are checked",
    "GET /api/push/key": "the VAPID application server key: public by definition, no user data",
}

# Third-party admin apps: their own (CSRF- and permission-checked) endpoints, out of scope.
THIRD_PARTY_PREFIXES = ("admin/", "django-admin/", "documents/")


def _ours():
    return [r for r in routes() if not r.route.startswith(THIRD_PARTY_PREFIXES)]


def test_every_url_is_a_ninja_operation_or_classified():
    unclassified, unnamed = [], []
    for route in _ours():
        if is_ninja_view(route.view):
            continue
        if not route.name:
            unnamed.append(route.route)
        elif route.name not in NOT_JSON | JSON_BY_DESIGN:
            unclassified.append(f"{route.name} ({route.route})")
    assert not unnamed, f"name these URL patterns so they can be classified: {unnamed}"
    assert not unclassified, (
        "JSON endpoints must be django-ninja operations; classify any other new URL in NOT_JSON: "
        f"{unclassified}"
    )


def test_the_classification_has_no_stale_entries():
    names = {r.name for r in _ours()}
    ninja = {r.name for r in _ours() if is_ninja_view(r.view)}
    stale = sorted(set(NOT_JSON | JSON_BY_DESIGN) - (names - ninja))
    assert not stale, f"no longer a hand-written view (converted or removed): {stale}"


def test_no_classified_view_answers_with_hand_written_json():
    """A cheap behavioural guard for NOT_JSON: its views never build a JsonResponse."""
    offenders = []
    for route in _ours():
        if route.name in NOT_JSON and inspect.isfunction(route.view):
            if "JsonResponse" in inspect.getsource(route.view):
                offenders.append(route.name)
    assert not offenders, offenders


def test_the_study_endpoints_are_operations_of_the_site_api():
    ninja = {r.name for r in routes() if is_ninja_view(r.view)}
    assert {"site_api:study_heartbeats", "site_api:study_replay", "site_api:openapi-json"} <= ninja
    assert reverse("site_api:openapi-json") == "/api/openapi.json"


def test_every_api_is_found_and_every_operation_needs_a_login_unless_public():
    apis = mounted_apis()
    names = {m.schema_url_name for m in apis}
    assert {"site_api:openapi-json", "exam_plugin:exam_api:openapi-json"} <= names
    for mounted in apis:
        for path, spec in mounted.api.get_openapi_schema()["paths"].items():
            for method, operation in spec.items():
                key = f"{method.upper()} {path}"
                assert bool(operation.get("security")) != (key in PUBLIC_OPERATIONS), f"{key}: auth or PUBLIC_OPERATIONS"


def _view_functions(api):
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield operation.view_func


def test_every_published_operation_id_names_its_api_not_a_module_inside_it():
    """Splitting a grown ``api.py`` into an ``api/`` package must not rename the published
    operation ids: each is ``<package>_api_<view>`` (``exam_plugin_api_save_answers``)."""
    checked = 0
    for mounted in mounted_apis():
        ids = {operation["operationId"] for spec in mounted.api.get_openapi_schema()["paths"].values()
               for operation in spec.values()}
        expected = {f"{func.__module__.partition('.api')[0].replace('.', '_')}_api_{func.__name__}"
                    for func in _view_functions(mounted.api)}
        assert ids == expected, mounted.schema_url_name
        checked += len(ids)
    assert checked > 20


def _error_detail(client, method, url, language):
    response = client.generic(method, url, "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert 400 <= response.status_code < 500, (method, url, response.status_code)
    body = response.json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"], (method, url, body)
    return response.status_code, body["detail"]


@pytest.mark.django_db
def test_every_api_answers_errors_in_the_one_shape(energy):
    """Refused requests (no login, unknown object) of every operation of every API:
    ``{"detail": "<message>"}`` translated into the visitor's language."""
    client = Client()
    checked = 0
    for mounted in mounted_apis():
        kwargs = {"program_path": energy.program_path} if mounted.plugin_label else {}
        schema = client.get(reverse(mounted.schema_url_name, kwargs=kwargs))
        assert schema.status_code == 200, mounted.schema_url_name
        for path, spec in schema.json()["paths"].items():
            url = path.replace("{program}", energy.program_path)
            url = "".join("1" if part.startswith("{") else part for part in _split_params(url))
            for method, operation in spec.items():
                if not operation.get("security") and (method != "get" or "{" not in path):
                    continue  # public writes and fixed public reads have no refusal to compare
                status, english = _error_detail(client, method.upper(), url, "en")
                status_zh, chinese = _error_detail(client, method.upper(), url, "zh-hans")
                assert status == status_zh and english != chinese, (method, url, english, chinese)
                if operation.get("security") and status == 401:
                    assert english == "Please log in." or "log in" in english.lower()
                checked += 1
    assert checked >= 10


def _split_params(url):
    parts, buffer = [], ""
    for char in url:
        if char == "{":
            parts.append(buffer)
            buffer = "{"
        elif char == "}":
            parts.append(buffer + "}")
            buffer = ""
        else:
            buffer += char
    return [*parts, buffer]
