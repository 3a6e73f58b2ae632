"""Hot paths (``plugins/services/hot_paths.py``): every declared one is a django-ninja operation that
the site's own URL conf serves at the same address through the same gate, and the system
check refuses a declaration that is not."""

import pytest
from django.urls import resolve

from plugins.services import hot_paths


def _leaves(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if hasattr(entry, "url_patterns"):
            yield from _leaves(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _example_path(route: str) -> str:
    """A concrete address for a hot route, e.g. programs/energy/exam/api/attempts/7/answers."""
    import re

    route = route.replace("^", "").replace("\\Z", "").replace("$", "")
    route = re.sub(r"\(\?P<program_path>[^)]*\)\)\*\)", "energy", route)
    route = re.sub(r"\(\?P<program_path>.*?\)(?=/)", "energy", route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "7", route)


def test_every_hot_path_is_a_ninja_operation_the_site_serves_the_same_way():
    declared = hot_paths.hot_paths()
    assert ("exam_plugin", "save_answers") in {(label, name) for label, name, _ in declared}
    assert hot_paths.hot_path_errors() == []
    leaves = list(_leaves(hot_paths.hot_resolver()))
    assert {p.name for _, p in leaves} == {name for _, name, _ in declared}
    for route, pattern in leaves:
        path = _example_path(route)
        hot, site = hot_paths.hot_resolver().resolve(path), resolve(path)
        assert site.url_name == hot.url_name == pattern.name, path
        # the same ninja operation, behind the same kind of gate
        assert site.func.__wrapped__ == hot.func.__wrapped__
        assert hot_paths.is_ninja_operation(hot.func.__wrapped__)
        assert site.func.plugin_label == hot.func.plugin_label


@pytest.mark.parametrize("names", [{"home"}, {"no_such_operation"}])
def test_the_check_refuses_a_hot_path_that_is_no_api_operation(monkeypatch, names):
    import exam_plugin.urls

    monkeypatch.setattr(exam_plugin.urls, "hot_path_names", names)
    errors = hot_paths.hot_path_errors()
    assert [e.id for e in errors] == ["plugins.E007"]
