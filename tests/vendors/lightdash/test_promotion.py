"""Promotion from a preview project to its upstream project: diff, create, update, permissions."""

from __future__ import annotations

from typing import Any

from tests.vendors.lightdash.conftest import LightdashClient


def _preview(ld: LightdashClient) -> Any:
    return next(p for p in ld.store.projects.values() if p.upstreamProjectUuid == ld.project_uuid)


def _chart_in_preview(ld: LightdashClient, name: str = "Refunds by week") -> dict[str, Any]:
    preview = _preview(ld)
    space = next(s for s in ld.store.spaces.values() if s.projectUuid == preview.projectUuid)
    created: dict[str, Any] = ld.ok("POST", f"/api/v1/projects/{preview.projectUuid}/saved", json={
        "name": name, "tableName": "orders", "spaceUuid": space.uuid,
        "metricQuery": {"exploreName": "orders", "dimensions": ["orders_status"], "metrics": ["orders_order_count"],
                        "filters": {}, "sorts": [], "limit": 10, "tableCalculations": []},
        "chartConfig": {"type": "table", "config": {}}, "tableConfig": {"columnOrder": []}})
    return created


def test_promote_chart_diff_then_create_then_update(ld: LightdashClient) -> None:
    chart = _chart_in_preview(ld)
    diff = ld.ok("GET", f"/api/v1/saved/{chart['uuid']}/promoteDiff")
    assert diff["spaces"] == []  # "shared" exists upstream
    assert [c["action"] for c in diff["charts"]] == ["create"] and diff["dashboards"] == []
    assert diff["charts"][0]["data"]["projectUuid"] == ld.project_uuid
    promoted = ld.ok("POST", f"/api/v1/saved/{chart['uuid']}/promote")
    assert promoted["projectUuid"] == ld.project_uuid and promoted["slug"] == chart["slug"]
    assert promoted["uuid"] != chart["uuid"] and promoted["spaceName"] == "Shared"
    upstream = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts")
    assert promoted["uuid"] in [c["uuid"] for c in upstream]
    assert ld.ok("GET", f"/api/v1/saved/{chart['uuid']}/promoteDiff")["charts"][0]["action"] == "no changes"
    ld.ok("PATCH", f"/api/v1/saved/{chart['uuid']}", json={"name": "Refunds weekly"})
    assert ld.ok("GET", f"/api/v1/saved/{chart['uuid']}/promoteDiff")["charts"][0]["action"] == "update"
    again = ld.ok("POST", f"/api/v1/saved/{chart['uuid']}/promote")
    assert again["uuid"] == promoted["uuid"] and again["name"] == "Refunds weekly"
    assert len(ld.ok("GET", f"/api/v1/saved/{promoted['uuid']}/history")["history"]) == 2


def test_promote_creates_missing_space_upstream(ld: LightdashClient) -> None:
    preview = _preview(ld)
    space = ld.ok("POST", f"/api/v1/projects/{preview.projectUuid}/spaces", json={"name": "Experiments"})
    chart = _chart_in_preview(ld)
    ld.ok("PATCH", f"/api/v1/saved/{chart['uuid']}", json={"spaceUuid": space["uuid"]})
    diff = ld.ok("GET", f"/api/v1/saved/{chart['uuid']}/promoteDiff")
    assert [(s["action"], s["data"]["slug"]) for s in diff["spaces"]] == [("create", "experiments")]
    promoted = ld.ok("POST", f"/api/v1/saved/{chart['uuid']}/promote")
    assert promoted["spaceName"] == "Experiments"
    assert any(s["name"] == "Experiments" for s in ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces"))


def test_promote_without_upstream_is_404(ld: LightdashClient) -> None:
    chart = next(c for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid)
    err = ld.error("POST", f"/api/v1/saved/{chart.uuid}/promote", 404, "NotFoundError")
    assert err["message"] == "This chart does not have an upstream project"
    dash = next(d for d in ld.store.dashboards.values() if d.projectUuid == ld.project_uuid)
    err = ld.error("GET", f"/api/v1/dashboards/{dash.uuid}/promoteDiff", 404, "NotFoundError")
    assert err["message"] == "This dashboard does not have an upstream project"
    ld.error("POST", "/api/v1/saved/nope/promote", 404, "NotFoundError")


def test_promote_needs_developer_upstream(ld: LightdashClient) -> None:
    chart = _chart_in_preview(ld)
    # the preview's creator is admin of the preview but only an editor of the upstream project
    ld.error("POST", f"/api/v1/saved/{chart['uuid']}/promote", 403, "ForbiddenError", token=ld.token_for("editor"))


def test_promote_dashboard_with_its_charts(ld: LightdashClient) -> None:
    preview = _preview(ld)
    chart = _chart_in_preview(ld)
    space = ld.store.spaces[chart["spaceUuid"]]
    dash = ld.ok("POST", f"/api/v1/projects/{preview.projectUuid}/dashboards", json={
        "name": "Refunds", "spaceUuid": space.uuid, "tabs": [],
        "tiles": [{"type": "saved_chart", "x": 0, "y": 0, "w": 12, "h": 6,
                   "properties": {"savedChartUuid": chart["uuid"]}},
                  {"type": "markdown", "x": 0, "y": 6, "w": 12, "h": 3,
                   "properties": {"title": "Notes", "content": "hi"}}]}, status=201)
    diff = ld.ok("GET", f"/api/v1/dashboards/{dash['uuid']}/promoteDiff")
    assert [d["action"] for d in diff["dashboards"]] == ["create"]
    assert [c["data"]["oldUuid"] for c in diff["charts"]] == [chart["uuid"]]
    promoted = ld.ok("POST", f"/api/v1/dashboards/{dash['uuid']}/promote")
    assert promoted["projectUuid"] == ld.project_uuid and promoted["dashboardVersionId"] == 1
    chart_tile = next(t for t in promoted["tiles"] if t["type"] == "saved_chart")
    upstream_chart = ld.ok("GET", f"/api/v1/saved/{chart_tile['properties']['savedChartUuid']}")
    assert upstream_chart["projectUuid"] == ld.project_uuid and upstream_chart["slug"] == chart["slug"]
    assert ld.ok("GET", f"/api/v1/dashboards/{dash['uuid']}/promoteDiff")["dashboards"][0]["action"] == "no changes"
    again = ld.ok("POST", f"/api/v1/dashboards/{dash['uuid']}/promote")
    assert again["uuid"] == promoted["uuid"] and again["dashboardVersionId"] == 2
