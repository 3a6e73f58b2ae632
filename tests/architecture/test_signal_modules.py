"""Every ``signals.py`` of ours holds signal DEFINITIONS only, each with a docstring.

Allowed at module level: the module docstring, imports of the signal classes, assignments
``name = ProgramSignal()`` (or ``Signal()``) each followed by a string literal that
documents sender, kwargs and return. Anything else — receiver functions, ``.connect``
calls, importing other modules to connect their receivers, helpers — belongs in
``receivers.py`` (connected from ``AppConfig.ready``) or ``services/``.

``plugins.signals`` is the framework: it may also define the ``ProgramSignal`` class and
its logger, but no receivers.
"""

import ast

from .importgraph import module_files, parsed

FRAMEWORK = "plugins.signals"
SIGNAL_CLASSES = {"ProgramSignal", "Signal"}


def signal_modules() -> list[str]:
    return sorted(m for m in module_files() if m == "signals" or m.endswith(".signals"))


def _is_signal_definition(node) -> bool:
    if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in SIGNAL_CLASSES


def _is_docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _imports_only_signals(node) -> bool:
    """``from x import SomeSignal, some_signal`` is fine; ``from . import receivers`` (run
    for its side effect of connecting receivers) is not."""
    if isinstance(node, ast.Import):
        return all(alias.name in {"django.dispatch"} for alias in node.names)
    return isinstance(node, ast.ImportFrom) and node.module is not None and (
        node.module.endswith("signals") or node.module in {"django.dispatch"}
    )


def offences(tree: ast.Module, framework: bool = False) -> list[str]:
    """Short descriptions of what in ``tree`` is not a documented signal definition."""
    body = tree.body
    found = []
    for position, node in enumerate(body):
        if position == 0 and _is_docstring(node):
            continue
        if _is_signal_definition(node):
            following = body[position + 1] if position + 1 < len(body) else None
            if following is None or not _is_docstring(following):
                found.append(f"undocumented signal {node.targets[0].id}")
            continue
        if _is_docstring(node) and position and _is_signal_definition(body[position - 1]):
            continue
        if _imports_only_signals(node):
            continue
        if framework and isinstance(node, ast.Import | ast.ImportFrom | ast.ClassDef | ast.Assign):
            continue
        found.append(_describe(node))
    return found


def _describe(node) -> str:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return f"def {node.name}"
    if isinstance(node, ast.ClassDef):
        return f"class {node.name}"
    names = ", ".join(alias.name for alias in getattr(node, "names", ()))
    if isinstance(node, ast.Import):
        return f"import {names}"
    if isinstance(node, ast.ImportFrom):
        return f"from {'.' * node.level}{node.module or ''} import {names}"
    if isinstance(node, ast.Assign):
        return "assign " + ", ".join(ast.unparse(t) for t in node.targets)
    return f"{type(node).__name__}: {ast.unparse(node)[:60]}"


# Known violations — to be removed by the file moves of issue 14 (receivers move to
# receivers.py, helpers to services/). The test fails on any offence not listed and on any
# listed offence that is gone (then delete it): this list only ever gets shorter.
KNOWN_OFFENCES: dict[str, list[str]] = {}


def test_signal_modules_define_documented_signals_only():
    found = {m: offences(parsed(m), framework=m == FRAMEWORK) for m in signal_modules()}
    found = {m: sorted(o) for m, o in found.items() if o}
    new = {m: sorted(set(o) - set(KNOWN_OFFENCES.get(m, ()))) for m, o in found.items()}
    gone = {m: sorted(set(o) - set(found.get(m, ()))) for m, o in KNOWN_OFFENCES.items()}
    assert not any(new.values()), f"Not signal definitions (move to receivers.py/services): { {m: o for m, o in new.items() if o} }"
    assert not any(gone.values()), f"Fixed (delete from KNOWN_OFFENCES): { {m: o for m, o in gone.items() if o} }"
    assert {"plugins.signals", "course_content.signals", "exam_plugin.signals", "cert_plugin.signals"} <= set(signal_modules())


def test_detector_flags_receivers_and_undocumented_signals():
    tree = ast.parse('''"""Doc."""
from django.dispatch import receiver
from plugins.signals import ProgramSignal
from . import receivers

documented = ProgramSignal()
"""Sent by x. kwargs: none. Receivers return nothing."""

undocumented = ProgramSignal()

@receiver(documented)
def on_documented(sender, **kwargs):
    pass

documented.connect(on_documented)
''')
    assert offences(tree) == [
        "from . import receivers",
        "undocumented signal undocumented",
        "def on_documented",
        "Expr: documented.connect(on_documented)",
    ]
