"""Saved charts (extension routes, history, versions, rollback) and dashboards."""

from __future__ import annotations

from typing import Any

from tests.vendors.lightdash.conftest import LightdashClient


def _chart(ld: LightdashClient, name: str) -> Any:
    return next(c for c in ld.store.saved_charts.values() if c.name == name)


def _new_chart_body(space_uuid: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Orders by status", "tableName": "orders",
        "metricQuery": {"exploreName": "orders", "dimensions": ["orders_status"], "metrics": ["orders_order_count"],
                        "filters": {}, "sorts": [], "limit": 500, "tableCalculations": []},
        "chartConfig": {"type": "table", "config": {}}, "tableConfig": {"columnOrder": []}}
    if space_uuid:
        body["spaceUuid"] = space_uuid
    return body


def test_get_saved_chart_by_uuid_and_slug(ld: LightdashClient) -> None:
    chart = _chart(ld, "Revenue by status")
    got = ld.ok("GET", f"/api/v1/saved/{chart.uuid}")
    assert got["metricQuery"]["dimensions"] == ["orders_status"] and got["spaceName"] == "Shared"
    assert got["pinnedListOrder"] == 1 and got["dashboardUuid"] is None and got["dashboardName"] is None
    assert ld.ok("GET", f"/api/v1/saved/{chart.slug}")["uuid"] == chart.uuid
    ld.error("GET", "/api/v1/saved/unknown", 404, "NotFoundError")


def test_create_update_delete_saved_chart(ld: LightdashClient) -> None:
    created = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/saved", json=_new_chart_body())
    assert created["slug"] == "orders-by-status" and created["spaceName"] == "Shared"
    assert created["uuid"] in [c["uuid"] for c in ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts")]
    sales = next(s.uuid for s in ld.store.spaces.values() if s.name == "Sales")
    moved = ld.ok("PATCH", f"/api/v1/saved/{created['uuid']}", json={"name": "Moved", "spaceUuid": sales})
    assert moved["name"] == "Moved" and moved["spaceName"] == "Sales"
    assert ld.ok("DELETE", f"/api/v1/saved/{created['uuid']}") is None
    ld.error("GET", f"/api/v1/saved/{created['uuid']}", 404, "NotFoundError")


def test_create_chart_needs_editor(ld: LightdashClient) -> None:
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/saved", 403, "ForbiddenError",
             token=ld.token_for("viewer"), json=_new_chart_body())
    # an Express route: no tsoa 422; the service's code fails on a body without a metric query (its 500)
    err = ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/saved", 500, "UnexpectedServerError",
                   json={"name": "x"})
    assert "createSavedChartExt is an Express route" in err["message"]


def test_history_version_and_rollback(ld: LightdashClient) -> None:
    chart = _chart(ld, "Revenue by status")
    before = len(chart.versions)
    # PATCH writes name, description and space only (SavedChartModel.update): no new version
    ld.ok("PATCH", f"/api/v1/saved/{chart.uuid}", json={"metricQuery": {**chart.metricQuery, "limit": 5}})
    assert ld.ok("GET", f"/api/v1/saved/{chart.uuid}")["metricQuery"]["limit"] == chart.metricQuery["limit"] != 5
    assert len(ld.ok("GET", f"/api/v1/saved/{chart.uuid}/history")["history"]) == before
    ld.ok("POST", f"/api/v1/saved/{chart.uuid}/version", json={
        "tableName": chart.tableName, "metricQuery": {**chart.metricQuery, "limit": 5},
        "chartConfig": chart.chartConfig, "tableConfig": chart.tableConfig})
    history = ld.ok("GET", f"/api/v1/saved/{chart.uuid}/history")["history"]
    assert len(history) == before + 1 and history[0]["createdBy"]["userUuid"] == ld.store.admin_uuid
    oldest = history[-1]["versionUuid"]
    version = ld.ok("GET", f"/api/v1/saved/{chart.uuid}/version/{oldest}")
    assert version["chart"]["metricQuery"]["limit"] == 500 and version["versionUuid"] == oldest
    assert ld.ok("POST", f"/api/v1/saved/{chart.uuid}/rollback/{oldest}") is None
    assert ld.ok("GET", f"/api/v1/saved/{chart.uuid}")["metricQuery"]["limit"] == 500
    assert len(ld.ok("GET", f"/api/v1/saved/{chart.uuid}/history")["history"]) == before + 2
    ld.error("GET", f"/api/v1/saved/{chart.uuid}/version/nope", 404, "NotFoundError")


def test_get_dashboard_and_list(ld: LightdashClient) -> None:
    overview = next(d for d in ld.store.dashboards.values() if d.name == "Company overview")
    dash = ld.ok("GET", f"/api/v1/dashboards/{overview.uuid}")
    assert [t["name"] for t in dash["tabs"]] == ["Summary", "Details"]
    assert {t["type"] for t in dash["tiles"]} == {"saved_chart", "markdown", "loom"}
    chart_tile = next(t for t in dash["tiles"] if t["type"] == "saved_chart")
    assert chart_tile["properties"]["chartSlug"] and chart_tile["properties"]["belongsToDashboard"] is False
    assert dash["pinnedListOrder"] == 0 and dash["isPrivate"] is False
    listed = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/dashboards")
    row = next(d for d in listed if d["uuid"] == overview.uuid)
    assert row["tileTypes"] == ["loom", "markdown", "saved_chart"]


def test_create_duplicate_update_delete_dashboard(ld: LightdashClient) -> None:
    chart = _chart(ld, "Revenue by status")
    base = f"/api/v1/projects/{ld.project_uuid}/dashboards"
    created = ld.ok("POST", base, 201, json={"name": "Ops", "tabs": [], "tiles": [
        {"type": "saved_chart", "x": 0, "y": 0, "w": 6, "h": 3, "properties": {"savedChartUuid": chart.uuid}}]})
    assert created["tiles"][0]["uuid"] and created["dashboardVersionId"] == 1
    copy_ = ld.ok("POST", f"{base}?duplicateFrom={created['uuid']}", 201,
                  json={"dashboardName": "Ops copy", "dashboardDesc": "dup"})
    assert copy_["name"] == "Ops copy" and len(copy_["tiles"]) == 1 and copy_["uuid"] != created["uuid"]
    updated = ld.ok("PATCH", f"/api/v1/dashboards/{created['uuid']}", json={"name": "Ops v2", "tiles": []})
    assert updated["tiles"] == [] and updated["dashboardVersionId"] == 2
    bulk = ld.ok("PATCH", base, json=[{"uuid": copy_["uuid"], "name": "Renamed",
                                       "spaceUuid": copy_["spaceUuid"]}])
    assert bulk[0]["name"] == "Renamed"
    assert ld.ok("DELETE", f"/api/v1/dashboards/{created['uuid']}") is None
    assert created["uuid"] not in [d["uuid"] for d in ld.ok("GET", base)]
    ld.error("POST", base, 404, "NotFoundError", json={"name": "Bad", "tabs": [], "tiles": [
        {"type": "saved_chart", "x": 0, "y": 0, "w": 1, "h": 1, "properties": {"savedChartUuid": "missing"}}]})


def test_deleting_a_chart_removes_its_dashboard_tiles(ld: LightdashClient) -> None:
    chart = _chart(ld, "Revenue by status")
    overview = next(d for d in ld.store.dashboards.values() if d.name == "Company overview")
    ld.ok("DELETE", f"/api/v1/saved/{chart.uuid}")
    tiles = ld.ok("GET", f"/api/v1/dashboards/{overview.uuid}")["tiles"]
    assert chart.uuid not in [t["properties"].get("savedChartUuid") for t in tiles]
