"""Text translated at import time is translated once, in whatever language is active when the
module is first imported (often Chinese, from a request or a management command), and then shown
in that language to everyone. Module and class bodies (field labels, choices, form headings,
menu labels) must therefore use ``gettext_lazy``; ``gettext`` belongs inside functions.

Found statically: a call to ``gettext``/``ngettext``/``pgettext``/``npgettext`` imported from
``django.utils.translation`` (under any alias, e.g. ``_``, or as ``translation.gettext``) that
runs when the module is imported: in the module body or a class body, including decorator
arguments and default values, but not inside a function or lambda body.
"""

import ast

from .importgraph import module_files, parsed

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_names(tree) -> tuple[set[str], set[str]]:
    """Local names bound to eager gettext functions, and names bound to the translation module."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            functions |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name == "translation"
            }
    return functions, modules


def _import_time_nodes(body):
    """Every node evaluated when the statements in ``body`` run at import."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            continue
        stack.extend(ast.iter_child_nodes(node))


def eager_translations(tree) -> list[int]:
    functions, modules = _eager_names(tree)
    lines = []
    for node in _import_time_nodes(tree.body):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id in functions) or (
            isinstance(func, ast.Attribute)
            and func.attr in EAGER
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_check_finds_eager_calls_and_leaves_functions_alone():
    source = (
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "from django.utils import translation\n"
        "A = _('a')\n"
        "class F:\n"
        "    label = translation.gettext('b')\n"
        "    lazy = gettext_lazy('c')\n"
        "    def method(self, default=_('d')):\n"
        "        return _('e')\n"
        "f = lambda: _('g')\n"
    )
    assert eager_translations(ast.parse(source)) == [3, 5, 7]


def test_no_text_is_translated_at_import_time():
    found = {
        f"{module}:{line}"
        for module in module_files()
        if ".migrations." not in f".{module}."
        for line in eager_translations(parsed(module))
    }
    assert sorted(found) == [], "use gettext_lazy for text defined at module or class level"
