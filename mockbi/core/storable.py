"""Can a JSON value be stored and served back? The checks a vendor runs on a write *before* it changes state.

A value the mock stores is sent again on every later read, so it must survive the response encoder
(orjson: integers within 64 bits, at most 255 nested containers, no lone UTF-16 surrogates) and the
vendor's own database (Postgres: no NUL in text or ``jsonb``, no non-finite numbers in ``jsonb``). A
vendor asks :func:`first_unstorable` and answers the problem it finds in its own words; the core never
words it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: the deepest container nesting a stored JSON value may have: orjson refuses more than 255 levels in a
#: whole document, and a stored value is sent inside envelopes (a GraphQL ``data.project.models[0].spec``
#: is 5 levels down, a PostHog SSE tile 4), so 200 leaves room for every envelope the mock wraps it in
MAX_DEPTH = 200
#: orjson serializes integers in [-2**63, 2**64 - 1]
MIN_INT, MAX_INT = -(2**63), 2**64 - 1
#: a Postgres ``integer`` column (keys of most vendors' tables)
PG_INT_MIN, PG_INT_MAX = -(2**31), 2**31 - 1

DEPTH, INTEGER, FLOAT, SURROGATE, NUL = "depth", "integer", "float", "surrogate", "nul"


@dataclass(frozen=True, slots=True)
class Unstorable:
    """Why a value cannot be stored: ``kind`` (one of the constants above), where (keys and indexes from
    the value's root) and, for strings, the offending character."""

    kind: str
    path: tuple[str | int, ...]
    char: str = ""


def bad_char(text: str, *, nul: bool = True) -> tuple[str, str] | None:
    """``(kind, char)`` of the first character ``text`` cannot be stored with: a lone surrogate (never
    encodable as UTF-8) or, when ``nul``, a NUL (refused by Postgres text and ``jsonb``)."""
    if text.isascii():
        return (NUL, "\x00") if nul and "\x00" in text else None
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            return SURROGATE, ch
        if nul and ch == "\x00":
            return NUL, ch
    return None


def first_unstorable(value: Any, *, max_depth: int = MAX_DEPTH, nul: bool = True) -> Unstorable | None:
    """The first problem found in ``value`` (a parsed JSON document), depth first; ``None`` when it can be
    stored. Iterative, so a value nested deeper than Python's recursion limit is reported, not raised."""
    stack: list[tuple[Any, tuple[str | int, ...], int]] = [(value, (), 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth + 1 > max_depth:
                return Unstorable(DEPTH, path)
            children = list(item.items()) if isinstance(item, dict) else list(enumerate(item))
            for key, child in reversed(children):
                if isinstance(key, str):
                    found = bad_char(key, nul=nul)
                    if found:
                        return Unstorable(found[0], (*path, key), found[1])
                stack.append((child, (*path, key), depth + 1))
        elif isinstance(item, str):
            found = bad_char(item, nul=nul)
            if found:
                return Unstorable(found[0], path, found[1])
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not MIN_INT <= item <= MAX_INT:
                return Unstorable(INTEGER, path)
        elif isinstance(item, float) and not math.isfinite(item):
            return Unstorable(FLOAT, path)
    return None
