"""Request limits in Hashboard's error shapes, and resolver defects reported as mock defects."""

from __future__ import annotations

import requests

from mockbi import MockbiHandle
from mockbi.vendors.hashboard.store import HashboardStore

from .conftest import HashboardClient


def test_depth_limit(client: HashboardClient, creds: dict[str, str]) -> None:
    deep = f'{{ project(projectId: "{creds["project_id"]}") {{ ' + "a { " * 10 + "b" + " }" * 10 + " } }"
    resp = client.post(deep, check=False)
    assert resp.status_code == 200
    assert resp.json() == {"errors": [{"message": "Query depth 12 exceeds the maximum allowed depth of 10."}]}


def test_alias_and_field_limits(client: HashboardClient, creds: dict[str, str]) -> None:
    pid = creds["project_id"]
    aliased = "{ " + " ".join(f'p{i}: project(projectId: "{pid}") {{ name }}' for i in range(51)) + " }"
    body = client.post(aliased, check=False).json()
    assert body["errors"][0]["message"] == "Query has 51 aliases, more than the maximum of 50."
    wide = f'{{ project(projectId: "{pid}") {{ ' + " ".join(["name"] * 500) + " } }"
    body = client.post(wide, check=False).json()
    assert body == {"errors": [{"message": "Query has 501 fields, more than the maximum of 500."}]}
    ok = "{ " + " ".join(f'p{i}: project(projectId: "{pid}") {{ name }}' for i in range(50)) + " }"
    assert len(client.data(ok)) == 50


def test_body_size_limit_is_413_in_hashboard_envelope(hb: MockbiHandle, creds: dict[str, str]) -> None:
    query = f'{{ project(projectId: "{creds["project_id"]}") {{ name }} }}' + " " * 100_001
    resp = requests.post(hb.url + "/api/graphql", json={"query": query}, headers={"Authorization": creds["api_token"]})
    assert resp.status_code == 413
    message = "Request body exceeds the limit of 100000 bytes"
    assert resp.json() == {"error": message, "errors": [{"message": message}]}


def test_get_and_malformed_bodies(hb: MockbiHandle, creds: dict[str, str]) -> None:
    resp = requests.get(hb.url + "/api/graphql")
    assert resp.status_code == 405 and resp.headers["Allow"] == "POST"
    assert resp.json()["errors"][0]["message"] == resp.json()["error"]
    resp = requests.post(hb.url + "/api/graphql", data=b"{nope", headers={"Authorization": creds["api_token"]})
    assert resp.status_code == 400 and resp.json()["error"].startswith("Request body is not valid JSON")


def test_syntax_errors_are_graphql_errors(client: HashboardClient) -> None:
    resp = client.post("{ project(projectId: ", check=False)
    assert resp.status_code == 200
    assert resp.json() == {"errors": [{"message": "Syntax Error: Unexpected <EOF>.",
                                       "locations": [{"line": 1, "column": 22}]}]}


def test_resolver_defect_is_a_500_naming_the_field_in_strict_mode(client: HashboardClient, hb: MockbiHandle,
                                                                  store: HashboardStore,
                                                                  creds: dict[str, str]) -> None:
    project = store.projects[creds["project_id"]]

    def break_world() -> None:  # a bug in the world: a model without a name, a dangling key
        store.resources[project.resource_keys["model"][1]].name = None  # type: ignore[assignment]
        project.resource_keys["dashboard"].append("dsb:missing")

    with hb.locked():

        break_world()
    resp = client.post('query($id: ID!) { project(projectId: $id) { models { name } } }', {"id": project.id})
    assert resp.status_code == 500
    body = resp.json()
    assert body["operation"] == "Query.project"
    assert body["violations"] == ["response.project.models.1.name: Cannot return null for non-nullable field "
                                  "Model.name."]
    resp = client.post('query($id: ID!) { project(projectId: $id) { dashboards { grn } } }', {"id": project.id})
    assert resp.status_code == 500
    assert resp.json()["violations"] == [
        "response.project.dashboards: resolver Project.dashboards raised KeyError: 'dsb:missing'"]
    assert "Project.dashboards" in resp.headers["X-Mockbi-Violations"]
    journal = requests.get(hb.url + "/__mockbi/journal", params={"violations": "1"}).json()
    assert [c["violations"][0]["field"] for c in journal["calls"]] == ["project.models.1.name",
                                                                       "project.dashboards"]
    hb.runtime.journal.clear()  # the defects were provoked on purpose: the fixture must not fail the test


def test_bad_grn_value_is_a_defect(client: HashboardClient, hb: MockbiHandle, store: HashboardStore,
                                   creds: dict[str, str]) -> None:
    project = store.projects[creds["project_id"]]
    metric = store.resources[project.resource_keys["metric"][0]]
    with hb.locked():
        metric.alias = "a:b"
    resp = client.post('query($id: ID!) { project(projectId: $id) { metrics { grn } } }', {"id": project.id})
    assert resp.status_code == 500
    assert "GRN cannot represent" in resp.json()["violations"][0]
    hb.runtime.journal.clear()  # the defects were provoked on purpose: the fixture must not fail the test


def test_a_missing_nullable_field_is_a_defect_not_a_silent_null(client: HashboardClient, hb: MockbiHandle,
                                                                 store: HashboardStore, creds: dict[str, str]) -> None:
    project = store.projects[creds["project_id"]]
    role = store.roles[project.role_ids[0]]
    with hb.locked():  # a world bug on a nullable field
        role.permissionRules[0].pop("datasourceCredentials")
    resp = client.post('query($id: ID!) { project(projectId: $id) { roles { permissionRules '
                       '{ datasourceCredentials { credentialId } } } } }', {"id": project.id})
    assert resp.status_code == 500
    assert resp.json()["violations"] == ["response.project.roles.0.permissionRules.0.datasourceCredentials: no "
                                         "resolver for PermissionRule.datasourceCredentials and the object has no "
                                         "key 'datasourceCredentials'"]
    hb.runtime.journal.clear()  # the defects were provoked on purpose: the fixture must not fail the test
