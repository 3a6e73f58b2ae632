"""No import cycles between our modules (imports inside functions count too).

A cycle hidden by a function-level import still couples the modules both ways; it only
moves the failure from import time to call time. See ``importgraph`` for what an edge is.
"""

from .importgraph import build_graph, strongly_connected_components

# Known violations — to be removed by the file moves of issue 14. Each entry is one
# strongly connected component of the import graph (every module in it reaches every
# other). The test fails when a new cycle appears, when a module joins a listed one, and
# when a listed one shrinks or disappears (then delete or narrow its entry here): this list
# only ever gets shorter.
KNOWN_CYCLES: list[frozenset[str]] = []


def _describe(component, graph):
    edges = sorted(
        f"  {e.source} -> {e.target} (line {e.lineno}{', in a function' if e.in_function else ''})"
        for module in component
        for e in graph[module]
        if e.target in component
    )
    return "\n".join([", ".join(sorted(component)), *edges])


def test_no_new_import_cycles_and_known_ones_only_shrink():
    graph = build_graph()
    found = set(strongly_connected_components(graph))
    known = set(KNOWN_CYCLES)
    new = found - known
    gone = known - found
    message = []
    if new:
        message.append("New (or changed) import cycles:\n" + "\n\n".join(_describe(c, graph) for c in new))
    if gone:
        message.append(
            "Listed cycles that no longer exist as listed (update KNOWN_CYCLES):\n"
            + "\n".join(", ".join(sorted(c)) for c in gone)
        )
    assert not message, "\n\n".join(message)


def test_cycle_finder_sees_function_level_imports():
    """The graph would be worthless if imports inside functions were skipped: the console
    reaches the pre-flight module only from inside a function."""
    graph = build_graph()
    console_to_preflight = [
        e for e in graph["proctor_plugin.services.console"] if e.target == "proctor_plugin.services.preflight"
    ]
    assert console_to_preflight and all(e.in_function for e in console_to_preflight)


def test_cycle_finder_on_a_known_graph():
    from .importgraph import Import

    def edges(source, *targets):
        return tuple(Import(source, t, 1, False) for t in targets)

    graph = {
        "a": edges("a", "b"),
        "b": edges("b", "c"),
        "c": edges("c", "a", "d"),
        "d": edges("d"),
        "e": edges("e", "f"),
        "f": edges("f", "e"),
    }
    assert set(strongly_connected_components(graph)) == {frozenset("abc"), frozenset("ef")}
