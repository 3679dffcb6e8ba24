"""Hashboard through the ``mockbi`` fixture mockbi ships (one strict server per session, a fresh world per
test, contract violations fail the test); the world is seed 11's; a client that introspects first."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from graphql import GraphQLSchema, build_client_schema, get_introspection_query, parse, validate

from mockbi import MockbiHandle
from mockbi.vendors.hashboard.store import HashboardStore

ENDPOINT = "/api/graphql"


class HashboardClient:
    """What a typed GraphQL client does: introspect once, check each document against that schema, POST it."""

    def __init__(self, base_url: str, token: str | None) -> None:
        self.url = base_url + ENDPOINT
        self.token = token
        self.http = requests.Session()
        self._schema: GraphQLSchema | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": self.token} if self.token is not None else {}

    @property
    def schema(self) -> GraphQLSchema:
        if self._schema is None:
            resp = self.http.post(self.url, json={"query": get_introspection_query()}, headers=self.headers())
            assert resp.status_code == 200, resp.text
            self._schema = build_client_schema(resp.json()["data"])
        return self._schema

    def post(self, query: str, variables: dict[str, Any] | None = None, *, check: bool = True,
             **extra: Any) -> requests.Response:
        if check:
            problems = validate(self.schema, parse(query))
            assert not problems, problems
        body: dict[str, Any] = {"query": query, **extra}
        if variables is not None:
            body["variables"] = variables
        return self.http.post(self.url, json=body, headers=self.headers())

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """POST a valid document and return ``data``, asserting a clean 200 with no errors or defects."""
        resp = self.post(query, variables)
        assert resp.status_code == 200, resp.text
        assert "X-Mockbi-Violations" not in resp.headers
        body = resp.json()
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture
def hb(mockbi: MockbiHandle) -> MockbiHandle:
    """The shipped fixture's handle, the world rebuilt from seed 11 (the default scenario)."""
    mockbi.reset(seed=11, scenario="default")
    return mockbi


@pytest.fixture
def creds(hb: MockbiHandle) -> dict[str, str]:
    return requests.get(hb.url + "/__mockbi/info").json()["vendors"]["hashboard"]  # type: ignore[no-any-return]


@pytest.fixture
def client(hb: MockbiHandle, creds: dict[str, str]) -> HashboardClient:
    return HashboardClient(hb.url, creds["api_token"])


@pytest.fixture
def store(hb: MockbiHandle) -> HashboardStore:
    return hb.store(HashboardStore)


@pytest.fixture
def other_project(store: HashboardStore, creds: dict[str, str]) -> dict[str, str]:
    """The second seeded project and its own token."""
    pid = next(p for p in store.projects if p != creds["project_id"])
    return {"project_id": pid, "api_token": store.token_for(pid)}
