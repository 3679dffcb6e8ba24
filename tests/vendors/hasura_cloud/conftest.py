"""Hasura Cloud through the ``mockbi`` fixture mockbi ships (one strict server per session, a fresh world per
test, contract violations fail the test); a small Hasura Cloud client."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi import MockbiHandle

INTROSPECT = """
query {
  __schema {
    queryType { name fields { name args { name type { kind name ofType { kind name ofType { kind name } } } } } }
    mutationType { name fields { name } }
  }
}
"""


class CloudClient:
    """Talks to ``/v1/graphql`` like a real client: introspects first, then sends operations it found."""

    def __init__(self, base_url: str, token: str | None) -> None:
        self.url = f"{base_url}/v1/graphql"
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"pat {token}"
        schema = self.raw(INTROSPECT)["data"]["__schema"]
        self.query_fields = {f["name"] for f in schema["queryType"]["fields"]}
        self.mutation_fields = {f["name"] for f in (schema["mutationType"] or {}).get("fields", [])}

    def raw(self, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
        body = {"query": query, **({"variables": variables} if variables is not None else {}), **extra}
        resp = self.session.post(self.url, json=body, timeout=10)
        assert resp.status_code == 200, resp.text
        assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "X-Mockbi-Violations" not in resp.headers, resp.headers["X-Mockbi-Violations"]
        return resp.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """Run an operation that must succeed; returns ``data``."""
        body = self.raw(query, variables)
        assert "errors" not in body, body
        return body["data"]

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation that must fail the Hasura way; returns the single error entry."""
        body = self.raw(query, variables)
        assert "data" not in body, body
        assert len(body["errors"]) == 1, body
        return body["errors"][0]  # type: ignore[no-any-return]


class Server:
    """The admin API of the shipped fixture's server, as the tests call it over HTTP."""

    def __init__(self, handle: MockbiHandle) -> None:
        self.handle = handle
        self.url = handle.url

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        resp = requests.post(f"{self.url}/__mockbi/{path}", json=body or {}, timeout=10)
        assert resp.status_code in (200, 201), resp.text
        return resp.json()

    def reset(self, **body: Any) -> dict[str, Any]:
        info = self.admin("reset", body)
        return info["vendors"]["hasura_cloud"]  # type: ignore[no-any-return]

    def advance(self, seconds: float) -> None:
        self.admin("clock", {"advance": seconds})

    def client(self, token: str | None) -> CloudClient:
        return CloudClient(self.url, token)


@pytest.fixture
def server(mockbi: MockbiHandle) -> Server:
    return Server(mockbi)


@pytest.fixture
def creds(server: Server) -> dict[str, Any]:
    """Reset the world (default scenario, seed 0) and return ``credentials()``."""
    return server.reset(seed=0, scenario="default")


@pytest.fixture
def cloud(server: Server, creds: dict[str, Any]) -> CloudClient:
    client = server.client(creds["personal_access_token"])
    assert {"projects", "tenant_by_pk", "getTenantEnv", "jobs_by_pk"} <= client.query_fields
    return client
