"""Every request mockbi answers is journaled, like ``unittest.mock`` calls (respx's ``CallList``).

The journal is a bounded ring buffer, so a long-running sidecar never grows without bound.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from mockbi.core.validation import Violation


def plain_headers(request: Any) -> dict[str, str]:
    """A request's headers as a plain ``dict[str, str]`` (multidict keys are ``istr``; the last value wins)."""
    return {str(k): v for k, v in request.headers.items()}


@dataclass(slots=True)
class Call:
    """One request and the response mockbi sent for it."""

    seq: int
    vendor: str | None
    operation_id: str | None
    method: str
    path: str
    query: str
    request_body: Any
    request_headers: dict[str, str] = field(default_factory=dict)
    status: int = 0
    content_type: str | None = None
    response_bytes: bytes = b""
    violations: list[Violation] = field(default_factory=list)
    request_violations: list[Violation] = field(default_factory=list)
    at: str = ""
    #: the fault rule that fired on this call: ``{"rule", "operation_id", "call", "action"}``
    fault: dict[str, Any] | None = None
    #: for a request no operation matched: the closest declared operations ("METHOD /template")
    near_misses: list[str] = field(default_factory=list)

    @property
    def response_json(self) -> Any:
        """The response body decoded as JSON (``None`` if it is empty or not JSON)."""
        if not self.response_bytes or not (self.content_type or "").startswith("application/json"):
            return None
        return orjson.loads(self.response_bytes)

    def as_dict(self) -> dict[str, Any]:
        body: Any = self.response_json
        if body is None and self.response_bytes:
            body = self.response_bytes[:4096].decode("utf-8", "replace")
        return {
            "seq": self.seq, "vendor": self.vendor, "operation_id": self.operation_id, "method": self.method,
            "path": self.path, "query": self.query, "request_headers": self.request_headers,
            "request_body": self.request_body, "status": self.status,
            "content_type": self.content_type, "response_body": body, "at": self.at,
            "violations": [v.as_dict() for v in self.violations],
            "request_violations": [v.as_dict() for v in self.request_violations],
            "fault": self.fault, "near_misses": self.near_misses,
        }


class CallList(list[Call]):
    """A list of calls with mock-style helpers: ``called``, ``call_count``, ``last``, ``filter()``."""

    @property
    def called(self) -> bool:
        return bool(self)

    @property
    def call_count(self) -> int:
        return len(self)

    @property
    def last(self) -> Call:
        if not self:
            raise AssertionError("no calls were journaled")
        return self[-1]

    def filter(self, *, vendor: str | None = None, operation_id: str | None = None,
               method: str | None = None, status: int | None = None, path: str | None = None,
               body: dict[str, Any] | None = None, json: Any = None) -> CallList:
        """Calls matching every given part: ``path`` is a glob (``/api/*/dashboards/*``), ``body`` maps dotted
        request-body fields to values (``{"filters.date_from": "-7d"}``), ``json`` is a partial body the
        request body must contain."""
        from mockbi.core.journal_query import JournalQuery

        query = JournalQuery(vendor=vendor, operation_id=operation_id, method=method, status=status, path=path,
                             fields=dict(body or {}), json=json)
        return CallList(query.apply(self))

    def with_violations(self) -> CallList:
        return CallList(c for c in self if c.violations)


class Journal:
    """A ring buffer of :class:`Call`; ``maxlen`` bounds memory for long-running servers."""

    def __init__(self, maxlen: int = 1000) -> None:
        self._calls: deque[Call] = deque(maxlen=maxlen)
        self._seq = itertools.count(1)

    @property
    def maxlen(self) -> int:
        return self._calls.maxlen or 0

    def record(self, call: Call) -> Call:
        self._calls.append(call)
        return call

    def next_seq(self) -> int:
        return next(self._seq)

    @property
    def calls(self) -> CallList:
        return CallList(self._calls)

    def clear(self) -> None:
        self._calls.clear()

    def since(self, seq: int) -> CallList:
        return CallList(c for c in self._calls if c.seq > seq)

    def __iter__(self) -> Iterator[Call]:
        return iter(list(self._calls))

    def __len__(self) -> int:
        return len(self._calls)

