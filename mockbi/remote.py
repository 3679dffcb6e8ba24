"""The ``mockbi`` fixture against an external sidecar (``pytest --mockbi-url http://mockbi:8080``).

Every test session (every pytest-xdist worker) gets a tenant of its own on the shared server, so parallel
jobs never see each other; the handle offers the in-process handle's API over the admin API: base URLs,
credentials, journal, verify, faults, clock, reset, arrange, snapshots, exported state, stubs, and the tenant's
client coverage (merged into ``--mockbi-coverage`` at the end of the session). What needs the server's memory
(typed ``store()`` access, ``locked()``) is not available remotely and says so.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.core.journal import Call, CallList, violations_message
from mockbi.core.validation import Violation

ADMIN_TOKEN_ENV = "MOCKBI_ADMIN_TOKEN"


class RemoteError(ConfigError):
    """The external server refused an admin request; the message names the request and its answer."""


def session_tenant(prefix: str = "pytest") -> str:
    """One tenant per test process: ``pytest-gw0``, ``pytest-gw1``… under xdist, ``pytest-main`` without it
    (plus the process id, so two CI jobs sharing a sidecar never collide)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}-{worker}-{os.getpid()}"


class RemoteServer:
    """The admin API of one tenant of an external mockbi server."""

    def __init__(self, url: str, tenant: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.root = url.rstrip("/")
        self.tenant = tenant
        self.url = f"{self.root}/tenants/{tenant}"
        self.admin = f"{self.root}/__mockbi/tenants/{tenant}"
        self.token = token if token is not None else os.environ.get(ADMIN_TOKEN_ENV)
        self.timeout = timeout
        self._operations: dict[str, list[str]] | None = None

    def request(self, method: str, path: str, body: Any = None, *, root: bool = False) -> Any:
        url = (f"{self.root}/__mockbi" if root else self.admin) + path
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - the user's own server
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise RemoteError(f"{method} {url} answered {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise RemoteError(f"cannot reach mockbi at {self.root}: {exc.reason}") from None
        return json.loads(raw) if raw else None

    def ensure_tenant(self, seed: int | None = None, scenario: str | None = None) -> None:
        """Create this session's tenant (pinned, so other sessions' traffic never evicts it)."""
        body: dict[str, Any] = {"name": self.tenant, "pinned": True}
        if seed is not None:
            body["seed"] = seed
        if scenario is not None:
            body["scenario"] = scenario
        try:
            self.request("POST", "/tenants", body, root=True)
        except RemoteError as exc:
            if " 409:" not in str(exc):
                raise

    def client_coverage(self) -> dict[str, Any]:
        """The tenant's client-coverage counts (the snapshot ``client_coverage.merge`` adds up)."""
        return dict(self.request("GET", "/coverage/client?format=snapshot"))

    def operations(self) -> dict[str, list[str]]:
        """Per served vendor, the operation ids its contract declares (asked once: contracts do not change)."""
        if self._operations is None:
            declared = self.client_coverage()["declared"]
            self._operations = {vendor: list(info["operations"]) for vendor, info in declared.items()}
        return self._operations

    def drop_tenant(self) -> None:
        try:
            self.request("DELETE", f"/tenants/{self.tenant}", root=True)
        except RemoteError:
            pass  # already gone (evicted, or the server restarted): nothing to clean


def _call(entry: dict[str, Any]) -> Call:
    body = entry.get("response_body")
    raw = b"" if body is None else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    return Call(seq=entry["seq"], vendor=entry.get("vendor"), operation_id=entry.get("operation_id"),
                method=entry["method"], path=entry["path"], query=entry.get("query", ""),
                request_body=entry.get("request_body"), request_headers=entry.get("request_headers", {}),
                status=entry.get("status", 0), content_type=entry.get("content_type"), response_bytes=raw,
                violations=[Violation(**v) for v in entry.get("violations", [])],
                request_violations=[Violation(**v) for v in entry.get("request_violations", [])],
                at=entry.get("at", ""), stub=entry.get("stub"))


class RemoteClock:
    """The tenant's clock, read and moved over the admin API."""

    def __init__(self, server: RemoteServer) -> None:
        self._server = server

    def now(self) -> datetime:
        return datetime.fromisoformat(self._server.request("GET", "/clock")["now"])

    @property
    def mode(self) -> str:
        return str(self._server.request("GET", "/clock")["mode"])

    def advance(self, seconds: float) -> datetime:
        return datetime.fromisoformat(self._server.request("POST", "/clock", {"advance": seconds})["now"])


class RemoteHandle:
    """What the ``mockbi`` fixture yields under ``--mockbi-url``: the in-process handle's API, over HTTP."""

    def __init__(self, server: RemoteServer, strict: bool) -> None:
        self.server = server
        self.url = server.url
        self.strict = strict
        calls = server.request("GET", "/journal")["calls"]
        self._first_seq = max((c["seq"] for c in calls), default=0)

    @property
    def info(self) -> dict[str, Any]:
        return dict(self.server.request("GET", "/info"))

    @property
    def seed(self) -> int:
        return int(self.info["seed"])

    @property
    def scenario(self) -> str:
        return str(self.info["scenario"])

    @property
    def credentials(self) -> dict[str, dict[str, Any]]:
        return dict(self.info["vendors"])

    def base_url(self, vendor: str) -> str:
        """The vendor's base URL inside this session's tenant (``…/tenants/<name>/api/v1/``)."""
        for entry in self.server.request("GET", "/vendors")["vendors"]:
            if entry["name"] == vendor:
                return str(entry["base_url"])
        raise ConfigError(f"vendor {vendor!r} is not served by {self.server.root}")

    def store(self, vendor: Any) -> Any:
        raise ConfigError("store() needs an in-process server; against --mockbi-url use arrange(), the journal "
                          "and the vendors' own API")

    def locked(self) -> Any:
        raise ConfigError("locked() needs an in-process server; against --mockbi-url use arrange()")

    @property
    def journal(self) -> CallList:
        calls = self.server.request("GET", f"/journal?after={self._first_seq}&reveal=1")["calls"]
        return CallList(_call(entry) for entry in calls)

    def calls(self, vendor: str | None = None, operation_id: str | None = None) -> CallList:
        return self.journal.filter(vendor=vendor, operation_id=operation_id)

    @property
    def clock(self) -> RemoteClock:
        return RemoteClock(self.server)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def fault(self, vendor: str, operation_id: str = "*", **action: Any) -> dict[str, Any]:
        return dict(self.server.request("POST", "/faults", {"vendor": vendor, "operation_id": operation_id, **action}))

    def reset(self, seed: int | None = None, scenario: str | None = None) -> None:
        body = {k: v for k, v in (("seed", seed), ("scenario", scenario)) if v is not None}
        self.server.request("POST", "/reset", body)
        self._first_seq = 0

    def arrange(self, vendor: str, fragment: dict[str, Any]) -> dict[str, list[Any]]:
        return dict(self.server.request("POST", f"/{vendor}/arrange", fragment)["created"])

    def snapshot(self, name: str) -> None:
        self.server.request("POST", "/snapshots", {"name": name})

    def restore(self, name: str) -> None:
        self.server.request("POST", f"/snapshots/{name}/restore", {})

    def export_state(self) -> dict[str, Any]:
        """The tenant's world as ``GET /__mockbi/state`` returns it."""
        return dict(self.server.request("GET", "/state"))

    def import_state(self, document: dict[str, Any]) -> None:
        """Replace the tenant's world with an exported document (``RemoteError`` naming the problem if bad)."""
        self.server.request("PUT", "/state", document)

    def stub(self, vendor: str, operation: str | None = None, *, method: str | None = None,
             path: str | None = None, query: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             body: Any = None, status: int = 200, json: Any = None, text: str | None = None,
             response_headers: dict[str, str] | None = None, content_type: str | None = None,
             times: int | None = None) -> dict[str, Any]:
        """The in-process ``stub()`` over the admin API: the server checks the answer against the operation's
        contract and a refusal is a ``RemoteError`` listing the violations."""
        from mockbi.core.stubs import stub_spec

        spec = stub_spec(vendor, operation, method=method, path=path, query=query, headers=headers, body=body,
                         status=status, json=json, text=text, response_headers=response_headers,
                         content_type=content_type, times=times)
        return dict(self.server.request("POST", "/stubs", spec))

    @property
    def stubs(self) -> list[dict[str, Any]]:
        """The registered stubs, newest first (``hits`` counts the calls each answered)."""
        return list(self.server.request("GET", "/stubs")["stubs"])

    def clear_stubs(self) -> None:
        self.server.request("DELETE", "/stubs")

    def verify(self, operation_id: str | None = None, *, times: int | None = None, json: Any = None,
               vendor: str | None = None, method: str | None = None, status: int | None = None,
               path: str | None = None, body: dict[str, Any] | None = None) -> CallList:
        """The in-process ``verify()``: assert the client made ``times`` calls (default: at least one) matching
        the question since the test started; the ``AssertionError`` shows the closest calls and how each
        differs. The question is answered here, from the tenant's journal."""
        from mockbi.core.journal_query import verify

        return CallList(verify(list(self.journal), self.server.operations, operation_id, times=times, json=json,
                               vendor=vendor, method=method, status=status, path=path, body=body))

    def violations(self) -> list[tuple[str, Violation]]:
        return self.journal.violations()

    def assert_no_violations(self) -> None:
        found = self.violations()
        if found:
            raise AssertionError(violations_message(found))
