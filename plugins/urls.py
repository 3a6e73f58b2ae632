"""Mount every plugin's URLs; program-scoped ones behind one gate.

A plugin's ``<module>.urls`` may define:

- ``program_patterns``: mounted at ``/programs/<program_path>/<url_segment>/`` in the
  URL namespace ``<label>``. Every view is wrapped by the gate
  (``plugins.services.gate.program_gate``), which answers 404 unless the program exists,
  is live and has the plugin on, then sets ``request.program`` and calls the view
  **without** the ``program_path`` argument.
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

from django.urls import include, re_path, reverse

from .services.gate import PROGRAM_PATH_RE, gate_all, plugin_urls_module
from .services.registry import all_plugins


def plugin_urlpatterns():
    """URL patterns for every installed plugin, to include before Wagtail's catch-all."""
    patterns = []
    for plugin in all_plugins():
        module = plugin_urls_module(plugin)
        if module is None:
            continue
        scoped = gate_all(getattr(module, "program_patterns", None) or [], plugin.label)
        scoped += gate_all(getattr(module, "retained_patterns", None) or [], plugin.label, retained=True)
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
