"""Plugin state (``ProgramPlugin`` rows) is written only by ``plugins.services.states``, which
checks dependencies, runs the installed/uninstalled hooks and writes the audit log.

Found statically in every first-party module except migrations:

- a call chain rooted at ``ProgramPlugin`` or a ``plugin_states`` related manager that calls
  a write method (``create``, ``get_or_create``, ``update``, ``delete``, ``bulk_create``, …);
- ``ProgramPlugin(...)`` (an instance is only built to be saved);
- ``x.save()``, ``x.delete()`` (any write method) on a name bound (by
  assignment, tuple unpacking or a ``for`` loop) to such a chain in the same function;
- raw SQL naming the table ``plugins_programplugin``.

Reads (``filter``, ``exists``, ``values_list``) are fine anywhere.
"""

import ast

from .importgraph import module_files, parsed

WRITER = "plugins.services.states"
WRITE_METHODS = {
    "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update",
    "update", "delete", "save", "aupdate", "adelete", "acreate",
    "aget_or_create", "aupdate_or_create", "abulk_create", "abulk_update", "asave",
}


def _chain(node):
    """Names along an attribute/call chain, innermost first: ``A.objects.filter().update``
    -> ["A", "objects", "filter", "update"]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def _rooted_at_plugin_state(node) -> bool:
    names = _chain(node)
    return bool(names) and (names[0] == "ProgramPlugin" or "plugin_states" in names)


def _bound_names(target):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _bound_names(element)


def plugin_state_writes(tree) -> list[int]:
    """Line numbers in ``tree`` that write plugin state (see the module docstring)."""
    lines = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]
    for scope in scopes:
        bound = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and _rooted_at_plugin_state(node.value):
                for target in node.targets:
                    bound.update(_bound_names(target))
            elif isinstance(node, ast.For | ast.comprehension) and _rooted_at_plugin_state(node.iter):
                bound.update(_bound_names(node.target))
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            names = _chain(node)
            if names == ["ProgramPlugin"]:
                lines.append(node.lineno)
            elif _rooted_at_plugin_state(node) and WRITE_METHODS & set(names[1:]):
                lines.append(node.lineno)
            elif len(names) == 2 and names[0] in bound and names[1] in WRITE_METHODS:
                lines.append(node.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "plugins_programplugin" in node.value.lower():
            lines.append(node.lineno)
    return sorted(set(lines))


def writers() -> set[str]:
    found = set()
    for module in module_files():
        if ".migrations." in f".{module}.":
            continue
        if plugin_state_writes(parsed(module)):
            found.add(module)
    return found


# Known violations — to be removed by the file moves of issue 14. Modules other than
# plugins.services that write ProgramPlugin rows. The test fails on any new writer and on
# any listed module that no longer writes (then delete it): this list only ever gets shorter.
KNOWN_WRITERS: set[str] = set()


def test_only_plugins_services_writes_plugin_state():
    found = writers()
    assert WRITER in found, "the detector no longer sees plugins.services' writes"
    others = found - {WRITER}
    assert not others - KNOWN_WRITERS, f"New modules writing ProgramPlugin rows: {sorted(others - KNOWN_WRITERS)}"
    assert not KNOWN_WRITERS - others, f"No longer writing (delete from KNOWN_WRITERS): {sorted(KNOWN_WRITERS - others)}"


def test_detector_tells_writes_from_reads():
    source = '''
def reads(program):
    ProgramPlugin.objects.filter(program=program).exists()
    for s in ProgramPlugin.objects.filter(program=program):
        print(s.settings)

def writes(program):
    ProgramPlugin.objects.filter(program=program).update(enabled=True)   # 8
    state, _ = ProgramPlugin.objects.get_or_create(program=program)      # 9
    state.save()                                                         # 10
    row = ProgramPlugin.objects.get(pk=1)
    row.delete()                                                         # 12
    ProgramPlugin(program=program, plugin="x")                           # 13
    program.plugin_states.all().delete()                                 # 14
    cursor.execute("UPDATE plugins_programplugin SET enabled = 1")       # 15
    other.save()
'''
    assert plugin_state_writes(ast.parse(source)) == [8, 9, 10, 12, 13, 14, 15]
