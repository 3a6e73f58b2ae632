"""Receivers live in ``receivers.py`` (or a ``receivers`` package) of their app and are
connected by importing it from ``AppConfig.ready()`` — one place to look for "who reacts
to this signal", and no receiver connected as a side effect of importing something else.

A receiver is found statically: a function decorated with ``@receiver(...)``, or a
``<signal>.connect(...)`` call with a ``dispatch_uid`` (every receiver of ours has one;
this keeps ``sqlite3.connect(...)`` out).
"""

import ast

from .importgraph import module_files, parsed


def connects_receivers(tree) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                func = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == "receiver":
                    return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and any(k.arg == "dispatch_uid" for k in node.keywords)
        ):
            return True
    return False


def receiver_modules_elsewhere() -> set[str]:
    return {
        m
        for m in module_files()
        if ".receivers" not in f".{m}" and ".migrations." not in f".{m}." and connects_receivers(parsed(m))
    }


# Known violations — to be removed by the file moves of issue 14. Modules other than
# receivers.py that define or connect receivers. Fails on a new one and on a listed one
# that is gone (then delete it): this list only ever gets shorter.
KNOWN_ELSEWHERE: set[str] = set()


def test_receivers_live_in_receivers_modules():
    found = receiver_modules_elsewhere()
    assert not found - KNOWN_ELSEWHERE, f"Move these receivers to receivers.py: {sorted(found - KNOWN_ELSEWHERE)}"
    assert not KNOWN_ELSEWHERE - found, f"Fixed (delete from KNOWN_ELSEWHERE): {sorted(KNOWN_ELSEWHERE - found)}"


def test_detector():
    assert connects_receivers(ast.parse("@receiver(s, dispatch_uid='x')\ndef f(sender, **kw): pass"))
    assert connects_receivers(ast.parse("def ready():\n    post_save.connect(f, dispatch_uid='x')"))
    assert not connects_receivers(ast.parse("conn = sqlite3.connect(path)"))
    assert connects_receivers(parsed("exam_plugin.receivers"))
