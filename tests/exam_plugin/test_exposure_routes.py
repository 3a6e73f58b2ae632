"""Completeness of key-exposure classification (issue 12, ``exam_plugin.services.exposure``):
every learner-reachable route of the URL conf and every operation of every ninja API is
classified here; a new one fails ``test_every_learner_reachable_route_and_api_operation_is_classified``
until it is. Routes classified PROBED are requested as two candidates by
``test_key_exposure.test_no_key_reaches_either_candidate_before_release``."""

import re
from functools import partial

import pytest
from django.urls import URLResolver, get_resolver
from ninja import NinjaAPI

pytestmark = pytest.mark.django_db

# the plugin mount, ^programs/(?P<program_path>[-\w]+(?:/[-\w]+)*)/, shown as programs/<program>/
PROGRAM_PREFIX = re.compile(r"^\^programs/\(\?P<program_path>[^/]*/[^/]*\)/")

# Requested by test_no_key_reaches_either_candidate_before_release (asserted there).
PROBED = "may serve bank questions, keys or scores: probed as both candidates"
NONE = "never serves bank questions, keys or scores"
STAFF_PREFIXES = ("admin/", "django-admin/")  # Wagtail / Django admin: staff only (tested below)

EXPOSURE = {
    # exam plugin: everything that shows questions, answers, scores or feedback
    "programs/<program>/exam/": PROBED,  # exam home: sittings, results
    "programs/<program>/exam/mock/start/": PROBED,
    "programs/<program>/exam/practice/": PROBED,
    "programs/<program>/exam/practice/offline/": PROBED,
    "programs/<program>/exam/attempts/<int:attempt_id>/": PROBED,
    "programs/<program>/exam/attempts/<int:attempt_id>/result/": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>/clock": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>/answers": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>/hand-in": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>/result": PROBED,
    "programs/<program>/exam/api/attempts/<attempt_id>/offline-replay": PROBED,
    "programs/<program>/exam/api/practice/points": PROBED,
    "programs/<program>/exam/api/practice/questions": PROBED,
    "programs/<program>/exam/api/practice/check": PROBED,
    "programs/<program>/exam/api/practice/offline/set": PROBED,
    "programs/<program>/exam/api/practice/offline/results": PROBED,
    "programs/<program>/exam/api/openapi.json": PROBED,  # the schema: shapes, no data
    "dashboard/": PROBED,  # the exam panel lists results
    # sign-up and entry redirect; the paper is served by the routes above
    "programs/<program>/exam/sittings/<int:sitting_id>/sign-up/": NONE,
    "programs/<program>/exam/sittings/<int:sitting_id>/enter/": NONE,
    "programs/<program>/exam/sittings/<int:sitting_id>/admission-ticket/": NONE,  # a PDF of name, sitting, rules
    "programs/<program>/exam/mock/": NONE,  # mock instructions: duration, counts, pass line
    "programs/<program>/exam/api/": NONE,  # ninja's root: 404
    # site, accounts, PWA shell, course content, registration
    "healthz": NONE, "sw.js": NONE, "manifest.webmanifest": NONE, "pwa/offline/": NONE,
    "pwa/offline-storage/": NONE,
    "pwa/icons/<str:purpose>-<int:size>.png": NONE, "pwa/notifications/": NONE,
    "pwa/notifications/<int:pk>/remove/": NONE,
    # the site API: study heartbeats, offline lesson manifests (lessons, not the bank), web push
    "api/": NONE, "api/openapi.json": NONE, "api/offline/modules/<module_id>": NONE,
    "api/push/key": NONE, "api/push/subscribe": NONE, "api/push/test": NONE, "api/push/unsubscribe": NONE,
    "api/study/heartbeats": NONE, "api/study/replay": NONE,
    "documents/^(\\d+)/(.*)$": NONE, "documents/authenticate_with_password/<int:restriction_id>/": NONE,
    "i18n/setlang/": NONE, "accounts/login/": NONE, "accounts/logout/": NONE, "accounts/password/": NONE,
    "lesson-media/<int:document_id>/": NONE,
    "register/": NONE, "register/level/<int:level_id>/": NONE, "register/r/<int:pk>/": NONE,
    "register/r/<int:pk>/eligibility/": NONE, "register/r/<int:pk>/print/": NONE, "register/files/<int:pk>/": NONE,
    "register/organisation/": NONE, "register/organisation/<int:org_id>/": NONE,
    "register/organisation/<int:org_id>/template.xlsx": NONE,
    "register/organisation/<int:org_id>/r/<int:pk>/reset-password/": NONE,
    "accounts/password/forgotten/": NONE, "accounts/password/forgotten/sent/": NONE,
    "accounts/password/reset/<uidb64>/<token>/": NONE, "accounts/password/reset/done/": NONE,
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": NONE, "_util/login/": NONE,
    "^((?:[\\w\\-]+/)*)$": NONE,  # Wagtail pages: course content, policies, FAQ (no bank questions)
    # certificates (score only of a released pass), proctoring (no paper content)
    "programs/<program>/certificates/": NONE, "programs/<program>/certificates/<str:number>/pdf/": NONE,
    "^certificates/lookup/": NONE, "^certificates/verify/<str:number>/": NONE,
    "programs/<program>/proctor/device-test/": NONE,
    **{f"programs/<program>/proctor/s/<int:sitting_id>/{step}/": NONE for step in ("preflight", "device-test-done")},
    # the proctor API: room rules, face checks, leaves, snapshots (no paper content)
    "programs/<program>/proctor/api/": NONE, "programs/<program>/proctor/api/openapi.json": NONE,
    **{f"programs/<program>/proctor/api/s/<sitting_id>/{step}/": NONE for step in (
        "status", "rules", "camera", "face", "face/photo", "pairing", "fullscreen",
        "heartbeat", "leave", "back", "snapshot", "break", "break/return", "warnings/seen")},
    "programs/<program>/proctor/api/phone/<token>/pair/": NONE,
    "programs/<program>/proctor/api/phone/<token>/snapshot/": NONE,
    "^proctor/phone/<str:token>/": NONE, "^proctor/photos/<str:kind>/<int:pk>/": NONE,
    # the test settings' dummy plugin
    "programs/<program>/dummy/hello/": NONE,
    # the guide's example plugin (tests/survey_plugin): its own survey questions, not the bank
    "programs/<program>/survey/": NONE, "programs/<program>/survey/results/": NONE,
}


def normalise(route: str) -> str:
    return PROGRAM_PREFIX.sub("programs/<program>/", route)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def learner_routes() -> dict[str, object]:
    routes = {normalise(route): pattern for route, pattern in _walk(get_resolver().url_patterns)}
    return {r: p for r, p in routes.items() if not r.startswith(STAFF_PREFIXES)}


def _unwrap(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def ninja_operations() -> dict[tuple[str, str], str]:
    """``(METHOD, normalised route) -> operation id`` for every ninja API in the URL conf,
    read from each API's OpenAPI schema (found through its ``openapi.json`` route)."""
    operations = {}
    for route, pattern in learner_routes().items():
        view = _unwrap(pattern.callback)
        api = view.keywords.get("api") if isinstance(view, partial) else None
        if not isinstance(api, NinjaAPI):
            continue
        base = route.rsplit("openapi.json", 1)[0]
        schema = NinjaAPI.get_openapi_schema(api, path_prefix="")  # paths relative to the mount
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                route_of = base + re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
                operations[(method.upper(), route_of)] = operation["operationId"]
    return operations


def test_every_learner_reachable_route_and_api_operation_is_classified(client, make_learner, site_data):
    routes = learner_routes()
    unclassified = sorted(set(routes) - set(EXPOSURE))
    assert not unclassified, f"classify these routes for key exposure in {__name__}.EXPOSURE: {unclassified}"
    stale = sorted(set(EXPOSURE) - set(routes))
    assert not stale, f"routes classified here no longer exist: {stale}"
    operations = ninja_operations()
    assert ("POST", "programs/<program>/exam/api/practice/check") in operations
    missing = sorted(route for _method, route in operations if route not in EXPOSURE)
    assert not missing, f"ninja operations without a classified route: {missing}"
    # staff-only prefixes really are: a learner gets no admin page
    client.force_login(make_learner())
    for prefix in STAFF_PREFIXES:
        response = client.get("/" + prefix)
        assert response.status_code in (302, 403), prefix
        assert "login" in response.get("Location", "login")
