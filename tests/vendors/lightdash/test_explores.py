"""Explores over HTTP: list and fetch, deploy with SetExplores, the /__mockbi/info project, and the same
seed giving byte-identical answers on two servers."""

from __future__ import annotations

import copy
from typing import Any

import requests

from mockbi import MockbiConfig
from mockbi.server import ServerThread
from tests.vendors.lightdash._dataplane_http import query


def test_get_explores_lists_summaries(ld: Any) -> None:
    explores = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/explores")
    assert {e["name"] for e in explores} == {"orders", "customers", "payments"}
    orders = next(e for e in explores if e["name"] == "orders")
    assert orders["databaseName"] == "analytics" and orders["schemaName"] == "jaffle_shop"
    assert orders["label"] == "Orders" and isinstance(orders["tags"], list)


def test_get_explore_and_unknown_explore(ld: Any) -> None:
    explore = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/explores/orders")
    assert explore["baseTable"] == "orders" and explore["targetDatabase"] == "postgres"
    assert {"customers", "payments"} <= set(explore["tables"])
    assert "status" in explore["tables"]["orders"]["dimensions"]
    assert "order_count" in explore["tables"]["orders"]["metrics"]
    error = ld.error("GET", f"/api/v1/projects/{ld.project_uuid}/explores/nope", 404, "NotExistsError")
    assert error["message"] == 'Explore "nope" does not exist.'
    ld.error("GET", "/api/v1/projects/no-such-project/explores", 404, "NotFoundError")


def test_set_explores_replaces_the_semantic_layer(ld: Any) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/explores"
    orders = ld.ok("GET", f"{base}/orders")
    renamed = copy.deepcopy(orders)
    renamed["name"], renamed["label"] = "orders_v2", "Orders v2"
    ld.error("PUT", base, 403, "ForbiddenError", json=[renamed], token=ld.token_for("editor"))
    resp = ld.put(base, json=[renamed, {"name": "broken", "label": "Broken", "tags": [],
                                        "errors": [{"type": "NO_DIMENSIONS", "message": "no dimensions"}]}])
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert {e["name"] for e in ld.ok("GET", base)} == {"orders_v2", "broken"}
    ld.error("GET", f"{base}/orders", 404, "NotExistsError")
    ld.error("GET", f"{base}/broken", 404, "NotExistsError")
    # the deployed explore queries the same warehouse table
    rows = ld.ok("POST", f"{base}/orders_v2/runQuery",
                 json=query("orders_v2", [], ["orders_order_count"]))["rows"]
    assert rows[0]["orders_order_count"]["value"]["raw"] == len(ld.store.data_planes[ld.project_uuid]
                                                                .warehouse.tables["orders"])
    metrics = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/dataCatalog/metrics")["data"]
    assert {m["tableName"] for m in metrics} == {"orders"}  # the deploy re-indexed the catalog


def test_info_project_has_explores_charts_dashboards_and_spaces(ld: Any) -> None:
    project = requests.get(ld.url + "/__mockbi/info").json()["vendors"]["lightdash"]["project_uuid"]
    assert ld.ok("GET", f"/api/v1/projects/{project}/explores")
    assert ld.ok("GET", f"/api/v1/projects/{project}/charts")
    assert ld.ok("GET", f"/api/v1/projects/{project}/spaces")
    assert any(d.projectUuid == project for d in ld.store.dashboards.values())


def _answers(url: str, token: str, project: str) -> list[bytes]:
    headers = {"Authorization": f"ApiKey {token}"}
    base = f"{url}/api/v1/projects/{project}"
    mq = query("orders", ["orders_order_date_month", "customers_country"], ["orders_total_order_amount"],
               sorts=[{"fieldId": "orders_order_date_month", "descending": True}], limit=50)
    out = [requests.get(f"{base}/explores", headers=headers).content,
           requests.get(f"{base}/explores/orders", headers=headers).content,
           requests.post(f"{base}/explores/orders/runQuery", json=mq, headers=headers).content,
           requests.post(f"{base}/sqlQuery", json={"sql": "select * from customers"}, headers=headers).content,
           requests.get(f"{base}/dataCatalog", headers=headers).content,
           requests.get(f"{base}/dataCatalog/metrics", headers=headers).content]
    return out


def test_same_seed_gives_byte_identical_answers_on_two_servers(ld: Any) -> None:
    first = _answers(ld.url, ld.token, ld.project_uuid)
    with ServerThread(MockbiConfig(strict=True, vendors=("lightdash",))) as other:
        store = other.runtime.store("lightdash")
        creds = store.credentials()
        assert creds["project_uuid"] == ld.project_uuid
        second = _answers(other.url, creds["personal_access_token"], creds["project_uuid"])
    assert first == second
    assert b'"rows":[{' in first[2]
