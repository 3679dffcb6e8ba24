"""Every request mockbi answers is journaled, like ``unittest.mock`` calls (respx's ``CallList``).

The journal is bounded twice, so a long-running sidecar never grows without bound: by entries (a ring buffer
of ``journal_size`` calls) and by bytes. A request or response body larger than ``journal_body_bytes`` is
stored cut to that size and the entry says so (``truncated`` maps ``request_body``/``response_body`` to the
size it had); once the entries together weigh more than ``journal_bytes``, the oldest are dropped. Every
method takes the journal's lock: the server's loop records while a test thread reads.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from mockbi.core.encoding import dumps
from mockbi.core.validation import Violation

#: defaults of ``MockbiConfig.journal_bytes`` / ``journal_body_bytes``
JOURNAL_BYTES = 64 * 1024 * 1024
JOURNAL_BODY_BYTES = 256 * 1024
#: what an entry costs beyond its bodies and headers (the Call object, its strings and lists)
ENTRY_OVERHEAD = 1024


def plain_headers(request: Any) -> dict[str, str]:
    """A request's headers as a plain ``dict[str, str]`` (multidict keys are ``istr``; the last value wins)."""
    headers = request.headers
    return dict(zip(map(str, headers.keys()), headers.values(), strict=True))


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
    #: the id of the stub that answered this call (core/stubs.py), if one did
    stub: str | None = None
    #: ``{"request_body"|"response_body": size it had}`` for a body stored cut to ``journal_body_bytes``
    truncated: dict[str, int] = field(default_factory=dict)
    #: bytes charged to the journal's budget for this entry (-1 once it left the journal)
    weight: int = 0
    #: what the request headers weigh (counted once: they never change)
    header_bytes: int = -1

    @property
    def response_json(self) -> Any:
        """The response body decoded as JSON (``None`` if it is empty, not JSON, or was truncated)."""
        if not self.response_bytes or not (self.content_type or "").startswith("application/json"):
            return None
        try:
            return orjson.loads(self.response_bytes)
        except orjson.JSONDecodeError:
            return None

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (``GET /__mockbi/journal``); encode it with ``core.encoding.dumps``."""
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
            "truncated": dict(self.truncated),
            "stub": self.stub,
        }

    def settle(self, body_limit: int) -> int:
        """Cut bodies beyond ``body_limit`` bytes (saying so in ``truncated``); returns the entry's weight."""
        request_size = 0
        if isinstance(self.request_body, str):
            request_size = len(self.request_body)
        elif self.request_body is not None:
            encoded = dumps(self.request_body, default=repr)
            request_size = len(encoded)
            if request_size > body_limit:
                self.truncated["request_body"] = request_size
                self.request_body = encoded[:body_limit].decode("utf-8", "ignore")
                request_size = body_limit
        if len(self.response_bytes) > body_limit:
            self.truncated["response_body"] = len(self.response_bytes)
            self.response_bytes = self.response_bytes[:body_limit]
        if self.header_bytes < 0:
            headers = self.request_headers
            self.header_bytes = sum(map(len, headers)) + sum(map(len, headers.values()))
        return (ENTRY_OVERHEAD + request_size + len(self.response_bytes) + self.header_bytes + len(self.path)
                + len(self.query))


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
               body: dict[str, Any] | None = None, json: Any = None, **unknown: Any) -> CallList:
        """Calls matching every given part: ``path`` is a glob (``/api/*/dashboards/*``), ``body`` maps dotted
        request-body fields to values (``{"filters.date_from": "-7d"}``), ``json`` is a partial body the
        request body must contain."""
        from mockbi.core.journal_query import JournalQuery

        if unknown:  # one line naming the keyword and the allowed ones, not a TypeError
            from mockbi.core.suggest import check_names

            check_names("journal filter", unknown,
                        ["vendor", "operation_id", "method", "status", "path", "body", "json"])
        query = JournalQuery(vendor=vendor, operation_id=operation_id, method=method, status=status, path=path,
                             fields=dict(body or {}), json=json)
        return CallList(query.apply(self))

    def with_violations(self) -> CallList:
        return CallList(c for c in self if c.violations)

    def violations(self) -> list[tuple[str, Violation]]:
        """Every contract violation in these calls' responses, with the call it came from."""
        return [(f"{c.vendor}.{c.operation_id} {c.method} {c.path}", v) for c in self for v in c.violations]


def violations_message(found: list[tuple[str, Violation]]) -> str:
    """What a strict test fails with: one line per violation under a heading."""
    lines = "\n".join(f"  {where}: {v}" for where, v in found)
    return f"mockbi responses violated their contracts:\n{lines}"


class Journal:
    """A ring buffer of :class:`Call` bounded by entries (``maxlen``) and bytes (``max_bytes``)."""

    def __init__(self, maxlen: int = 1000, max_bytes: int = JOURNAL_BYTES,
                 body_limit: int = JOURNAL_BODY_BYTES) -> None:
        self._calls: deque[Call] = deque()
        self._maxlen = maxlen
        self.max_bytes = max_bytes
        self.body_limit = body_limit
        self._bytes = 0
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def maxlen(self) -> int:
        return self._maxlen

    @property
    def bytes(self) -> int:
        """What the entries kept now weigh (see :meth:`Call.settle`)."""
        return self._bytes

    def record(self, call: Call) -> Call:
        """Add ``call`` (it may still be in flight: :meth:`finish` weighs it again once answered)."""
        weight = call.settle(self.body_limit)
        with self._lock:
            call.weight = weight
            self._calls.append(call)
            self._bytes += weight
            self._evict()
        return call

    def finish(self, call: Call) -> Call:
        """Weigh ``call`` again now that its bodies are known, cutting them to the body limit."""
        weight = call.settle(self.body_limit)
        with self._lock:
            if call.weight >= 0:  # still journaled
                self._bytes += weight - call.weight
                call.weight = weight
                self._evict()
        return call

    def _evict(self) -> None:
        while self._calls and (len(self._calls) > self._maxlen
                               or self._bytes > self.max_bytes and len(self._calls) > 1):
            dropped = self._calls.popleft()
            self._bytes -= dropped.weight
            dropped.weight = -1

    def next_seq(self) -> int:
        return next(self._seq)  # one C call under the GIL: no two callers get the same number

    @property
    def calls(self) -> CallList:
        with self._lock:
            return CallList(self._calls)

    def clear(self) -> None:
        with self._lock:
            for call in self._calls:
                call.weight = -1
            self._calls.clear()
            self._bytes = 0

    def since(self, seq: int) -> CallList:
        with self._lock:
            return CallList(c for c in self._calls if c.seq > seq)

    def __iter__(self) -> Iterator[Call]:
        with self._lock:
            return iter(list(self._calls))

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

