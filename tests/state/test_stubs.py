"""Contract-checked stubs over HTTP: registered from the handle or ``POST /__mockbi/stubs``, checked against
the operation's contract, answering before the fake, journaled, and cleared by reset."""

from __future__ import annotations

import pytest

from mockbi.core.stubs import StubRejected
from mockbi.handle import MockbiHandle

from .conftest import World


def _dashboard_path(world: World) -> tuple[str, dict[str, object]]:
    listed = world.posthog_call("GET", "/dashboards/").json()["results"]
    path = f"/api/projects/{world.posthog['project_id']}/dashboards/{listed[0]['id']}/"
    real = world.posthog_call("GET", f"/dashboards/{listed[0]['id']}/").json()
    return path, real


def test_a_stub_answers_instead_of_the_fake_and_is_journaled(world: World, mockbi: MockbiHandle) -> None:
    path, real = _dashboard_path(world)
    canned = {**real, "name": "Canned by a stub", "description": "not in the store"}
    stub = mockbi.stub("posthog", method="GET", path=path, json=canned)
    resp = world.http.get(world.url + path, timeout=10)  # stubs answer before auth, like WireMock's
    assert resp.status_code == 200 and resp.json() == canned
    assert resp.headers["X-Mockbi-Stub"] == stub.id
    assert resp.headers["X-Mockbi-Operation"] == "dashboards_retrieve"
    call = mockbi.journal.filter(operation_id="dashboards_retrieve").last
    assert call.stub == stub.id and call.response_json == canned
    journal = world.admin("GET", "/journal", params={"operation": "dashboards_retrieve"}).json()["calls"]
    assert journal[-1]["stub"] == stub.id
    other = world.posthog_call("GET", "/dashboards/")
    assert "X-Mockbi-Stub" not in other.headers  # another operation: the fake answers
    assert mockbi.stubs[0].hits == 1


def test_a_stub_breaking_the_contract_is_refused_with_its_violations(world: World, mockbi: MockbiHandle) -> None:
    path, real = _dashboard_path(world)
    resp = world.admin("POST", "/stubs", json={
        "vendor": "posthog", "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {**real, "name": 42, "pinned": "yes"}}})
    assert resp.status_code == 400
    body = resp.json()
    assert "breaks the contract of posthog dashboards_retrieve" in body["error"]
    assert len(body["violations"]) == 2
    assert any("pinned" in v for v in body["violations"]) and any("name" in v for v in body["violations"])
    with pytest.raises(StubRejected) as raised:
        mockbi.stub("posthog", "dashboards_retrieve", json={"id": "not a number"})
    assert raised.value.violations
    assert world.admin("GET", "/stubs").json() == {"stubs": []}


def test_times_then_the_fake_answers_again(world: World, mockbi: MockbiHandle) -> None:
    path, real = _dashboard_path(world)
    not_found = world.posthog_call("GET", "/dashboards/999999/")
    assert not_found.status_code == 404
    mockbi.stub("posthog", "dashboards_retrieve", status=404, json=not_found.json(), times=2)
    assert [world.http.get(world.url + path, timeout=10).status_code for _ in range(3)] == [404, 404, 401]
    assert world.posthog_call("GET", f"/dashboards/{real['id']}/").json() == real
    assert mockbi.stubs == []


def test_query_header_and_body_matchers(world: World, mockbi: MockbiHandle) -> None:
    listed = world.posthog_call("GET", "/dashboards/", params={"limit": "1"}).json()
    mockbi.stub("posthog", "dashboards_list", query={"limit": "1"}, headers={"X-Tenant": "blue"},
                json={**listed, "count": 1})
    assert world.posthog_call("GET", "/dashboards/", params={"limit": "1"}).json() == listed
    hit = world.posthog_call("GET", "/dashboards/", params={"limit": "1"}, headers={"X-Tenant": "blue"})
    assert hit.json()["count"] == 1 and "X-Mockbi-Stub" in hit.headers

    project = world.lightdash["project_uuid"]
    created = world.lightdash_call("POST", f"/projects/{project}/spaces", json={"name": "Real"}).json()
    canned = {**created, "results": {**created["results"], "name": "Stubbed", "uuid": "stubbed-uuid"}}
    mockbi.stub("lightdash", "CreateSpaceInProject", body={"name": "Stubbed"}, json=canned)
    assert world.lightdash_call("POST", f"/projects/{project}/spaces", json={"name": "Stubbed"}).json() == canned
    real = world.lightdash_call("POST", f"/projects/{project}/spaces", json={"name": "Other"})
    assert real.json()["results"]["name"] == "Other" and "X-Mockbi-Stub" not in real.headers


def test_graphql_stubs_are_checked_against_the_schema(world: World, mockbi: MockbiHandle) -> None:
    query = "query Mine { projects { id name created_at } }"
    real = world.hasura_query(query).json()
    canned = {"data": {"projects": [{**real["data"]["projects"][0], "name": "stubbed-project"}]}}
    stub = mockbi.stub("hasura_cloud", "query_root.projects", body={"operationName": "Mine"}, json=canned)
    resp = world.http.post(f"{world.url}/v1/graphql", json={"query": query, "operationName": "Mine"}, timeout=10)
    assert resp.json() == canned and resp.headers["X-Mockbi-Stub"] == stub.id
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    assert world.hasura_query(query).json() == real  # no operationName: not matched

    bad = world.admin("POST", "/stubs", json={
        "vendor": "hasura_cloud", "request": {"operation": "query_root.projects"},
        "response": {"body": {"data": {"projects": [{"id": "x", "name": None, "colour": "red"}]}}}})
    assert bad.status_code == 400
    assert bad.json()["violations"] == ["data.projects.0.name: null for non-null String!",
                                        "data.projects.0: projects has no field 'colour'"]

    aliased = {"data": {"mine": canned["data"]["projects"]}}  # a client that aliases the root field
    mockbi.stub("hasura_cloud", "query_root.projects", body={"operationName": "Aliased"}, json=aliased)
    resp = world.http.post(f"{world.url}/v1/graphql", json={
        "query": "query Aliased { mine: projects { id name created_at } }", "operationName": "Aliased"}, timeout=10)
    assert resp.json() == aliased
    two = world.admin("POST", "/stubs", json={"vendor": "hasura_cloud", "request": {"operation": "query_root.projects"},
                                              "response": {"body": {"data": {"a": [], "b": []}}}})
    assert two.status_code == 400 and "one answer of 'projects'" in two.json()["violations"][0]


@pytest.mark.parametrize(("stub", "message"), [
    ({"vendor": "nope"}, "vendor must be one of"),
    ({"vendor": "posthog", "request": {"operation": "nope"}}, "posthog has no operation 'nope'"),
    ({"vendor": "posthog", "request": {"method": "GET", "path": "/api/nowhere"}}, "no posthog operation answers"),
    ({"vendor": "posthog", "request": {"operation": "dashboards_list", "colour": 1}}, "unknown request field"),
    ({"vendor": "posthog", "request": {"operation": "dashboards_list"}, "times": 0}, "times must be"),
    ({"vendor": "hasura_cloud", "request": {"method": "POST", "path": "/v1/graphql"}}, "names its operation"),
])
def test_bad_stub_requests_are_400s(world: World, stub: dict[str, object], message: str) -> None:
    resp = world.admin("POST", "/stubs", json=stub)
    assert resp.status_code == 400 and message in resp.json()["error"]


def test_admin_list_delete_and_reset(world: World, mockbi: MockbiHandle) -> None:
    listed = world.posthog_call("GET", "/dashboards/").json()
    first = world.admin("POST", "/stubs", json={"vendor": "posthog", "request": {"operation": "dashboards_list"},
                                                "response": {"body": listed}})
    assert first.status_code == 201
    second = world.admin("POST", "/stubs", json={"vendor": "posthog", "request": {"operation": "dashboards_list"},
                                                 "response": {"body": listed}, "times": 3})
    ids = [s["id"] for s in world.admin("GET", "/stubs").json()["stubs"]]
    assert ids == [second.json()["id"], first.json()["id"]]  # newest first
    assert world.admin("DELETE", f"/stubs/{first.json()['id']}").status_code == 204
    assert world.admin("DELETE", f"/stubs/{first.json()['id']}").status_code == 404
    assert len(world.admin("GET", "/stubs").json()["stubs"]) == 1
    world.admin("POST", "/reset")
    assert world.admin("GET", "/stubs").json() == {"stubs": []}
    mockbi.stub("posthog", "dashboards_list", json=listed)
    assert world.admin("DELETE", "/stubs").status_code == 204 and mockbi.stubs == []
