"""System checks on plugin metadata, run by ``manage.py check``/``runserver``/``migrate``.

Errors (start-up stops until they are fixed):

- ``plugins.E001`` a ``PluginMeta`` attribute that the framework does not know (a typo such
  as ``depend_on``); the message suggests the closest known name.
- ``plugins.E002`` a required attribute is missing (``name``, ``version``, ``description``).
- ``plugins.E003`` an attribute has the wrong type or form (``depends_on`` not a list of
  labels, ``restricted`` not a bool, ``url_segment`` not a URL path segment,
  ``settings_form`` not importable, a text attribute such as ``disable_consequence`` not a
  (translated) string).
- ``plugins.E004`` ``depends_on`` names a label that is no installed plugin.
- ``plugins.E005`` plugins depend on each other in a cycle (no order to switch them on).
- ``plugins.E006`` two plugins mount their program URLs at the same ``url_segment``.
- ``plugins.E007`` a plugin's ``hot_path_names`` entry is not a django-ninja operation of its
  ``program_patterns`` (``plugins/services/hot_paths.py``).

Warning:

- ``plugins.W001`` a plugin's top-level Wagtail admin menu item has the same ``order`` as
  another top-level menu item (core or plugin): their order in the menu is then arbitrary.
  Menu items are discovered from the ``register_admin_menu_item`` hooks (Wagtail registers
  viewsets with ``add_to_admin_menu`` and viewset groups there too); an item belongs to the
  plugin whose package defines the hook function or the viewset class.
"""

import difflib
import re

from django.core import checks
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .services.registry import all_plugins

KNOWN_ATTRIBUTES = {
    "name", "version", "description", "depends_on", "restricted", "settings_form", "url_segment",
    "enable_consequence", "disable_consequence",
}
TEXT_ATTRIBUTES = ("name", "description", "enable_consequence", "disable_consequence")
REQUIRED_ATTRIBUTES = ("name", "version", "description")
SEGMENT_RE = re.compile(r"^[-\w]+$")


def _meta_attributes(meta) -> set[str]:
    return {name for name in vars(meta) if not name.startswith("_")}


def _attribute_errors(plugin) -> list[checks.CheckMessage]:
    meta = plugin.app_config.PluginMeta
    errors = []
    for name in sorted(_meta_attributes(meta) - KNOWN_ATTRIBUTES):
        close = difflib.get_close_matches(name, sorted(KNOWN_ATTRIBUTES), n=1)
        errors.append(checks.Error(
            f"PluginMeta of '{plugin.label}' has an unknown attribute '{name}'.",
            hint=f"Did you mean '{close[0]}'?" if close else f"Known attributes: {', '.join(sorted(KNOWN_ATTRIBUTES))}.",
            obj=plugin.app_config, id="plugins.E001",
        ))
    for name in REQUIRED_ATTRIBUTES:
        if not hasattr(meta, name):
            errors.append(checks.Error(
                f"PluginMeta of '{plugin.label}' lacks the required attribute '{name}'.",
                obj=plugin.app_config, id="plugins.E002",
            ))
    return errors + _form_errors(plugin, meta)


def _form_errors(plugin, meta) -> list[checks.CheckMessage]:
    problems = []
    depends_on = getattr(meta, "depends_on", ())
    if not isinstance(depends_on, list | tuple) or not all(isinstance(x, str) for x in depends_on):
        problems.append("'depends_on' must be a list or tuple of plugin labels")
    if not isinstance(getattr(meta, "restricted", False), bool):
        problems.append("'restricted' must be True or False")
    segment = getattr(meta, "url_segment", plugin.label)
    if not isinstance(segment, str) or not SEGMENT_RE.match(segment):
        problems.append("'url_segment' must be one URL path segment (letters, digits, '-', '_')")
    for name in TEXT_ATTRIBUTES:
        value = getattr(meta, name, "")
        if not isinstance(value, str | Promise):
            problems.append(f"'{name}' must be a string (use gettext_lazy to translate it)")
    form_path = getattr(meta, "settings_form", None)
    if form_path is not None:
        try:
            import_string(form_path)
        except ImportError as exc:
            problems.append(f"'settings_form' {form_path!r} cannot be imported ({exc})")
    return [
        checks.Error(f"PluginMeta of '{plugin.label}': {problem}.", obj=plugin.app_config, id="plugins.E003")
        for problem in problems
    ]


def _dependency_errors(plugins) -> list[checks.CheckMessage]:
    labels = {p.label for p in plugins}
    errors = []
    for plugin in plugins:
        for label in plugin.depends_on:
            if label not in labels:
                close = difflib.get_close_matches(label, sorted(labels), n=1)
                errors.append(checks.Error(
                    f"Plugin '{plugin.label}' depends on '{label}', which is no installed plugin.",
                    hint=f"Did you mean '{close[0]}'?" if close else "Install it or remove it from depends_on.",
                    obj=plugin.app_config, id="plugins.E004",
                ))
    for cycle in _dependency_cycles({p.label: [d for d in p.depends_on if d in labels] for p in plugins}):
        errors.append(checks.Error(
            f"Plugins depend on each other in a cycle: {' -> '.join(cycle)}.",
            hint="A plugin can only be switched on after the plugins it depends on; break the cycle.",
            id="plugins.E005",
        ))
    return errors


def _dependency_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, as a closed path starting at its smallest label."""
    cycles, seen = [], set()

    def walk(node, path):
        if node in path:
            cycle = path[path.index(node):]
            start = cycle.index(min(cycle))
            key = tuple(cycle[start:] + cycle[:start])
            if key not in seen:
                seen.add(key)
                cycles.append([*key, key[0]])
            return
        for dependency in graph.get(node, ()):
            walk(dependency, [*path, node])

    for label in sorted(graph):
        walk(label, [])
    return cycles


def _segment_errors(plugins) -> list[checks.CheckMessage]:
    by_segment = {}
    for plugin in plugins:
        by_segment.setdefault(plugin.url_segment, []).append(plugin.label)
    return [
        checks.Error(
            f"Plugins {', '.join(sorted(labels))} all mount their program URLs at '{segment}/'.",
            hint="Give each plugin its own PluginMeta.url_segment.",
            id="plugins.E006",
        )
        for segment, labels in sorted(by_segment.items())
        if len(labels) > 1
    ]


def _defining_module(fn) -> str:
    """Where a menu hook was written: for a viewset's bound ``get_menu_item`` that is the
    module of the viewset class, not Wagtail's."""
    owner = getattr(fn, "__self__", None)
    return type(owner).__module__ if owner is not None else fn.__module__


def admin_menu_entries() -> list[tuple[int, str, str]]:
    """Top-level Wagtail admin menu entries as (order, label, defining module)."""
    from wagtail import hooks

    entries = []
    for fn in hooks.get_hooks("register_admin_menu_item"):
        item = fn()
        entries.append((item.order, str(item.label), _defining_module(fn)))
    return entries


def _owner(module: str, plugins):
    return next((p for p in plugins if module == p.module or module.startswith(p.module + ".")), None)


def menu_order_warnings(plugins) -> list[checks.CheckMessage]:
    """W001 for the current admin menu, ``plugins`` deciding which items are a plugin's."""
    by_order = {}
    for order, label, module in admin_menu_entries():
        by_order.setdefault(order, []).append((label, module))
    warnings = []
    for order, entries in sorted(by_order.items()):
        owners = [_owner(module, plugins) for _label, module in entries]
        if len(entries) > 1 and any(owners):
            names = ", ".join(f"'{label}' ({module})" for label, module in entries)
            warnings.append(checks.Warning(
                f"Admin menu items share the order {order}: {names}.",
                hint="Give each plugin's menu item its own order so the menu is stable.",
                id="plugins.W001",
            ))
    return warnings


def metadata_errors(plugins) -> list[checks.CheckMessage]:
    """E001–E006 for ``plugins`` (a list of ``registry.Plugin``) taken together."""
    errors = []
    for plugin in plugins:
        errors += _attribute_errors(plugin)
    return errors + _dependency_errors(plugins) + _segment_errors(plugins)


@checks.register("plugins")
def check_plugin_metadata(app_configs=None, **kwargs):
    return metadata_errors(all_plugins())


@checks.register("plugins", checks.Tags.urls)
def check_plugin_menu_orders(app_configs=None, **kwargs):
    return menu_order_warnings(all_plugins())


@checks.register("plugins", checks.Tags.urls)
def check_hot_paths(app_configs=None, **kwargs):
    from .services.hot_paths import hot_path_errors

    return hot_path_errors()
