"""The gate, enumerated over the URL conf: switching a plugin off stops new work only.

Every program-scoped route of every plugin answers 404 once the plugin is off for the
program — except the routes a plugin declares in ``retained_patterns``, which still serve
safe (GET/HEAD) requests and 404 everything else. ``RETAINED`` must list each retained
route with the reason it outlives the switch, so a new one is a conscious decision (and
gets a test where its views decide what they show).
"""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from plugins import services
from plugins.services.registry import all_plugins

RETAINED = {
    "cert_plugin:mine": "a holder's issued certificates (tests/cert_plugin/test_after_switch_off.py)",
    "cert_plugin:download": "a holder's certificate PDF (tests/cert_plugin/test_after_switch_off.py)",
}


def gated_routes():
    """(name, gated callback) of every program-scoped pattern in the URL conf."""

    def walk(patterns, namespaces=()):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, namespaces + ((entry.namespace,) if entry.namespace else ()))
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "plugin_label", None):
                yield ":".join(namespaces + (entry.name or "",)), entry.callback

    return list(walk(get_resolver().url_patterns))


def test_retained_routes_are_classified():
    retained = {name for name, view in gated_routes() if view.retained_when_off}
    assert retained == set(RETAINED)


@pytest.fixture
def everything_off(energy):
    """Every plugin off for the energy program (dependants first)."""
    by_depth = sorted(all_plugins(), key=lambda p: -len(p.depends_on))
    for plugin in by_depth:
        services.disable(energy, plugin.label)
    assert not services.enabled_labels(energy)
    return energy


def test_off_means_404_except_safe_requests_to_retained_routes(everything_off, make_learner):
    learner = make_learner(everything_off)
    factory = RequestFactory()
    checked = 0
    for name, view in gated_routes():
        methods = ["post", "put", "patch", "delete"] + ([] if view.retained_when_off else ["get", "head"])
        for method in methods:
            request = getattr(factory, method)("/")
            request.user = learner
            try:  # the gate answers before the view sees its arguments
                view(request, program_path=everything_off.program_path)
            except Http404:
                checked += 1
            else:
                pytest.fail(f"{method.upper()} {name} is served while its plugin is off")
    assert checked > 50  # the sweep really walked the plugins' routes


def test_retained_route_lets_a_read_through_and_says_the_plugin_is_off(everything_off, make_learner):
    seen = {}

    def view(request):
        seen.update(program=request.program, enabled=request.plugin_enabled)
        return "served"

    from plugins.services.gate import program_gate

    request = RequestFactory().get("/")
    request.user = make_learner(everything_off)
    assert program_gate(view, "cert_plugin", retained=True)(request, program_path="energy") == "served"
    assert seen == {"program": everything_off, "enabled": False}
    with pytest.raises(Http404):
        program_gate(view, "cert_plugin", retained=True)(request, program_path="no-such-program")
    services.enable(everything_off, "cert_plugin")
    program_gate(view, "cert_plugin", retained=True)(request, program_path="energy")
    assert seen["enabled"] is True
