"""PostHog through the ``mockbi`` fixture mockbi ships (one strict server per session, a fresh world per test,
contract violations fail the test); a small client helper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockbi import MockbiHandle
from mockbi.vendors.posthog.store import PostHogStore


class PostHog:
    """A requests session bound to the mock, with the seeded credentials at hand."""

    def __init__(self, server: MockbiHandle) -> None:
        self.server = server
        self.url = server.url
        self.http = requests.Session()
        self.refresh()

    def refresh(self) -> None:
        creds = requests.get(f"{self.url}/__mockbi/info", timeout=10).json()["vendors"]["posthog"]
        self.creds: dict[str, Any] = creds
        self.key: str = creds["personal_api_key"]
        self.pid: int = creds["project_id"]
        self.keys: dict[str, str] = creds["keys"]
        self.session: dict[str, str] = creds["session_cookie"]

    @property
    def store(self) -> PostHogStore:
        store = self.server.runtime.store("posthog")
        assert isinstance(store, PostHogStore)
        return store

    def path(self, rest: str = "", project: Any = None) -> str:
        return f"{self.url}/api/projects/{self.pid if project is None else project}/dashboards/{rest}"

    def call(self, method: str, url: str, *, key: str | None | bool = True, session: bool = False,
             **kw: Any) -> requests.Response:
        headers = dict(kw.pop("headers", {}) or {})
        if key is True:
            key = self.key
        if isinstance(key, str):
            headers.setdefault("Authorization", f"Bearer {key}")
        if session:
            kw["cookies"] = self.session
        resp = self.http.request(method, url, headers=headers, timeout=10, **kw)
        assert "X-Mockbi-Violations" not in resp.headers, resp.headers["X-Mockbi-Violations"]
        return resp

    def get(self, url: str, **kw: Any) -> requests.Response:
        return self.call("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> requests.Response:
        return self.call("POST", url, **kw)

    def patch(self, url: str, **kw: Any) -> requests.Response:
        return self.call("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> requests.Response:
        return self.call("DELETE", url, **kw)

    def dashboard_named(self, name: str) -> int:
        return next(d.id for d in self.store.dashboards.values() if d.name == name)


@pytest.fixture
def ph(mockbi: MockbiHandle) -> Iterator[PostHog]:
    client = PostHog(mockbi)
    yield client
    client.http.close()


def hog(resp: requests.Response, status: int, code: str, detail: str | None = None, attr: Any = "") -> dict[str, Any]:
    """Assert a PostHog error body; returns it."""
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == "application/json"
    body: dict[str, Any] = resp.json()
    assert set(body) == {"type", "code", "detail", "attr"}
    assert body["code"] == code, body
    if detail is not None:
        assert body["detail"] == detail, body
    if attr != "":
        assert body["attr"] == attr, body
    return body
