"""Contract-checked stubs: a canned answer for matching requests, refused at registration if it breaks the
operation's contract (WireMock's escape hatch, done safer).

A stub names a vendor and an operation (``operation``, or ``method`` + ``path`` which is resolved to one),
optional matchers (``query`` and ``headers``: exact values; ``body``: a JSON subset of the request body,
for GraphQL of ``{"query", "variables", "operationName"}``), ``times`` (``null``: until removed) and a
``response`` (``status``, ``body``, ``headers``, ``content_type``). Stubs answer instead of the fake (REST:
before the vendor's auth; GraphQL: after it, since a GraphQL call is authenticated before it is parsed),
newest first; the call is journaled with the stub's id (``X-Mockbi-Stub`` names it too); a reset
clears them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from mockbi.core.contracts import RestContract
from mockbi.core.errors import ConfigError
from mockbi.core.rendered import Rendered, encode
from mockbi.core.stub_check import graphql_violations, operation_for_path, rest_violations
from mockbi.core.vendor import RestVendor

if TYPE_CHECKING:
    from mockbi.core.journal import Call
    from mockbi.core.runtime import Runtime

STUB_HEADER = "X-Mockbi-Stub"
REQUEST_KEYS = ("operation", "method", "path", "query", "headers", "body")
RESPONSE_KEYS = ("status", "body", "headers", "content_type")


class StubRejected(ConfigError):
    """A stub whose answer breaks the operation's contract; ``violations`` lists why."""

    def __init__(self, message: str, violations: list[str]) -> None:
        super().__init__(message)
        self.violations = violations


class Stubbed(Exception):
    """Raised by :meth:`Stubs.answer` inside a pipeline: send ``rendered`` instead of running the fake."""

    def __init__(self, rendered: Rendered) -> None:
        self.rendered = rendered


@dataclass(slots=True)
class Stub:
    id: str
    vendor: str
    operation_id: str
    path: str | None
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    times: int | None
    status: int
    response_body: Any
    response_headers: dict[str, str]
    content_type: str | None
    hits: int = 0
    payload: bytes = field(default=b"", repr=False)

    def as_dict(self) -> dict[str, Any]:
        request = {"operation": self.operation_id, "path": self.path, "query": self.query,
                   "headers": self.headers, "body": self.body}
        response = {"status": self.status, "body": self.response_body, "headers": self.response_headers,
                    "content_type": self.content_type}
        return {"id": self.id, "vendor": self.vendor, "request": request, "response": response,
                "times": self.times, "hits": self.hits}

    def matches(self, request: web.Request, body: Any) -> bool:
        if self.path is not None and request.path != self.path:
            return False
        if any(request.query.get(k) != v for k, v in self.query.items()):
            return False
        if any(request.headers.get(k) != v for k, v in self.headers.items()):
            return False
        return self.body is None or contains(body, self.body)

    def rendered(self) -> Rendered:
        return Rendered(self.status, self.content_type, self.payload, self.response_body,
                        {**self.response_headers, STUB_HEADER: self.id})


def contains(actual: Any, expected: Any) -> bool:
    """``expected`` is a subset of ``actual``: every key of an object matches recursively; anything else
    (arrays included) is equal."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    return bool(actual == expected) and type(actual) is type(expected)


def _json_media(vendor: Any) -> str:
    """The Content-Type the vendor sends JSON with (a GraphQL vendor's is that of its result answer)."""
    if isinstance(vendor, RestVendor):
        return vendor.json_content_type
    return str(vendor.result_response({}, None).content_type or "application/json")


def _strings(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"{where} must map names to string values")
    return dict(value)


def _keys(value: Any, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be an object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ConfigError(f"unknown {where} field(s) {unknown}; use {', '.join(allowed)}")
    return value


class Stubs:
    """The stubs of one app, newest first when matching."""

    def __init__(self) -> None:
        self._stubs: list[Stub] = []
        self._ids = itertools.count(1)

    @property
    def stubs(self) -> list[Stub]:
        return list(self._stubs)

    @property
    def active(self) -> bool:
        """Whether any stub is set (a request then awaits ``answer``)."""
        return bool(self._stubs)

    def clear(self) -> None:
        self._stubs.clear()

    def remove(self, stub_id: str) -> None:
        found = [s for s in self._stubs if s.id == stub_id]
        if not found:
            raise KeyError(stub_id)
        self._stubs.remove(found[0])

    def add(self, rt: Runtime, spec: Any) -> Stub:
        """Check ``spec`` (the JSON of ``POST /__mockbi/stubs``) against the contract and register it."""
        spec = _keys(spec, "stub", ("vendor", "request", "response", "times"))
        vendor_name = spec.get("vendor")
        if vendor_name not in rt.vendors:
            raise ConfigError(f"vendor must be one of {sorted(rt.vendors)}")
        request = _keys(spec.get("request") or {}, "request", REQUEST_KEYS)
        response = _keys(spec.get("response") or {}, "response", RESPONSE_KEYS)
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
            raise ConfigError("times must be a whole number of at least 1 (or null for every call)")
        vr = rt.vendors[vendor_name]
        operation_id, path = self._operation(vr.vendor, vr.contract, request)
        stub = self._build(vr.vendor, operation_id, path, request, response, times)
        contract = vr.contract
        violations = (rest_violations(contract, contract.operations[operation_id], stub.status,
                                      stub.content_type, stub.response_body)
                      if isinstance(contract, RestContract)
                      else graphql_violations(contract.schema, operation_id, stub.status, stub.response_body))
        if violations:
            raise StubRejected(f"the stub's response breaks the contract of {vendor_name} {operation_id}: "
                               + "; ".join(violations), violations)
        stub.id = f"stub-{next(self._ids)}"
        self._stubs.insert(0, stub)
        return stub

    @staticmethod
    def _operation(vendor: Any, contract: Any, request: dict[str, Any]) -> tuple[str, str | None]:
        operation, method, path = request.get("operation"), request.get("method"), request.get("path")
        if path is not None and (not isinstance(path, str) or not path.startswith("/")):
            raise ConfigError("path must be an absolute path such as /api/v1/org")
        known = {op for op, _, _ in contract.coverage_items()}
        if operation is not None:
            if operation not in known:
                raise ConfigError(f"{vendor.name} has no operation {operation!r}")
            return operation, path
        if not isinstance(vendor, RestVendor):
            raise ConfigError(f"a {vendor.name} stub names its operation (a root field such as Query.x)")
        if not isinstance(method, str) or path is None:
            raise ConfigError("a stub names its operation, or a method and a path")
        op = operation_for_path(contract, method, path, vendor.path_variants)
        if op is None:
            raise ConfigError(f"no {vendor.name} operation answers {method.upper()} {path}")
        return op.operation_id, None if "{" in path else path

    @staticmethod
    def _build(vendor: Any, operation_id: str, path: str | None, request: dict[str, Any],
               response: dict[str, Any], times: int | None) -> Stub:
        status = response.get("status", 200)
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise ConfigError("response.status must be an HTTP status code")
        body = response.get("body")
        content_type = response.get("content_type")
        if content_type is not None and not isinstance(content_type, str):
            raise ConfigError("response.content_type must be a string")
        if body is not None and content_type is None:
            content_type = "text/plain" if isinstance(body, str) else _json_media(vendor)
        if isinstance(body, str) and content_type and content_type.startswith("application/json"):
            raise ConfigError("a JSON response.body is given as JSON, not as a string")
        payload = encode(status, body, content_type).payload
        return Stub("", vendor.name, operation_id, path, _strings(request.get("query"), "request.query"),
                    _strings(request.get("headers"), "request.headers"), request.get("body"), times, status,
                    body, _strings(response.get("headers"), "response.headers"), content_type, payload=payload)

    async def answer(self, vendor: str, operation_id: str | None, request: web.Request, call: Call) -> None:
        """Raise :class:`Stubbed` with the answer of the newest stub matching this call, if any."""
        candidates = [s for s in self._stubs if s.vendor == vendor and s.operation_id == operation_id]
        if not candidates:
            return
        body: Any = None
        if any(s.body is not None for s in candidates) and request.body_exists:
            try:
                body = orjson.loads(await request.read())
            except orjson.JSONDecodeError:
                body = None
        for stub in candidates:
            if stub.matches(request, body):
                stub.hits += 1
                if stub.times is not None:
                    stub.times -= 1
                    if stub.times == 0:
                        self._stubs.remove(stub)
                call.stub = stub.id
                raise Stubbed(stub.rendered())


def stub_spec(vendor: str, operation: str | None = None, *, method: str | None = None, path: str | None = None,
              query: dict[str, str] | None = None, headers: dict[str, str] | None = None, body: Any = None,
              status: int = 200, json: Any = None, text: str | None = None,
              response_headers: dict[str, str] | None = None, content_type: str | None = None,
              times: int | None = None) -> dict[str, Any]:
    """The document ``POST /__mockbi/stubs`` takes, from the handles' ``stub()`` keywords (``json`` or ``text``
    is the answer's body)."""
    request = {k: v for k, v in {"operation": operation, "method": method, "path": path, "query": query,
                                 "headers": headers, "body": body}.items() if v is not None}
    response = {k: v for k, v in {"status": status, "body": json if text is None else text,
                                  "headers": response_headers, "content_type": content_type}.items()
                if v is not None}
    return {"vendor": vendor, "request": request, "response": response, "times": times}
