"""Mount every plugin's URLs; program-scoped ones behind one gate.

A plugin's ``<module>.urls`` may define:

- ``program_patterns``: mounted at ``/programs/<program_path>/<url_segment>/`` in the
  URL namespace ``<label>``. Every view is wrapped by :func:`program_gate`, which answers
  404 unless the program exists, is live and has the plugin on, then sets
  ``request.program`` and calls the view **without** the ``program_path`` argument.
- ``retained_patterns``: mounted beside ``program_patterns`` (same prefix and namespace)
  for what the plugin has already given people and must keep serving after the program
  switches it off — "switching off stops new work only" (e.g. a holder's issued
  certificates). The gate still answers 404 for an unknown or unpublished program; when
  the plugin is off it lets only safe methods (GET, HEAD) through and 404s the rest, so a
  retained view cannot start new work. It sets ``request.plugin_enabled`` (False when
  off): the view shows only what exists (and answers 404 when there is nothing).
  Permissions are the view's job as always.
- ``urlpatterns``: mounted at the site root in the namespace ``<label>_global``; such
  views scope themselves (e.g. a public certificate lookup).

Reverse a program URL with ``program_url(program, "exam:sitting", pk=…)``.
"""

import functools
from importlib import import_module
from importlib.util import find_spec

from django.http import Http404
from django.urls import URLPattern, URLResolver, include, re_path, reverse

from .programs import program_for_path
from .registry import all_plugins
from .services import is_enabled

PROGRAM_PATH_RE = r"(?P<program_path>[-\w]+(?:/[-\w]+)*)"


READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def program_gate(view, label, *, retained=False):
    """Wrap a program-scoped view: 404 unless the program is live and the plugin on.

    ``retained=True`` (a ``retained_patterns`` view) also serves safe requests while the
    plugin is off, with ``request.plugin_enabled = False``."""

    @functools.wraps(view)
    def gated(request, *args, program_path, **kwargs):
        program = program_for_path(program_path)
        if program is None:
            raise Http404("This service is not available for this program.")
        enabled = is_enabled(program, label)
        if not enabled and not (retained and request.method in READ_ONLY_METHODS):
            raise Http404("This service is not available for this program.")
        request.program = program
        request.plugin_enabled = enabled
        return view(request, *args, **kwargs)

    gated.plugin_label = label
    gated.retained_when_off = retained
    return gated


def _gate_all(patterns, label, retained=False):
    gated = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            entry.url_patterns  # noqa: B018 - resolve lazy includes before copying
            resolver = URLResolver(
                entry.pattern,
                _gate_all(entry.url_patterns, label, retained),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
            gated.append(resolver)
        elif isinstance(entry, URLPattern):
            gated.append(URLPattern(
                entry.pattern, program_gate(entry.callback, label, retained=retained), entry.default_args, entry.name
            ))
        else:  # pragma: no cover - Django only has these two
            raise TypeError(entry)
    return gated


def _plugin_urls_module(plugin):
    name = f"{plugin.module}.urls"
    if find_spec(name) is None:
        return None
    return import_module(name)


def plugin_urlpatterns():
    """URL patterns for every installed plugin, to include before Wagtail's catch-all."""
    patterns = []
    for plugin in all_plugins():
        module = _plugin_urls_module(plugin)
        if module is None:
            continue
        scoped = _gate_all(getattr(module, "program_patterns", None) or [], plugin.label)
        scoped += _gate_all(getattr(module, "retained_patterns", None) or [], plugin.label, retained=True)
        if scoped:
            patterns.append(
                re_path(
                    rf"^programs/{PROGRAM_PATH_RE}/{plugin.url_segment}/",
                    include((scoped, plugin.label), namespace=plugin.label),
                )
            )
        global_patterns = getattr(module, "urlpatterns", None)
        if global_patterns:
            patterns.append(re_path(r"^", include((global_patterns, f"{plugin.label}_global"))))
    return patterns


def program_url(program, viewname, **kwargs):
    """``reverse`` for a program-scoped plugin view."""
    return reverse(viewname, kwargs={"program_path": program.program_path, **kwargs})
