"""No import circle among the modules of nps_xl.

The graph has an edge A → B when module A imports nps_xl module B while it is being imported:
``import nps_xl.b``, ``from nps_xl import b``, ``from nps_xl.b import name``, ``from . import b``
in A's module body (inside a top-level ``if``/``try``/``with`` too, except under
``if TYPE_CHECKING:``). Imports inside functions run later, when every module is loaded, so they
are not edges. ``from nps_xl import name`` of a name that is no module is an edge to the package
``nps_xl`` (its ``__init__``). The implicit import of a parent package is no edge: every module
would otherwise depend on ``nps_xl/__init__.py``, which is only a list of re-exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nps_xl

PACKAGE = Path(nps_xl.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]):
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _module_level_imports(block)
            for handler in node.handlers:
                yield from _module_level_imports(handler.body)
        elif isinstance(node, ast.With):
            yield from _module_level_imports(node.body)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The nps_xl modules that ``node``, in ``module``, imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in MODULES]
    if node.level:  # relative: from the package of ``module``
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base != "nps_xl" and not base.startswith("nps_xl."):
        return []
    found = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.append(submodule if submodule in MODULES else base)
    return [name for name in found if name in MODULES]


def import_graph() -> dict[str, dict[str, list[str]]]:
    """module → {imported module: ["file:line", …]} for module-level nps_xl imports."""
    graph: dict[str, dict[str, list[str]]] = {name: {} for name in MODULES}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _module_level_imports(tree.body):
            for target in _targets(name, node):
                if target != name:
                    where = f"{path.relative_to(PACKAGE.parent).as_posix()}:{node.lineno}"
                    graph[name].setdefault(target, []).append(where)
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _describe(component: list[str], graph: dict[str, dict[str, list[str]]]) -> str:
    lines = [f"import circle among {', '.join(component)}:"]
    for module in component:
        for target, places in sorted(graph[module].items()):
            if target in component:
                lines.append(f"  {module} -> {target}  ({', '.join(places)})")
    return "\n".join(lines)


def test_graph_sees_the_package() -> None:
    graph = import_graph()
    assert {"nps_xl", "nps_xl.i18n", "nps_xl.errors", "nps_xl.numbers"} <= set(graph)
    assert "nps_xl.numbers" in graph["nps_xl.i18n"]
    assert "nps_xl._lazy" in graph["nps_xl"]  # `from nps_xl._lazy import …` in __init__
    assert "nps_xl.scores" in graph["nps_xl.counts"]  # `from nps_xl.scores import (…)`


def test_no_import_circle() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "\n\n".join(_describe(component, graph) for component in found)


def test_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b": ["a.py:1"]}, "b": {"c": ["b.py:1"]}, "c": {"a": ["c.py:1"]}, "d": {}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "b -> c  (b.py:1)" in _describe(["a", "b", "c"], graph)


def test_locale_layers_import_one_way() -> None:
    # numbers (languages, conventions) <- errors (keyed errors) <- i18n (words, re-exports).
    graph = import_graph()
    assert not [m for m in graph["nps_xl.numbers"] if m.startswith("nps_xl")]
    assert set(graph["nps_xl.errors"]) == {"nps_xl.numbers"}
    assert set(graph["nps_xl.i18n"]) == {"nps_xl.numbers", "nps_xl.errors"}
