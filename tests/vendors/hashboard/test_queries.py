"""Every documented query path of the Hashboard public API, over real HTTP."""

from __future__ import annotations

import re
from typing import Any

import requests

from mockbi import MockbiHandle

from .conftest import HashboardClient

#: the docs' curl example, byte for byte (the client substitutes PROJECT_ID)
DOCS_CURL_BODY = '{"query": "{ project(projectId: \\"PROJECT_ID\\") { name models { name } } }"}'

GRN = re.compile(r"^(m|sv|mtr|dsb):[A-Za-z0-9_-]+(:[A-Za-z0-9_]+)?$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

EVERYTHING = """
query Everything($id: ID!) {
  project(projectId: $id) {
    id name
    models { grn name spec viewsLastTwoWeeks savedExplorations { grn name spec viewsLastTwoWeeks } }
    metrics { grn name spec }
    dashboards { grn name spec viewsLastTwoWeeks }
    users { id fullName displayName email roles }
    roles { id name description permissionRules { name resources permissions
      datasourceCredentials { datasourceName datasourceId credentialName credentialId } } }
  }
}
"""


def everything(client: HashboardClient, project_id: str) -> dict[str, Any]:
    return client.data(EVERYTHING, {"id": project_id})["project"]  # type: ignore[no-any-return]


def test_docs_curl_example_verbatim(hb: MockbiHandle, creds: dict[str, str]) -> None:
    body = DOCS_CURL_BODY.replace("PROJECT_ID", creds["project_id"])
    resp = requests.post(hb.url + "/api/graphql", data=body,
                         headers={"Authorization": creds["api_token"], "Content-Type": "application/json"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    project = resp.json()["data"]["project"]
    assert project["name"] == "Acme Analytics"
    assert [m["name"] for m in project["models"]] == ["Orders", "Invoices", "Web Sessions"]
    assert set(project) == {"name", "models"}


def test_every_field_of_the_schema(client: HashboardClient, creds: dict[str, str]) -> None:
    project = everything(client, creds["project_id"])
    assert project["id"] == creds["project_id"] and UUID.match(project["id"])
    resources = project["models"] + project["metrics"] + project["dashboards"] + [
        sv for m in project["models"] for sv in m["savedExplorations"]]
    assert len(resources) == 3 + 2 + 2 + 6
    for res in resources:
        assert GRN.match(res["grn"]), res["grn"]
        assert res["spec"]["grn"] == res["grn"] and res["spec"]["name"] == res["name"]
        assert res["spec"]["hbVersion"] == "1.0"
    for res in project["models"] + project["dashboards"]:
        assert isinstance(res["viewsLastTwoWeeks"], int) and res["viewsLastTwoWeeks"] >= 0
    assert {u["roles"][0] for u in project["users"][:1]} == {"Owner"}
    assert all(u["email"] and "@" in u["email"] for u in project["users"])
    assert [r["name"] for r in project["roles"]] == ["Owner", "Editor", "Collaborator Plus", "Collaborator",
                                                     "Viewer", "Finance Analyst"]


def test_grns_and_spec_types_follow_the_resource_grammar(client: HashboardClient, creds: dict[str, str]) -> None:
    project = everything(client, creds["project_id"])
    prefixes = {"model": "m", "saved_exploration": "sv", "metric": "mtr", "dashboard": "dsb"}
    models = project["models"]
    for res in models + project["metrics"] + project["dashboards"]:
        assert res["grn"].split(":")[0] == prefixes[res["spec"]["type"]]
        if "alias" in res["spec"]:
            assert res["grn"].endswith(":" + res["spec"]["alias"])
        else:
            assert res["grn"].count(":") == 1
    # code-managed models get UUIDv3 ids, app-created ones 16-character ids
    ids = {m["name"]: m["grn"].split(":")[1] for m in models}
    assert UUID.match(ids["Orders"]) and ids["Orders"][14] == "3"
    assert re.match(r"^[A-Za-z0-9_-]{16}$", ids["Web Sessions"])


def test_aliases_are_unique_within_a_project(client: HashboardClient, creds: dict[str, str]) -> None:
    project = everything(client, creds["project_id"])
    specs = [r["spec"] for r in project["models"] + project["metrics"] + project["dashboards"]]
    specs += [sv["spec"] for m in project["models"] for sv in m["savedExplorations"]]
    aliases = [s["alias"] for s in specs if "alias" in s]
    assert len(aliases) == len(set(aliases)) >= 8


def test_specs_refer_to_existing_resources(client: HashboardClient, creds: dict[str, str]) -> None:
    project = everything(client, creds["project_id"])
    model_refs = {}
    for m in project["models"]:
        alias = m["spec"].get("alias")
        model_refs[m["grn"]] = f"m::{alias}" if alias else m["grn"]
        assert {"description", "source", "cols"} <= set(m["spec"])
        col_ids = {c["id"] for c in m["spec"]["cols"]}
        for sv in m["savedExplorations"]:
            assert sv["spec"]["type"] == "saved_exploration"
            assert sv["spec"]["model"] == model_refs[m["grn"]]  # a saved exploration names its own model
            assert sv["spec"]["data"]["x"] in col_ids and set(sv["spec"]["data"]["y"]) <= col_ids
    sv_refs = {f"sv::{sv['spec']['alias']}" for m in project["models"] for sv in m["savedExplorations"]
               if "alias" in sv["spec"]}
    for d in project["dashboards"]:
        blocks = [b for s in d["spec"]["sections"] for r in s["rows"] for b in r["blocks"]]
        refs = [b["savedExploration"] for b in blocks if b["type"] == "savedExploration"]
        assert refs and set(refs) <= sv_refs
        assert all(1 <= b["width"] <= 12 for b in blocks)
    for metric in project["metrics"]:
        assert metric["spec"]["type"] == "metric"
        assert metric["spec"]["config"]["dataModel"] in model_refs.values()
        assert metric["spec"]["config"]["metricType"] == "timeseries"


def test_roles_carry_permission_rules_and_datasource_credentials(client: HashboardClient,
                                                                creds: dict[str, str]) -> None:
    project = everything(client, creds["project_id"])
    roles = {r["name"]: r for r in project["roles"]}
    assert roles["Owner"]["permissionRules"][0]["resources"] == ["*"]
    assert "READ_DATA_MODEL" in roles["Viewer"]["permissionRules"][0]["permissions"]
    finance = roles["Finance Analyst"]["permissionRules"][0]
    model_grns = {m["name"]: m["grn"] for m in project["models"]}
    assert finance["resources"] == [model_grns["Orders"], model_grns["Invoices"]]
    assert finance["datasourceCredentials"] == [{
        "datasourceName": "Snowflake Warehouse", "datasourceId": finance["datasourceCredentials"][0]["datasourceId"],
        "credentialName": "finance_full", "credentialId": finance["datasourceCredentials"][0]["credentialId"]}]
    members = [u for u in project["users"] if "Finance Analyst" in u["roles"]]
    assert len(members) == 2 and all(len(u["roles"]) == 2 for u in members)


def test_interface_fragments_aliases_and_typename(client: HashboardClient, creds: dict[str, str]) -> None:
    query = """
    fragment R on Resource { __typename grn name }
    query($p: ID!) { p: project(projectId: $p) {
      first: models { ...R ... on Model { views: viewsLastTwoWeeks } }
      metrics { ...R }
    } }"""
    data = client.data(query, {"p": creds["project_id"]})["p"]
    assert {m["__typename"] for m in data["first"]} == {"Model"}
    assert all(isinstance(m["views"], int) for m in data["first"])
    assert {m["__typename"] for m in data["metrics"]} == {"Metric"}


def test_undocumented_fields_fail_validation(client: HashboardClient, creds: dict[str, str]) -> None:
    query = '{ project(projectId: "%s") { savedExplorations { grn } metrics { viewsLastTwoWeeks } } }'
    query %= creds["project_id"]
    resp = client.post(query, check=False)
    assert resp.status_code == 200
    body = resp.json()
    assert "data" not in body
    assert [e["message"] for e in body["errors"]] == [
        "Cannot query field 'savedExplorations' on type 'Project'.",
        "Cannot query field 'viewsLastTwoWeeks' on type 'Metric'."]
    assert body["errors"][0]["locations"] == [{"line": 1, "column": query.index("savedExplorations") + 1}]


def test_multiple_operations_need_an_operation_name(client: HashboardClient, creds: dict[str, str]) -> None:
    doc = 'query A { project(projectId: "%s") { name } } query B { project(projectId: "x") { id } }'
    doc %= creds["project_id"]
    resp = client.post(doc, operationName="A")
    assert resp.json() == {"data": {"project": {"name": "Acme Analytics"}}}
    assert resp.headers["X-Mockbi-Operation"] == "Query.project"
    resp = client.post(doc)
    assert resp.json()["errors"][0]["message"] == "Must provide operation name if query contains multiple operations."


def test_other_project_sees_its_own_world(client: HashboardClient, other_project: dict[str, str],
                                          hb: MockbiHandle) -> None:
    mine = HashboardClient(hb.url, other_project["api_token"])
    project = everything(mine, other_project["project_id"])
    assert project["name"] == "Marketing Sandbox"
    assert [m["spec"]["alias"] for m in project["models"]] == ["campaigns"]
    assert len(project["users"]) == 3
