"""Hasura-generated list arguments over in-memory rows: ``where`` (bool_exp), ``order_by``, ``limit``, ``offset``.

A :class:`Table` says how to read each column of a row and how to follow each object relationship,
so one evaluator serves every table. Semantics follow Postgres as Hasura compiles them to SQL: a
comparison against a NULL column is false (only ``_is_null`` sees it), ``_and: []`` is true,
``_or: []`` is false, ``asc`` sorts NULLs last and ``desc`` sorts them first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Getter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: Mapping[str, Getter]
    #: relationship field -> (target table name, getter returning the related row or None)
    relations: Mapping[str, tuple[str, Getter]] = field(default_factory=dict)


class Schema:
    """The tables one request can filter and sort, by name."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.tables = {t.name: t for t in tables}

    # --- where -----------------------------------------------------------------------------------
    def matches(self, table: str, row: Any, exp: Mapping[str, Any] | None) -> bool:
        if not exp:
            return True
        spec = self.tables[table]
        for key, value in exp.items():
            if value is None:
                continue  # an explicit null sub-expression adds no condition
            if key == "_and":
                if not all(self.matches(table, row, sub) for sub in value):
                    return False
            elif key == "_or":
                if not any(self.matches(table, row, sub) for sub in value):
                    return False
            elif key == "_not":
                if self.matches(table, row, value):
                    return False
            elif key in spec.relations:
                target, getter = spec.relations[key]
                related = getter(row)
                if related is None or not self.matches(target, related, value):
                    return False
            elif key in spec.columns:
                if not compare(spec.columns[key](row), value):
                    return False
            else:  # the contract only lets declared fields through
                raise KeyError(f"{table}.{key}")
        return True

    def select(self, table: str, rows: Iterable[Any], *, where: Mapping[str, Any] | None = None,
               order_by: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
               limit: int | None = None, offset: int | None = None) -> list[Any]:
        """Filter, sort and page ``rows`` the way a Hasura list field does."""
        found = [r for r in rows if self.matches(table, r, where)]
        if order_by:
            found = self.sort(table, found, order_by)
        start = offset or 0
        end = None if limit is None else start + limit
        return found[start:end]

    # --- order_by --------------------------------------------------------------------------------
    def sort(self, table: str, rows: list[Any], order_by: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> list[Any]:
        specs = [order_by] if isinstance(order_by, Mapping) else list(order_by)
        keys: list[tuple[Getter, str]] = []
        for spec in specs:
            keys += self._sort_keys(table, spec, lambda row: row)
        for getter, direction in reversed(keys):  # stable sorts, least significant key first
            descending = direction.startswith("desc")
            nulls_first = direction.endswith("nulls_first") or direction == "desc"
            keyed = [(getter(r), r) for r in rows]  # each row's key read once
            present = [pair for pair in keyed if pair[0] is not None]
            absent = [r for key, r in keyed if key is None]
            present.sort(key=_first, reverse=descending)
            ordered = [r for _, r in present]
            rows = absent + ordered if nulls_first else ordered + absent
        return rows

    def _sort_keys(self, table: str, spec: Mapping[str, Any], via: Getter) -> list[tuple[Getter, str]]:
        keys: list[tuple[Getter, str]] = []
        columns, relations = self.tables[table].columns, self.tables[table].relations
        for name, direction in spec.items():
            if direction is None:
                continue
            if name in relations:
                target, getter = relations[name]

                def hop(row: Any, _g: Getter = getter, _v: Getter = via) -> Any:
                    base = _v(row)
                    return None if base is None else _g(base)

                keys += self._sort_keys(target, direction, hop)
            else:
                column = columns[name]

                def read(row: Any, _c: Getter = column, _v: Getter = via) -> Any:
                    base = _v(row)
                    return None if base is None else _c(base)

                keys.append((read, str(direction)))
        return keys


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def compare(actual: Any, ops: Mapping[str, Any]) -> bool:
    """Evaluate one ``<type>_comparison_exp`` against a column value."""
    for op, expected in ops.items():
        if expected is None:
            continue
        if op == "_is_null":
            if (actual is None) != bool(expected):
                return False
            continue
        if actual is None:
            return False
        if not _OPS[op](actual, expected):
            return False
    return True


def like_regex(pattern: str, *, insensitive: bool = False) -> re.Pattern[str]:
    """SQL LIKE to a regex: ``%`` any run, ``_`` one character, backslash escapes."""
    out, escaped = [], False
    for ch in pattern:
        if escaped:
            out.append(re.escape(ch))
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if insensitive else 0))


_OPS: Mapping[str, Callable[[Any, Any], bool]] = MappingProxyType({
    "_eq": lambda a, b: bool(a == b),
    "_neq": lambda a, b: bool(a != b),
    "_gt": lambda a, b: bool(a > b),
    "_gte": lambda a, b: bool(a >= b),
    "_lt": lambda a, b: bool(a < b),
    "_lte": lambda a, b: bool(a <= b),
    "_in": lambda a, b: a in b,
    "_nin": lambda a, b: a not in b,
    "_like": lambda a, b: like_regex(b).fullmatch(a) is not None,
    "_nlike": lambda a, b: like_regex(b).fullmatch(a) is None,
    "_ilike": lambda a, b: like_regex(b, insensitive=True).fullmatch(a) is not None,
    "_nilike": lambda a, b: like_regex(b, insensitive=True).fullmatch(a) is None,
})
