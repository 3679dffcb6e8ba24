"""Questions about the journal: which calls match a path glob, body fields or a partial JSON body, how many,
and — when a verification fails — which calls came closest and how they differ.

Used by ``CallList.filter(path=..., body=...)``, ``GET /__mockbi/journal?path=...&body.name=...``,
``GET /__mockbi/journal/count`` and the handle's ``mockbi.verify(...)``.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from mockbi.core.errors import ConfigError

if TYPE_CHECKING:
    from mockbi.core.journal import Call

#: query-string filters of the admin journal routes (``body.<field>`` besides these)
FILTERS = ("vendor", "operation", "operation_id", "method", "status", "violations", "path")
_MISSING = object()


def field_value(body: Any, dotted: str) -> Any:
    """``body["a"]["b"][0]`` for ``"a.b.0"``; a private sentinel when the path does not exist."""
    node = body
    for part in dotted.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _same(expected: Any, actual: Any) -> bool:
    return bool(actual == expected) and type(actual) is type(expected) or (
        isinstance(expected, int | float) and isinstance(actual, int | float)
        and not isinstance(expected, bool) and not isinstance(actual, bool) and actual == expected)


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """How ``actual`` fails to contain ``expected`` (objects match when every expected key matches;
    anything else must be equal): one line per difference, empty when it matches."""
    label = where or "body"
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{label}: expected an object, got {_show(actual)}"]
        found = []
        for key, value in expected.items():
            sub = f"{where}.{key}" if where else str(key)
            if key not in actual:
                found.append(f"{sub}: missing (expected {_show(value)})")
            else:
                found += differences(value, actual[key], sub)
        return found
    return [] if _same(expected, actual) else [f"{label}: expected {_show(expected)}, got {_show(actual)}"]


def _show(value: Any) -> str:
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(slots=True)
class JournalQuery:
    """A question about journaled calls; every given part must hold."""

    vendor: str | None = None
    operation_id: str | None = None
    method: str | None = None
    status: int | None = None
    violations: bool = False
    path: str | None = None
    #: dotted body field -> expected value
    fields: dict[str, Any] = field(default_factory=dict)
    #: a partial JSON body the request body must contain
    json: Any = None

    def matches(self, call: Call) -> bool:
        return ((self.vendor is None or call.vendor == self.vendor)
                and (self.operation_id is None or call.operation_id == self.operation_id)
                and (self.method is None or call.method == self.method.upper())
                and (self.status is None or call.status == self.status)
                and (not self.violations or bool(call.violations))
                and (self.path is None or fnmatch.fnmatchcase(call.path, self.path))
                and all(_field_matches(call.request_body, k, v) for k, v in self.fields.items())
                and (self.json is None or not differences(self.json, call.request_body)))

    def apply(self, calls: Iterable[Call]) -> list[Call]:
        return [c for c in calls if self.matches(c)]


def _field_matches(body: Any, dotted: str, expected: Any) -> bool:
    actual = field_value(body, dotted)
    if actual is _MISSING:
        return False
    return _same(expected, actual) or (isinstance(expected, str) and _scalar_text(actual) == expected)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return orjson.dumps(value).decode()
    return str(value) if isinstance(value, str | int | float) else None


def _query_value(text: str) -> Any:
    """A query-string value as JSON when it parses (``true``, ``3``, ``"x"``), else the text itself."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text


def query_from_params(params: Mapping[str, str], extra: tuple[str, ...] = ()) -> JournalQuery:
    """A query from admin query-string parameters; an unknown parameter or a bad value is a ``ConfigError``.
    ``extra`` names parameters the caller handles itself (accepted here, not part of the query)."""
    fields: dict[str, Any] = {}
    allowed = (*FILTERS, *extra)
    for key in params:
        if key.startswith("body.") and len(key) > 5:
            fields[key[5:]] = _query_value(params[key])
        elif key not in allowed:
            close = difflib.get_close_matches(key, [*allowed, "body.<field>"], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"unknown journal filter {key!r}{hint}; use {', '.join(allowed)} or body.<field>")
    status = params.get("status")
    if status is not None and not status.isdigit():
        raise ConfigError(f"status must be an integer, not {status!r}")
    if params.get("violations") not in (None, "0", "1", "true", "false"):
        raise ConfigError("violations must be 1/true or 0/false")
    return JournalQuery(vendor=params.get("vendor"), operation_id=params.get("operation") or params.get("operation_id"),
                        method=params.get("method"), status=int(status) if status is not None else None,
                        violations=params.get("violations") in ("1", "true"), path=params.get("path"),
                        fields=fields)


def closest_calls(calls: list[Call], query: JournalQuery, limit: int = 3) -> list[tuple[Call, list[str]]]:
    """The calls that came closest to ``query`` (same operation first, then fewest body differences), each
    with what differs."""
    ranked = []
    for call in calls:
        diff = []
        if query.vendor is not None and call.vendor != query.vendor:
            diff.append(f"vendor: expected {query.vendor}, got {call.vendor}")
        if query.operation_id is not None and call.operation_id != query.operation_id:
            diff.append(f"operation: expected {query.operation_id}, got {call.operation_id}")
        if query.method is not None and call.method != query.method.upper():
            diff.append(f"method: expected {query.method.upper()}, got {call.method}")
        if query.path is not None and not fnmatch.fnmatchcase(call.path, query.path):
            diff.append(f"path: expected {query.path}, got {call.path}")
        for key, value in query.fields.items():
            if not _field_matches(call.request_body, key, value):
                actual = field_value(call.request_body, key)
                diff.append(f"{key}: " + ("missing" if actual is _MISSING else f"got {_show(actual)}")
                            + f" (expected {_show(value)})")
        if query.json is not None:
            diff += differences(query.json, call.request_body)
        other_operation = query.operation_id is not None and call.operation_id != query.operation_id
        ranked.append(((other_operation, len(diff), -call.seq), call, diff))
    ranked.sort(key=lambda r: r[0])
    return [(call, diff) for _, call, diff in ranked[:limit]]


def verification_message(query: JournalQuery, times: int | None, found: int, calls: list[Call]) -> str:
    """The readable failure of ``mockbi.verify``: what was expected, what was found, the closest calls."""
    wanted = f"{times} call(s)" if times is not None else "at least one call"
    what = query.operation_id or "any operation"
    lines = [f"expected {wanted} to {what}" + (f" with json {_show(query.json)}" if query.json is not None else "")
             + f", found {found}"]
    if not calls:
        lines.append("  the journal has no calls since the test started")
    for call, diff in closest_calls(calls, query):
        lines.append(f"  closest: #{call.seq} {call.method} {call.path} -> {call.status} ({call.operation_id})")
        lines += [f"    - {d}" for d in diff] or ["    (matches)"]
    return "\n".join(lines)


def check_operation(operations: dict[str, list[str]], operation_id: str, vendor: str | None) -> None:
    """An ``AssertionError`` when no served contract (of ``vendor``, if given) declares ``operation_id``,
    naming the closest one."""
    known = [op for name, ops in operations.items() if vendor in (None, name) for op in ops]
    if operation_id not in known:
        close = difflib.get_close_matches(operation_id, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AssertionError(f"no served contract declares operation {operation_id!r}{hint}")


def verify(calls: list[Call], operations: Callable[[], dict[str, list[str]]], operation_id: str | None = None, *,
           times: int | None = None, json: Any = None, vendor: str | None = None, method: str | None = None,
           status: int | None = None, path: str | None = None, body: dict[str, Any] | None = None) -> list[Call]:
    """``mockbi.verify`` for both handles: the calls matching the question, or an ``AssertionError`` (the
    closest calls and how each differs) unless there are ``times`` of them (at least one when not given).
    ``operations()`` names the served operations, asked only to check ``operation_id``."""
    if operation_id is not None:
        check_operation(operations(), operation_id, vendor)
    query = JournalQuery(vendor=vendor, operation_id=operation_id, method=method, status=status, path=path,
                         fields=dict(body or {}), json=json)
    found = query.apply(calls)
    if (times is None and not found) or (times is not None and len(found) != times):
        raise AssertionError(verification_message(query, times, len(found), calls))
    return found
