"""Lightdash through the ``mockbi`` fixture mockbi ships (one strict server per session, a fresh world per
test, contract violations fail the test), and a small client that speaks like the Lightdash Python SDK
(``Authorization: ApiKey <token>``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
import requests

from mockbi.handle import MockbiHandle
from mockbi.vendors.lightdash.store import LightdashStore

T = TypeVar("T")


class LightdashClient:
    """HTTP against the mock with the seeded admin's token (or another token / a session)."""

    def __init__(self, server: MockbiHandle) -> None:
        self.server = server
        self.url = server.url
        self.http = requests.Session()
        self.creds = self.store.credentials()
        self.token: str | None = self.creds["personal_access_token"]
        self.project_uuid: str = self.creds["project_uuid"]

    @property
    def store(self) -> LightdashStore:
        store = self.server.runtime.store("lightdash")
        assert isinstance(store, LightdashStore)
        return store

    def call(self, fn: Callable[[], T]) -> T:
        """``fn()`` holding the server's handler lock (a store change the server must not see half-made)."""
        with self.server.locked():
            return fn()

    def request(self, method: str, path: str, *, token: str | None = ..., headers: dict[str, str] | None = None,
                **kwargs: Any) -> requests.Response:  # type: ignore[assignment]
        hdrs = dict(headers or {})
        tok = self.token if token is ... else token
        if tok is not None and "Authorization" not in hdrs:
            hdrs["Authorization"] = f"ApiKey {tok}"
        resp = self.http.request(method, self.url + path, headers=hdrs, **kwargs)
        assert "X-Mockbi-Violations" not in resp.headers, resp.headers["X-Mockbi-Violations"]
        return resp

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PATCH", path, **kw)

    def put(self, path: str, **kw: Any) -> requests.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        """Call and assert a success envelope with ``status``; returns ``results`` (None if absent)."""
        resp = self.request(method, path, **kw)
        assert resp.status_code == status, resp.text
        body = resp.json()
        assert body["status"] == "ok", body
        return body.get("results")

    def error(self, method: str, path: str, status: int, name: str, **kw: Any) -> dict[str, Any]:
        """Call and assert a Lightdash error envelope; returns the ``error`` object."""
        resp = self.request(method, path, **kw)
        assert resp.status_code == status, resp.text
        body = resp.json()
        assert body["status"] == "error" and body["error"]["name"] == name, body
        assert body["error"]["statusCode"] == status
        return body["error"]  # type: ignore[no-any-return]

    def login(self, email: str | None = None, password: str | None = None) -> requests.Session:
        """A session logged in through POST /api/v1/login (cookie ``connect.sid``)."""
        session = requests.Session()
        resp = session.post(self.url + "/api/v1/login", json={"email": email or self.creds["email"],
                                                              "password": password or self.creds["password"]})
        assert resp.status_code == 200, resp.text
        return session

    def user(self, role: str) -> Any:
        """The first active, non-pending seeded member with an organization ``role``."""
        org = self.creds["organization_uuid"]
        return next(u for u in self.store.users.values()
                    if u.role == role and u.isActive and not u.isPending and u.organizationUuid == org)

    def token_for(self, role: str) -> str:
        """A fresh personal access token for the first member with ``role``."""
        return self.call(lambda: self.store.issue_token(self.user(role).userUuid).token)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def exercised() -> dict[str, set[int]]:
    """operationId -> statuses the session's tests got back (read by test_operation_coverage.py)."""
    return defaultdict(set)


@pytest.fixture
def ld(mockbi: MockbiHandle, exercised: dict[str, set[int]]) -> Iterator[LightdashClient]:
    yield LightdashClient(mockbi)
    for call in mockbi.journal:
        if call.vendor == "lightdash" and call.operation_id:
            exercised[call.operation_id].add(call.status)


class Api:
    """The seeded admin's ``ApiKey`` against the shipped ``mockbi`` fixture's server."""

    def __init__(self, mockbi: MockbiHandle) -> None:
        creds = mockbi.credentials["lightdash"]
        self.mockbi = mockbi
        self.url, self.project = mockbi.url, creds["project_uuid"]
        self.headers = {"Authorization": f"ApiKey {creds['personal_access_token']}"}

    @property
    def store(self) -> LightdashStore:
        store = self.mockbi.store("lightdash")
        assert isinstance(store, LightdashStore)
        return store

    def call(self, method: str, path: str, *, raw: bytes | None = None, **kw: Any) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        if raw is not None:
            headers["Content-Type"] = "application/json"
            kw["data"] = raw
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kw)

    def ok(self, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        """Call and assert a success envelope with ``status``; returns ``results`` (None if absent)."""
        resp = self.call(method, path, **kw)
        assert resp.status_code == status, resp.text
        body = resp.json()
        assert body["status"] == "ok", body
        return body.get("results")

    def error(self, method: str, path: str, status: int, name: str, **kw: Any) -> dict[str, Any]:
        """Call and assert a Lightdash error envelope; returns the ``error`` object."""
        resp = self.call(method, path, **kw)
        assert resp.status_code == status, resp.text
        body = resp.json()
        assert body["status"] == "error" and body["error"]["name"] == name, body
        assert body["error"]["statusCode"] == status
        return body["error"]  # type: ignore[no-any-return]


@pytest.fixture
def api(mockbi: MockbiHandle, exercised: dict[str, set[int]]) -> Iterator[Api]:
    """Lightdash through the plugin's ``mockbi`` fixture; its calls count for the operation coverage check."""
    yield Api(mockbi)
    for call in mockbi.journal:
        if call.vendor == "lightdash" and call.operation_id:
            exercised[call.operation_id].add(call.status)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The operation coverage check judges what every other test exercised: it runs last."""
    last = [item for item in items if item.path.name == "test_operation_coverage.py"]
    items[:] = [item for item in items if item not in last] + last
