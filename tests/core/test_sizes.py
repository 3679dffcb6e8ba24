"""Small modules and functions (the house style): no module of ``mockbi/`` over 400 lines, no function over 60.
A module that grows past it is split by what its parts do; a long function into named steps."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "mockbi"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_no_module_and_no_function_is_too_long() -> None:
    long_modules, long_functions = [], []
    modules = sorted(ROOT.rglob("*.py"))
    for path in modules:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT.parent).as_posix()
        if text.count("\n") > MAX_MODULE_LINES:
            long_modules.append(f"{name} ({text.count(chr(10))} lines)")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    assert len(modules) > 150  # the walk did see the package
    assert not long_modules, f"modules over {MAX_MODULE_LINES} lines: {long_modules}"
    assert not long_functions, f"functions over {MAX_FUNCTION_LINES} lines: {long_functions}"
