"""Hostile input to Hashboard: the arrange route refuses what Hashboard could not store before storing it,
and every resource stays readable; the GraphQL endpoint answers null, numbers, strings, arrays and NUL in
its own shapes (issue 12: A3, D18). Through the shipped ``mockbi`` fixture."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from mockbi.handle import MockbiHandle

MODELS = "query($id: ID!) { project(projectId: $id) { models { grn name spec viewsLastTwoWeeks } } }"


class Hashboard:
    def __init__(self, mockbi: MockbiHandle) -> None:
        creds = mockbi.credentials["hashboard"]
        self.root, self.token, self.project = mockbi.url, creds["api_token"], creds["project_id"]

    def graphql(self, raw: bytes) -> requests.Response:
        return requests.post(f"{self.root}/api/graphql", data=raw, timeout=10,
                             headers={"Authorization": self.token, "Content-Type": "application/json"})

    def models(self) -> list[dict[str, Any]]:
        resp = self.graphql(json.dumps({"query": MODELS, "variables": {"id": self.project}}).encode())
        assert resp.status_code == 200, resp.text
        assert "errors" not in resp.json(), resp.text
        return list(resp.json()["data"]["project"]["models"])

    def arrange(self, raw: bytes) -> requests.Response:
        return requests.post(f"{self.root}/__mockbi/hashboard/resources", data=raw, timeout=10,
                             headers={"Content-Type": "application/json"})

    def arrange_model(self, **fields: Any) -> requests.Response:
        return self.arrange(json.dumps({"project_id": self.project, "type": "model", **fields}).encode())


@pytest.fixture
def hb(mockbi: MockbiHandle) -> Hashboard:
    return Hashboard(mockbi)


def deep(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(("fields", "error"), [
    ({"name": "Deep", "spec": {"cols": deep(300)}}, "spec.cols nests deeper than 200 levels"),
    ({"name": "Deep", "spec": {"source": {"a": [deep(250)]}}}, "spec.source nests deeper than 200 levels"),
    ({"name": "Nul\x00"}, "name holds a NUL character"),
    ({"name": "ok", "spec": {"description": "a\x00b"}}, "spec.description holds a NUL character"),
    ({"name": "ok", "spec": {"k\x00": 1}}, "spec.k\\x00 holds a NUL character"),
    ({"name": "Views", "viewsLastTwoWeeks": 2**40}, "viewsLastTwoWeeks is a non-negative integer up to 2147483647"),
])
def test_arranging_what_hashboard_could_not_store_changes_nothing(hb: Hashboard, fields: dict[str, Any],
                                                                  error: str) -> None:
    before = hb.models()
    resp = hb.arrange_model(**fields)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"].startswith(f"hashboard arrange: {error}")  # arrange names itself
    assert hb.models() == before


def test_updating_a_model_with_a_deep_spec_keeps_its_old_spec(hb: Hashboard) -> None:
    before = hb.models()
    grn = before[0]["grn"]
    resp = hb.arrange_model(id=grn.split(":")[1], spec={"cols": deep(300)})
    assert resp.status_code == 400 and "nests deeper" in resp.json()["error"]
    assert hb.models() == before
    fine = hb.arrange_model(id=grn.split(":")[1], spec={"cols": deep(150)})
    assert fine.status_code == 200, fine.text
    assert hb.models()[0]["spec"]["cols"] == deep(150)


@pytest.mark.parametrize("raw", [b"null", b"5", b'"x"', b"[1]", b"[]", b'{"project_id": null}',
                                 b'{"project_id": "p", "name": "\\ud800"}'])
def test_the_arrange_route_refuses_what_is_no_arrangement(hb: Hashboard, raw: bytes) -> None:
    before = hb.models()
    resp = hb.arrange(raw)
    assert resp.status_code == 400 and isinstance(resp.json()["error"], str)
    assert hb.models() == before


@pytest.mark.parametrize("raw", [b"null", b"5", b'"query"', b"[1]", b"[]", b"true"])
def test_a_graphql_body_that_is_no_object_is_a_400_in_hashboards_envelope(hb: Hashboard, raw: bytes) -> None:
    resp = hb.graphql(raw)
    assert resp.status_code == 400
    doc = resp.json()
    assert set(doc) == {"error", "errors"} and doc["errors"] == [{"message": doc["error"]}]


@pytest.mark.parametrize(("value", "message"), [
    ("a\x00b", "Project a\x00b not found, or this API token does not have access to it."),
    (5, "Project 5 not found, or this API token does not have access to it."),
    ([1], "Variable '$id' has invalid value: ID cannot represent value: [1]"),
    (None, "Variable '$id' has invalid value: Expected value of non-null type 'ID!' not to be None."),
])
def test_odd_project_ids_are_graphql_errors(hb: Hashboard, value: Any, message: str) -> None:
    resp = hb.graphql(json.dumps({"query": MODELS, "variables": {"id": value}}).encode())
    assert resp.status_code == 200
    assert resp.json()["errors"][0]["message"] == message
    assert hb.models()


@pytest.mark.parametrize("user_id", [{"a": 1}, [1], 5, "nobody\x00"])
def test_an_access_key_for_no_user_string_is_refused(hb: Hashboard, user_id: Any) -> None:
    resp = requests.post(f"{hb.root}/__mockbi/hashboard/access-keys", timeout=10,
                         data=json.dumps({"project_id": hb.project, "user_id": user_id}),
                         headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and "user" in resp.json()["error"]
    assert hb.models()
