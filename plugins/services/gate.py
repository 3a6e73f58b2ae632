"""The plugin gate: one check in front of every program-scoped plugin view.

:func:`program_gate` wraps each view of a plugin's ``program_patterns`` (and
``retained_patterns``) when ``plugins.urls`` mounts them, and the hot-path resolver
(``plugins.services.hot_paths``) wraps its patterns the same way, so no plugin can forget
the check. What it answers is described in ``plugins/urls.py``.
"""

import functools
from importlib import import_module
from importlib.util import find_spec

from django.http import Http404
from django.urls import URLPattern, URLResolver

from .programs import cached_program, fresh_copy
from .states import is_enabled

PROGRAM_PATH_RE = r"(?P<program_path>[-\w]+(?:/[-\w]+)*)"


READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def program_gate(view, label, *, retained=False):
    """Wrap a program-scoped view: 404 unless the program is live and the plugin on.

    ``retained=True`` (a ``retained_patterns`` view) also serves safe requests while the
    plugin is off, with ``request.plugin_enabled = False``."""

    @functools.wraps(view)
    def gated(request, *args, program_path, **kwargs):
        cached = cached_program(program_path)
        if cached is None:
            raise Http404("This service is not available for this program.")
        # The labels are memoised on the cached instance (dropped with it, as the program
        # is), so the copy handed to the request carries them: one cache look-up per request.
        enabled = is_enabled(cached, label)
        program = fresh_copy(cached)
        if not enabled and not (retained and request.method in READ_ONLY_METHODS):
            raise Http404("This service is not available for this program.")
        request.program = program
        request.plugin_enabled = enabled
        return view(request, *args, **kwargs)

    gated.plugin_label = label
    gated.retained_when_off = retained
    return gated


def gate_all(patterns, label, retained=False):
    """``patterns`` (resolvers included, recursively) with every view behind the gate."""
    gated = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            entry.url_patterns  # noqa: B018 - resolve lazy includes before copying
            resolver = URLResolver(
                entry.pattern,
                gate_all(entry.url_patterns, label, retained),
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


def plugin_urls_module(plugin):
    """The plugin's ``<module>.urls`` module, or None when it has none."""
    name = f"{plugin.module}.urls"
    if find_spec(name) is None:
        return None
    return import_module(name)
