"""The core has no import cycle: modules in ``mockbi/core/`` form a DAG, counting imports inside functions
(a lazy import is a cycle postponed, not removed) and leaving out ``if TYPE_CHECKING:`` blocks (annotations
only). ``app.py`` is the caller that wires the core's parts together; a core module never calls back up."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "mockbi" / "core"


def _module(path: Path) -> str:
    return "mockbi.core" if path.name == "__init__.py" else f"mockbi.core.{path.stem}"


def _runtime_imports(tree: ast.Module) -> set[str]:
    """Every module an ``import``/``from`` statement names, anywhere but under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def core_graph() -> dict[str, set[str]]:
    modules = {_module(path): path for path in CORE.glob("*.py")}
    return {name: {m for m in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))) if m in modules}
            - {name} for name, path in modules.items()}


def test_the_core_has_no_import_cycle() -> None:
    graph = core_graph()
    assert len(graph) > 40 and sum(map(len, graph.values())) > 100  # the walk did read the core's imports
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"an import cycle in mockbi/core: {' -> '.join(exc.args[1])}") from exc
    assert set(order) == set(graph)


def test_the_check_finds_a_cycle_hidden_in_a_function() -> None:
    lazy = ast.parse("from typing import TYPE_CHECKING\n"
                     "if TYPE_CHECKING:\n    from mockbi.core.runtime import Runtime\n"
                     "def f():\n    from mockbi.core.router import add_routes\n")
    assert _runtime_imports(lazy) >= {"mockbi.core.router", "mockbi.core.router.add_routes"}
    assert "mockbi.core.runtime" not in _runtime_imports(lazy)
