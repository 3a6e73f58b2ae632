"""Layers only point down: core never imports a plugin, a plugin never imports another
plugin, and ``plugins`` (the framework) imports nothing of ours.

Every first-party package (from pyproject) must be classified as core or plugin (a plugin
is a package whose AppConfig carries ``PluginMeta``), so a new package cannot slip past.

One deliberate exception: a plugin may import the data contract of a plugin it lists in
``PluginMeta.depends_on`` — its ``signals`` module (subscribing to its signals, and asking
it to act through its request signals, is how plugins talk; ARCHITECTURE.md: "it asks
through a program-scoped signal") and its ``models`` (the package and its modules: the rows
the signals carry, and foreign keys to them). Nothing else of it: not its services, views,
forms or settings.

``plugins`` reaches the program model only "through the configured model": by a lazy string
reference / ``apps.get_model``, which are not import edges (see ``importgraph``).
"""

from django.apps import apps

from .importgraph import build_graph, first_party_packages, top_package

CORE = {"cms_site", "plugins", "course_content", "packs"}


def plugin_packages() -> dict[str, tuple[str, ...]]:
    """First-party plugin package -> the top-level packages of the plugins it depends on."""
    first_party = set(first_party_packages())
    by_label = {cfg.label: cfg for cfg in apps.get_app_configs()}
    found = {}
    for cfg in apps.get_app_configs():
        meta = getattr(cfg, "PluginMeta", None)
        if meta is None or top_package(cfg.name) not in first_party:
            continue
        depends = tuple(top_package(by_label[label].name) for label in getattr(meta, "depends_on", ()) if label in by_label)
        found[top_package(cfg.name)] = depends
    return found


def is_data_contract(module: str, package: str) -> bool:
    """``module`` is what a dependant plugin may import of ``package``: its signals or models."""
    return module in (f"{package}.signals", f"{package}.models") or module.startswith(f"{package}.models.")


def cross_package_imports():
    for edges in build_graph().values():
        for edge in edges:
            if top_package(edge.source) != top_package(edge.target):
                yield edge


def layer_violations() -> set[tuple[str, str]]:
    """(importing module, imported module) pairs that break a layer rule."""
    plugins = plugin_packages()
    violations = set()
    for edge in cross_package_imports():
        source, target = top_package(edge.source), top_package(edge.target)
        if source in CORE and target in plugins:
            violations.add((edge.source, edge.target))  # core imports a plugin
        elif source == "plugins" and target != "plugins":
            violations.add((edge.source, edge.target))  # the framework imports a package of ours
        elif source in plugins and target in plugins:
            allowed = target in plugins[source] and is_data_contract(edge.target, target)
            if not allowed:
                violations.add((edge.source, edge.target))  # a plugin imports another plugin
    return violations


# Known violations — to be removed by the file moves of issue 14. (importer, imported)
# module pairs; the test fails on any pair not listed here and on any listed pair that no
# longer occurs (then delete it): this list only ever gets shorter.
KNOWN_LAYER_VIOLATIONS: set[tuple[str, str]] = set()


def test_every_first_party_package_is_core_or_a_plugin():
    plugins = set(plugin_packages())
    unclassified = set(first_party_packages()) - CORE - plugins
    assert not unclassified, f"Classify these packages as core or give them PluginMeta: {sorted(unclassified)}"
    assert not CORE & plugins
    assert {"exam_plugin", "proctor_plugin", "cert_plugin"} <= plugins


def test_layers_point_down_and_known_violations_only_shrink():
    found = layer_violations()
    new = sorted(found - KNOWN_LAYER_VIOLATIONS)
    gone = sorted(KNOWN_LAYER_VIOLATIONS - found)
    assert not new, "New layer violations (core -> plugin, plugins -> ours, plugin -> plugin):\n" + "\n".join(
        f"  {a} -> {b}" for a, b in new
    )
    assert not gone, "Listed violations that no longer occur (delete them from KNOWN_LAYER_VIOLATIONS):\n" + "\n".join(
        f"  {a} -> {b}" for a, b in gone
    )


def test_data_contract_exception_needs_a_declared_dependency():
    """The proctor plugin subscribes to exam signals and reads exam models, which is allowed
    only because it declares ``depends_on = ["exam_plugin"]``; the cert plugin declares no
    dependency, so the same imports from it would be violations."""
    plugins = plugin_packages()
    assert "exam_plugin" in plugins["proctor_plugin"]
    edges = list(cross_package_imports())
    assert any(e.source == "proctor_plugin.receivers" and e.target == "exam_plugin.signals" for e in edges)
    assert any(e.source.startswith("proctor_plugin.") and e.target == "exam_plugin.models" for e in edges)
    assert "exam_plugin" not in plugins["cert_plugin"]


def test_only_signals_and_models_are_the_data_contract():
    assert is_data_contract("exam_plugin.signals", "exam_plugin")
    assert is_data_contract("exam_plugin.models", "exam_plugin")
    assert is_data_contract("exam_plugin.models.attempts", "exam_plugin")
    assert not is_data_contract("exam_plugin.services.attempts", "exam_plugin")
    assert not is_data_contract("exam_plugin.modelsx", "exam_plugin")
    assert not is_data_contract("exam_plugin.views.learner", "exam_plugin")
