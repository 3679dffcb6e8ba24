"""A small SQL subset over the data plane's warehouse, for RunSqlQuery (the SQL runner).

Supported: ``SELECT <* | col [AS alias], ... | COUNT(*) [AS alias]> FROM [db.][schema.]table
[WHERE col <op> literal [AND ...]] [ORDER BY col [ASC|DESC], ...] [LIMIT n]`` with ``=``, ``!=``,
``<>``, ``<``, ``<=``, ``>``, ``>=``, ``IS [NOT] NULL``; literals are numbers, 'strings', TRUE/FALSE.
Anything else is a WarehouseQueryError (400), worded as Postgres words it. Rows are returned the way the
Postgres driver serialises them (dates and timestamps as ISO instants); ``fields`` types each column as a
Lightdash DimensionType.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from mockbi.vendors.lightdash.dataplane import Warehouse, WarehouseQueryError
from mockbi.vendors.lightdash.dataplane.formatting import raw_json

_QUERY = re.compile(
    r"^\s*select\s+(?P<cols>.+?)\s+from\s+(?P<table>[\w.\"]+)"
    r"(?:\s+where\s+(?P<where>.+?))?(?:\s+order\s+by\s+(?P<order>.+?))?(?:\s+limit\s+(?P<limit>\d+))?\s*;?\s*$",
    re.IGNORECASE | re.DOTALL)
_CONDITION = re.compile(r"^\s*\"?(\w+)\"?\s*(=|!=|<>|<=|>=|<|>|is\s+not|is)\s*(.+?)\s*$", re.IGNORECASE)
_OPS: Mapping[str, Callable[[Any, Any], bool]] = MappingProxyType({
    "=": operator.eq, "!=": operator.ne, "<>": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge})


SUPPORTED = ("mockbi's SQL runner executes only SELECT <columns | * | COUNT(*)> FROM <table> "
             "[WHERE <column> <op> <literal> [AND ...]] [ORDER BY ...] [LIMIT n]")


def _error(message: str) -> WarehouseQueryError:
    return WarehouseQueryError(message)


def _literal(text: str) -> Any:
    text = text.strip()
    if text.lower() == "null":
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise _error(f'syntax error at or near "{text.split()[0]}"') from None


def _comparable(value: Any, literal: Any) -> tuple[Any, Any]:
    if isinstance(value, date) and isinstance(literal, str):
        return raw_json(value)[: len(literal)], literal
    return value, literal


def _condition(text: str, columns: set[str]) -> Callable[[dict[str, Any]], bool]:
    match = _CONDITION.match(text)
    if match is None:
        raise _error(f'syntax error at or near "{text.split()[0] if text.split() else text}"')
    column, op, rhs = match.group(1), " ".join(match.group(2).lower().split()), match.group(3)
    if column not in columns:
        raise _error(f'column "{column}" does not exist')
    if op in ("is", "is not"):
        if rhs.lower() != "null":
            raise _error(f'syntax error at or near "{rhs}"')
        return (lambda row: row.get(column) is None) if op == "is" else (lambda row: row.get(column) is not None)
    literal = _literal(rhs)
    compare = _OPS[op]

    def test(row: dict[str, Any]) -> bool:
        value = row.get(column)
        if value is None or literal is None:
            return False
        left, right = _comparable(value, literal)
        try:
            return bool(compare(left, right))
        except TypeError:
            raise _error(f"operator does not exist: {type(value).__name__} {op} {type(literal).__name__}") from None

    return test


def _dimension_type(values: list[Any]) -> str:
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int | float):
            return "number"
        if isinstance(value, date):
            return "timestamp" if hasattr(value, "hour") else "date"
        return "string"
    return "string"


def run_sql(warehouse: Warehouse, sql: str) -> dict[str, Any]:
    """``{rows, fields}`` for a query in the supported subset; WarehouseQueryError otherwise."""
    match = _QUERY.match(sql)
    if match is None:  # maybe valid SQL the mock does not execute: say so, so nobody hunts a bug in their query
        first = sql.split()[0] if sql.split() else sql
        raise _error(f'syntax error at or near "{first}" ({SUPPORTED})')
    table = match.group("table").replace('"', "").split(".")[-1]
    if table not in warehouse.tables:
        raise _error(f'relation "{match.group("table")}" does not exist')
    source = warehouse.rows(table)
    columns = list(source[0]) if source else []
    known = set(columns)
    rows = list(source)
    if match.group("where"):
        tests = [_condition(part, known) for part in re.split(r"\s+and\s+", match.group("where"), flags=re.I)]
        rows = [r for r in rows if all(t(r) for t in tests)]
    if match.group("order"):
        for part in reversed(match.group("order").split(",")):
            words = part.split()
            column = words[0].strip('"') if words else ""
            if column not in known:
                raise _error(f'column "{column}" does not exist')
            descending = len(words) > 1 and words[1].lower() == "desc"
            present = [r for r in rows if r.get(column) is not None]
            nulls = [r for r in rows if r.get(column) is None]  # Postgres: NULLs sort as the largest value
            present.sort(key=lambda r: r[column], reverse=descending)
            rows = nulls + present if descending else present + nulls
    select = [c.strip() for c in match.group("cols").split(",")]
    if len(select) == 1 and re.fullmatch(r"count\(\s*\*\s*\)(\s+as\s+\"?\w+\"?)?", select[0], re.I):
        alias = select[0].split()[-1].strip('"') if re.search(r"\bas\b", select[0], re.I) else "count"
        rows = [{alias: len(rows)}]
        out_columns = [(alias, alias)]
    elif select == ["*"]:
        out_columns = [(c, c) for c in columns]
    else:
        out_columns = []
        for item in select:
            words = item.replace('"', "").split()
            if len(words) == 3 and words[1].lower() == "as":
                name, alias = words[0], words[2]
            elif len(words) == 1:
                name = alias = words[0]
            else:
                raise _error(f'syntax error at or near "{words[1] if len(words) > 1 else item}"')
            if name not in known:
                raise _error(f'column "{name}" does not exist')
            out_columns.append((name, alias))
    if match.group("limit"):
        rows = rows[: int(match.group("limit"))]
    fields = {alias: {"type": _dimension_type([r.get(name) for r in rows])} for name, alias in out_columns}
    return {"rows": [{alias: raw_json(r.get(name)) for name, alias in out_columns} for r in rows],
            "fields": fields}
