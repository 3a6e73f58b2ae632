"""The import graph of our own packages, read from source with ``ast`` (nothing is imported).

Contract:

- ``first_party_packages()`` is read from ``pyproject.toml`` (``[tool.setuptools.packages.find]
  include``), so a new top-level package is covered without touching these tests.
- ``build_graph()`` maps every first-party module (dotted name, packages by their own name)
  to the ``Import`` edges it makes to other first-party modules. Imports anywhere count:
  module level, inside functions, under ``if TYPE_CHECKING``. ``from a import b`` points at
  ``a.b`` when that is a module, otherwise at ``a``. Relative imports are resolved. Implicit
  imports of parent packages are NOT edges (every ``a.b.c`` import runs ``a/__init__``, and
  counting that would make every package that re-exports its submodules a cycle).
- Imports by string (``import_module``, ``import_string``, ``apps.get_model``, lazy model
  references like ``"course_content.ProgramPage"``) are not edges: they are how layers are
  meant to be crossed late, and they cannot form an import-time cycle.
"""

import ast
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    lineno: int
    in_function: bool


def first_party_packages() -> list[str]:
    """Top-level packages named in pyproject's setuptools include patterns."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({p.rstrip("*").rstrip(".") for p in patterns})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def module_files() -> dict[str, Path]:
    """Dotted module name -> source file, for every first-party module."""
    files = {}
    for package in first_party_packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            files[_module_name(path)] = path
    return files


def top_package(module: str) -> str:
    return module.split(".", 1)[0]


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: -(level - 1)]
    return ".".join([*base, name] if name else base)


def _nearest_module(name: str, modules) -> str | None:
    """``name`` or its closest enclosing package that is a first-party module."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, module, is_package, modules):
        self.module, self.is_package, self.modules = module, is_package, modules
        self.depth = 0
        self.edges: list[Import] = []

    def _add(self, name, node):
        target = _nearest_module(name, self.modules)
        if target and target != self.module:
            self.edges.append(Import(self.module, target, node.lineno, self.depth > 0))

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            base = _resolve_relative(self.module, self.is_package, node.level, node.module)
        else:
            base = node.module
        for alias in node.names:
            full = f"{base}.{alias.name}"
            self._add(full if full in self.modules else base, node)


@cache
def parsed(module: str) -> ast.Module:
    path = module_files()[module]
    return ast.parse(path.read_text(), filename=str(path))


@cache
def build_graph() -> dict[str, tuple[Import, ...]]:
    modules = module_files()
    graph = {}
    for module, path in modules.items():
        visitor = _ImportVisitor(module, path.name == "__init__.py", modules)
        visitor.visit(parsed(module))
        graph[module] = tuple(visitor.edges)
    return graph


def strongly_connected_components(graph) -> list[frozenset[str]]:
    """Tarjan's algorithm (iterative); only components with more than one module."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    adjacency = {m: sorted({e.target for e in edges}) for m, edges in graph.items()}
    for start in sorted(adjacency):
        if start in index:
            continue
        work = [(start, iter(adjacency[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adjacency.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(frozenset(component))
    return result
