"""The seeded world: determinism, reset, scenarios, and arranging a project from tests."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockbi import MockbiConfig, MockbiHandle
from mockbi.server import ServerThread
from mockbi.vendors.hashboard.errors import ArrangeError
from mockbi.vendors.hashboard.store import HashboardStore

from .conftest import HashboardClient
from .test_queries import EVERYTHING


def snapshot_bytes(config: MockbiConfig) -> bytes:
    with ServerThread(config) as server:
        creds = requests.get(server.url + "/__mockbi/info").json()["vendors"]["hashboard"]
        resp = requests.post(server.url + "/api/graphql", json={"query": EVERYTHING, "variables": {
            "id": creds["project_id"]}}, headers={"Authorization": creds["api_token"]})
        assert resp.status_code == 200
        return creds["api_token"].encode() + resp.content


def test_same_seed_gives_identical_bytes() -> None:
    config = MockbiConfig(strict=True, vendors=("hashboard",), seed=5)
    first = snapshot_bytes(config)
    assert first == snapshot_bytes(config)
    assert first != snapshot_bytes(config.evolve(seed=6))


def upsert(hb: MockbiHandle, **body: Any) -> requests.Response:
    return requests.post(hb.url + "/__mockbi/hashboard/resources", json=body)


def test_reset_restores_the_world(hb: MockbiHandle, client: HashboardClient, creds: dict[str, str]) -> None:
    before = client.post(EVERYTHING, {"id": creds["project_id"]}).content
    resp = upsert(hb, project_id=creds["project_id"], type="model", name="Refunds", alias="refunds")
    assert resp.status_code == 201
    assert client.post(EVERYTHING, {"id": creds["project_id"]}).content != before
    requests.post(hb.url + "/__mockbi/reset", json={})
    assert client.post(EVERYTHING, {"id": creds["project_id"]}).content == before


def test_empty_scenario_has_a_project_and_no_resources(hb: MockbiHandle) -> None:
    requests.post(hb.url + "/__mockbi/reset", json={"scenario": "empty"})
    creds = requests.get(hb.url + "/__mockbi/info").json()["vendors"]["hashboard"]
    data = HashboardClient(hb.url, creds["api_token"]).data(
        "query($id: ID!) { project(projectId: $id) { name models { grn } metrics { grn } dashboards { grn } "
        "users { roles } roles { name } } }", {"id": creds["project_id"]})["project"]
    assert data["name"] == "Empty Project"
    assert data["models"] == data["metrics"] == data["dashboards"] == []
    assert data["users"] == [{"roles": ["Owner"]}] and len(data["roles"]) == 5


def test_arrange_a_project_over_http(hb: MockbiHandle, client: HashboardClient, creds: dict[str, str]) -> None:
    pid = creds["project_id"]
    model = upsert(hb, project_id=pid, type="model", name="Refunds", alias="refunds", viewsLastTwoWeeks=7,
                   spec={"description": "Refunds", "source": {"connectionName": "wh", "physicalName": "refunds"},
                         "cols": [{"id": "created_at", "type": "datetime", "name": "Created"}]})
    assert model.status_code == 201
    grn = model.json()["grn"]
    assert grn.startswith("m:") and grn.endswith(":refunds")
    sv = upsert(hb, project_id=pid, type="saved_exploration", name="Refunds weekly", alias="refunds_weekly",
                model="m::refunds", spec={"data": {"x": "created_at"}, "visualization": {"chartType": "line"}})
    assert sv.status_code == 201 and sv.json()["spec"]["model"] == "m::refunds"
    dash = upsert(hb, project_id=pid, type="dashboard", name="Refunds", spec={"sections": [{"rows": [{"blocks": [
        {"type": "savedExploration", "savedExploration": sv.json()["grn"], "width": 12}]}]}]})
    assert dash.status_code == 201
    block = dash.json()["spec"]["sections"][0]["rows"][0]["blocks"][0]
    assert block["savedExploration"] == "sv::refunds_weekly"
    metric = upsert(hb, project_id=pid, type="metric", name="Refund total", model=grn,
                    spec={"config": {"metricType": "timeseries"}})
    assert metric.json()["spec"]["config"]["dataModel"] == "m::refunds"
    assert metric.json()["viewsLastTwoWeeks"] is None
    # update by id: rename; the GraphQL API shows it, with its saved exploration
    rid = grn.split(":")[1]
    updated = upsert(hb, project_id=pid, type="model", id=rid, name="Refunds v2", viewsLastTwoWeeks=9)
    assert updated.status_code == 200 and updated.json()["grn"] == grn
    data = client.data('query($id: ID!) { project(projectId: $id) { models { grn name viewsLastTwoWeeks '
                       'savedExplorations { name } } } }', {"id": pid})["project"]["models"]
    assert data[-1] == {"grn": grn, "name": "Refunds v2", "viewsLastTwoWeeks": 9,
                        "savedExplorations": [{"name": "Refunds weekly"}]}


@pytest.mark.parametrize(("body", "needle"), [
    ({"type": "model", "name": "Dup", "alias": "orders"}, "already used"),
    ({"type": "model", "name": "Bad", "alias": "has space"}, "alias must be"),
    ({"type": "saved_exploration", "name": "Orphan"}, "needs the model"),
    ({"type": "saved_exploration", "name": "X", "model": "m::nope"}, "no model"),
    ({"type": "dashboard", "name": "D", "spec": {"sections": [{"rows": [{"blocks": [
        {"type": "savedExploration", "savedExploration": "sv::nope"}]}]}]}}, "no saved_exploration"),
    ({"type": "model", "name": "G", "spec": {"grn": "m:x"}}, "must not set"),
    ({"type": "widget", "name": "W"}, "type must be one of"),
    ({"type": "metric", "name": "M", "model": "m::orders", "viewsLastTwoWeeks": 3}, "metrics have none"),
    ({"type": "model", "name": "B", "viewsLastTwoWeeks": True}, "non-negative integer"),
])
def test_arranging_rejects_what_hashboard_could_not_hold(hb: MockbiHandle, client: HashboardClient,
                                                         creds: dict[str, str], body: dict[str, Any],
                                                         needle: str) -> None:
    before = client.post(EVERYTHING, {"id": creds["project_id"]}).content
    resp = upsert(hb, project_id=creds["project_id"], **body)
    assert resp.status_code == 400 and needle in resp.json()["error"]
    assert client.post(EVERYTHING, {"id": creds["project_id"]}).content == before


def test_store_api_for_python_tests(hb: MockbiHandle, store: HashboardStore, client: HashboardClient,
                                   creds: dict[str, str], other_project: dict[str, str]) -> None:
    def arrange() -> str:
        res, created = store.upsert_resource(creds["project_id"], "dashboard", name="From Python",
                                             alias="from_python", views=3)
        assert created
        with pytest.raises(ArrangeError):
            store.upsert_resource(other_project["project_id"], "dashboard", resource_id=res.id, name="steal")
        return res.grn

    with hb.locked():

        grn = arrange()
    names = client.data('query($id: ID!) { project(projectId: $id) { dashboards { grn name } } }',
                        {"id": creds["project_id"]})["project"]["dashboards"]
    assert names[-1] == {"grn": grn, "name": "From Python"}


def test_seeded_access_keys_belong_to_each_projects_owner(store: HashboardStore) -> None:
    for project in store.projects.values():
        key = next(k for k in store.access_keys.values() if k.project_id == project.id)
        owner = store.roles[project.members[key.user_id][0]]
        assert owner.name == "Owner"
        assert (key.expires_at - key.created_at).days == 365


def test_role_rules_follow_a_models_new_alias(hb: MockbiHandle, client: HashboardClient,
                                               creds: dict[str, str]) -> None:
    query = ('query($id: ID!) { project(projectId: $id) { models { grn } roles { name permissionRules '
             '{ resources } } } }')
    before = client.data(query, {"id": creds["project_id"]})["project"]
    orders = next(m["grn"] for m in before["models"] if m["grn"].endswith(":orders"))
    finance = next(r for r in before["roles"] if r["name"] == "Finance Analyst")
    assert orders in finance["permissionRules"][0]["resources"]
    renamed = upsert(hb, project_id=creds["project_id"], type="model", id=orders.split(":")[1], alias="sales")
    assert renamed.status_code == 200
    after = client.data(query, {"id": creds["project_id"]})["project"]
    resources = next(r for r in after["roles"] if r["name"] == "Finance Analyst")["permissionRules"][0]["resources"]
    assert orders.rsplit(":", 1)[0] + ":sales" in resources and orders not in resources
    assert all(r["permissionRules"][0]["resources"] == ["*"] for r in after["roles"] if r["name"] != "Finance Analyst")
