"""Hot paths: the few program-scoped JSON endpoints every candidate calls every few seconds
(the exam autosave), served without the middleware work they do not need.

A plugin lists them by URL name in its ``urls`` module::

    hot_path_names = {"save_answers"}

The names must belong to django-ninja operations in the plugin's ``program_patterns``
(checked by ``plugins.checks``). ``HotPathMiddleware`` (``plugins/middleware.py``) sits in
``MIDDLEWARE`` after the middleware every request needs — security headers, the body
guard, the session, the language, CSRF cookie handling, the user (lazy) and the forced
password change — and before the ones such an endpoint never uses (messages, frame and content-security-policy
headers for HTML, Wagtail's redirects for 404s, django-axes' login lock-out). For a hot
path it resolves the request against a resolver holding only the hot patterns (a handful
instead of the site's whole URL conf) and calls the view directly.

What stays the same: the view is the one mounted in the site's URL conf, wrapped by the
same program gate (404 when the program is unknown or the plugin off), and django-ninja
still authenticates (with its CSRF check), parses and validates the request; the
middleware above this one still processes the response.
"""

from functools import cache

from django.core import checks
from django.urls import Resolver404, URLPattern, URLResolver, include, re_path
from django.urls.resolvers import RegexPattern

from .gate import PROGRAM_PATH_RE, gate_all, plugin_urls_module
from .registry import all_plugins

PREFIX = "/programs/"


def _only_named(patterns, names):
    kept = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = _only_named(entry.url_patterns, names)
            if inner:
                kept.append(
                    URLResolver(
                        entry.pattern, inner, entry.default_kwargs, entry.app_name, entry.namespace
                    )
                )
        elif isinstance(entry, URLPattern) and entry.name in names:
            kept.append(entry)
    return kept


def hot_paths() -> list[tuple[str, str, URLPattern]]:
    """(plugin label, URL name, pattern) of every declared hot path; a declared name that
    matches no pattern is returned with ``pattern=None`` (the system check reports it)."""
    found = []
    for plugin in all_plugins():
        module = plugin_urls_module(plugin)
        names = set(getattr(module, "hot_path_names", ()) or ()) if module else set()
        for name in sorted(names):
            matches = _only_named(getattr(module, "program_patterns", None) or [], {name})
            found.append((plugin.label, name, _leaf(matches)))
    return found


def _leaf(patterns):
    for entry in patterns:
        if isinstance(entry, URLPattern):
            return entry
        leaf = _leaf(entry.url_patterns)
        if leaf is not None:
            return leaf
    return None


def is_ninja_operation(view) -> bool:
    """Whether ``view`` is what django-ninja mounts for a path (its ``PathView``'s view,
    a closure over the ``PathView``)."""
    import inspect

    from ninja.operation import PathView

    owner = getattr(view, "__self__", None)
    if owner is None and inspect.isfunction(view):
        owner = inspect.getclosurevars(view).nonlocals.get("self")
    return isinstance(owner, PathView)


def hot_path_errors() -> list[checks.CheckMessage]:
    """``plugins.E007``: a declared hot path that is no django-ninja operation of the
    plugin's ``program_patterns`` (a typo, or an HTML view, which needs the middleware a hot
    path skips)."""
    errors = []
    for label, name, pattern in hot_paths():
        if pattern is None or not is_ninja_operation(pattern.callback):
            errors.append(
                checks.Error(
                    f"Hot path {name!r} of plugin {label!r} is not a django-ninja operation in its program_patterns.",
                    hint="hot_path_names lists URL names of JSON API operations (plugins/services/hot_paths.py).",
                    id="plugins.E007",
                )
            )
    return errors


@cache
def hot_resolver() -> URLResolver | None:
    """A resolver over the hot paths only, mounted and gated exactly like the site's."""
    patterns = []
    for plugin in all_plugins():
        module = plugin_urls_module(plugin)
        names = set(getattr(module, "hot_path_names", ()) or ()) if module else set()
        if not names:
            continue
        hot = gate_all(
            _only_named(getattr(module, "program_patterns", None) or [], names), plugin.label
        )
        if hot:
            patterns.append(
                re_path(
                    rf"^programs/{PROGRAM_PATH_RE}/{plugin.url_segment}/",
                    include((hot, plugin.label), namespace=plugin.label),
                )
            )
    return URLResolver(RegexPattern(r"^/"), patterns) if patterns else None


def resolve_hot_path(path: str):
    """The hot path's resolver match for ``path``, or None when it is no hot path."""
    resolver = hot_resolver()
    if resolver is None:
        return None
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None
