"""Table calculations: SQL arithmetic over field references, evaluated per result row.

Supported: ``${table.field}`` (or ``${field_id}``) references, numbers, string literals, ``+ - * / %``,
unary minus, parentheses and the functions ROUND, ABS, FLOOR, CEIL, COALESCE, NULLIF, GREATEST, LEAST.
Semantics follow postgres: NULL propagates, ``int / int`` truncates toward zero, division by zero is a
warehouse error. Anything else is rejected as the warehouse would reject invalid SQL.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from .errors import CompileError, WarehouseQueryError
from .fields import ref_to_field_id

REF = re.compile(r"\$\{([^}]+)\}")


def references(sql: str) -> list[str]:
    """The field ids a table calculation's SQL refers to."""
    return [ref_to_field_id(m.group(1).strip()) for m in REF.finditer(sql or "")]


def check_references(calc: dict[str, Any], valid: set[str]) -> None:
    for match in REF.finditer(str(calc.get("sql", ""))):
        if ref_to_field_id(match.group(1).strip()) not in valid:
            raise CompileError(
                f"Table calculation contains a reference {match.group(1)} to a field that isn't included "
                "in the query.")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _divide(left: Any, right: Any) -> Any:
    if right == 0:
        raise WarehouseQueryError("division by zero")
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        return quotient if (left >= 0) == (right >= 0) else -quotient
    return left / right


def _modulo(left: Any, right: Any) -> Any:
    if right == 0:
        raise WarehouseQueryError("division by zero")
    return math.fmod(left, right) if isinstance(left, float) or isinstance(right, float) else \
        int(math.fmod(left, right))


def _round(value: Any, digits: Any = 0) -> Any:
    if value is None:
        return None
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    return float(rounded) if isinstance(value, float) or int(digits) > 0 else int(rounded)


FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType({
    "ROUND": _round,
    "ABS": lambda v: None if v is None else abs(v),
    "FLOOR": lambda v: None if v is None else math.floor(v),
    "CEIL": lambda v: None if v is None else math.ceil(v),
    "CEILING": lambda v: None if v is None else math.ceil(v),
    "COALESCE": lambda *vs: next((v for v in vs if v is not None), None),
    "NULLIF": lambda a, b: None if a == b else a,
    "GREATEST": lambda *vs: max((v for v in vs if v is not None), default=None),
    "LEAST": lambda *vs: min((v for v in vs if v is not None), default=None),
})
BINARY: Mapping[type, Callable[[Any, Any], Any]] = MappingProxyType({
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: _divide,
    ast.Mod: _modulo,
})


def _eval(node: ast.AST, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, names)
    if isinstance(node, ast.Constant) and (_number(node.value) or isinstance(node.value, str)):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _eval(node.operand, names)
        if operand is None:
            return None
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _eval(node.left, names), _eval(node.right, names)
        if left is None or right is None:
            return None
        return BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.upper() in FUNCTIONS \
            and not node.keywords:
        args = [_eval(arg, names) for arg in node.args]
        return FUNCTIONS[node.func.id.upper()](*args)
    raise WarehouseQueryError(f"syntax error in table calculation near \"{ast.unparse(node)}\"")


def evaluate(sql: str, values: Mapping[str, Any]) -> Any:
    """Evaluate one table calculation against one row's raw values (field id -> value)."""
    names: dict[str, Any] = {}

    def placeholder(match: re.Match[str]) -> str:
        name = f"__ref{len(names)}"
        names[name] = values.get(ref_to_field_id(match.group(1).strip()))
        return name

    expression = REF.sub(placeholder, sql or "").strip()
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise WarehouseQueryError(f"syntax error in table calculation: {sql}") from exc
    return _eval(tree, names)
