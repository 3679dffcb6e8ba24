"""Routes Lightdash 0.1411 serves from Express routers, outside its swagger (issue 12 D16): the project
catalog, new chart versions, and bodies that only tsoa routes would have validated."""

from __future__ import annotations

from typing import Any

from tests.vendors.lightdash.conftest import Api


def _rule(label: Any) -> dict[str, Any]:
    return {"id": "r1", "label": label, "operator": "equals", "values": ["completed"],
            "target": {"fieldId": "orders_status", "tableName": "orders"}, "disabled": None}


def _first_dashboard(api: Api) -> dict[str, Any]:
    return api.ok("GET", f"/api/v1/projects/{api.project}/dashboards")[0]  # type: ignore[no-any-return]


def test_project_catalog_lists_every_explore_table_by_database_and_schema(api: Api) -> None:
    catalog = api.ok("GET", f"/api/v1/projects/{api.project}/catalog")
    explores = [api.ok("GET", f"/api/v1/projects/{api.project}/explores/{e['name']}")
                for e in api.ok("GET", f"/api/v1/projects/{api.project}/explores")]
    expected: dict[str, Any] = {}
    for explore in explores:
        for table in explore["tables"].values():
            entry = {"sqlTable": table["sqlTable"]}
            if "description" in table:
                entry["description"] = table["description"]
            expected.setdefault(table["database"], {}).setdefault(table["schema"], {})[table["name"]] = entry
    assert catalog == expected
    assert catalog["analytics"]["jaffle_shop"]["orders"]["sqlTable"].endswith("orders\"")
    api.error("GET", "/api/v1/projects/00000000-0000-4000-8000-000000000000/catalog", 404, "NotFoundError")


def test_project_catalog_skips_explores_that_failed_to_compile(api: Api) -> None:
    broken = {"name": "broken", "label": "Broken", "errors": [{"type": "NO_DIMENSIONS_FOUND", "message": "x"}],
              "tables": {"broken": {"name": "broken", "database": "db", "schema": "s", "sqlTable": "db.s.broken"}}}
    good = {"name": "refunds", "label": "Refunds", "baseTable": "refunds", "tags": [], "joinedTables": [],
            "tables": {"refunds": {"name": "refunds", "label": "Refunds", "database": "db", "schema": "s",
                                   "sqlTable": '"db"."s"."refunds"', "dimensions": {}, "metrics": {},
                                   "lineageGraph": {}}}}
    api.ok("PUT", f"/api/v1/projects/{api.project}/explores", json=[broken, good])
    assert api.ok("GET", f"/api/v1/projects/{api.project}/catalog") == {
        "db": {"s": {"refunds": {"sqlTable": '"db"."s"."refunds"'}}}}


def test_chart_version_writes_content_never_name_or_description(api: Api) -> None:
    charts = api.ok("GET", f"/api/v1/projects/{api.project}/charts")
    chart = api.ok("GET", f"/api/v1/saved/{charts[0]['uuid']}")
    before = len(api.ok("GET", f"/api/v1/saved/{chart['uuid']}/history")["history"])
    query = {**chart["metricQuery"], "limit": 7}
    version = {"tableName": chart["tableName"], "metricQuery": query, "name": "ignored", "description": "ignored",
               "chartConfig": {"type": "table", "config": {"showTableNames": True}},
               "tableConfig": {"columnOrder": list(reversed(chart["tableConfig"]["columnOrder"]))}}
    saved = api.ok("POST", f"/api/v1/saved/{chart['uuid']}/version", json=version)
    assert saved["name"] == chart["name"] and saved.get("description") == chart.get("description")
    assert saved["metricQuery"]["limit"] == 7 and saved["chartConfig"] == version["chartConfig"]
    assert saved["tableConfig"] == version["tableConfig"] and "pivotConfig" not in saved
    assert api.ok("GET", f"/api/v1/saved/{chart['uuid']}") == saved
    history = api.ok("GET", f"/api/v1/saved/{chart['uuid']}/history")["history"]
    assert len(history) == before + 1
    latest = api.ok("GET", f"/api/v1/saved/{chart['uuid']}/version/{history[0]['versionUuid']}")
    assert latest["chart"]["metricQuery"]["limit"] == 7
    # Express: nothing validates the body; what the service cannot handle fails inside it (nothing stored)
    error = api.error("POST", f"/api/v1/saved/{chart['uuid']}/version", 500, "UnexpectedServerError",
                      json={"tableName": chart["tableName"]})
    assert error["message"].startswith("Something went wrong.")
    assert len(api.ok("GET", f"/api/v1/saved/{chart['uuid']}/history")["history"]) == before + 1


def test_chart_version_needs_edit_access_to_the_space(api: Api) -> None:
    viewer = next(u for u in api.store.users.values() if u.role == "viewer" and u.isActive and not u.isPending
                  and u.organizationUuid == api.store.organization_uuid)
    with api.mockbi.locked():
        token = api.store.issue_token(viewer.userUuid).token
    chart = api.ok("GET", f"/api/v1/projects/{api.project}/charts")[0]
    full = api.ok("GET", f"/api/v1/saved/{chart['uuid']}")
    body = {k: full[k] for k in ("tableName", "metricQuery", "chartConfig", "tableConfig")}
    api.error("POST", f"/api/v1/saved/{chart['uuid']}/version", 403, "ForbiddenError", json=body,
              headers={"Authorization": f"ApiKey {token}"})


def test_dashboard_patch_passes_a_null_filter_label_through_as_the_service_does(api: Api) -> None:
    dashboard = api.ok("GET", f"/api/v1/dashboards/{_first_dashboard(api)['uuid']}")
    content = {"tiles": dashboard["tiles"], "tabs": dashboard["tabs"]}  # a new version: tiles, filters, tabs
    filters = {"dimensions": [_rule(None)], "metrics": [], "tableCalculations": []}
    updated = api.ok("PATCH", f"/api/v1/dashboards/{dashboard['uuid']}", json={**content, "filters": filters})
    rule = updated["filters"]["dimensions"][0]
    assert rule["id"] == "r1" and rule["values"] == ["completed"] and "label" not in rule
    assert updated["dashboardVersionId"] == dashboard["dashboardVersionId"] + 1
    assert api.ok("GET", f"/api/v1/dashboards/{dashboard['uuid']}")["filters"] == updated["filters"]
    # DashboardModel maps `filters?.metrics?.map(...) ?? []`: only the dimension rules are needed
    only = api.ok("PATCH", f"/api/v1/dashboards/{dashboard['uuid']}",
                  json={**content, "filters": {"dimensions": []}})
    assert only["filters"] == {"dimensions": [], "metrics": [], "tableCalculations": []}
    # the documented (tsoa) create route still validates: a null label there is tsoa's 422
    error = api.error("POST", f"/api/v1/projects/{api.project}/dashboards", 422, "ValidateError",
                      json={"name": "x", "tiles": [], "tabs": [], "filters": filters})
    assert error["message"] == ""


def test_dashboard_patch_changes_only_what_dashboard_service_update_takes(api: Api) -> None:
    """Details need a truthy name or spaceUuid, a new version needs tiles: filters alone change nothing."""
    dashboard = api.ok("GET", f"/api/v1/dashboards/{_first_dashboard(api)['uuid']}")
    path = f"/api/v1/dashboards/{dashboard['uuid']}"
    ignored = api.ok("PATCH", path, json={"filters": {"dimensions": [_rule("L")]}, "description": "x"})
    assert ignored["filters"] == dashboard["filters"] and ignored.get("description") == dashboard.get("description")
    assert ignored["dashboardVersionId"] == dashboard["dashboardVersionId"]
    api.ok("PATCH", path, json={"name": dashboard["name"], "description": "temporary"})
    cleared = api.ok("PATCH", path, json={"name": dashboard["name"], "description": None})
    assert "description" not in cleared and cleared["dashboardVersionId"] == dashboard["dashboardVersionId"]
    # a new version without filters or tabs has none
    bare = api.ok("PATCH", path, json={"tiles": [t for t in dashboard["tiles"] if t.get("tabUuid") is None]})
    assert bare["filters"] == {"dimensions": [], "metrics": [], "tableCalculations": []} and bare["tabs"] == []
    # a null pivotConfig is no pivot (the service reads pivotConfig?.columns)
    chart = api.ok("GET", f"/api/v1/projects/{api.project}/charts")[0]
    full = api.ok("GET", f"/api/v1/saved/{chart['uuid']}")
    body = {k: full[k] for k in ("tableName", "metricQuery", "chartConfig", "tableConfig")}
    saved = api.ok("POST", f"/api/v1/saved/{chart['uuid']}/version", json={**body, "pivotConfig": None})
    assert "pivotConfig" not in saved


def test_express_route_bodies_the_service_cannot_handle_change_nothing(api: Api) -> None:
    dashboard = _first_dashboard(api)
    before = api.ok("GET", f"/api/v1/dashboards/{dashboard['uuid']}")
    for body in ({"name": None}, {"tiles": "not a list"}, {"filters": {"dimensions": 5}}):
        error = api.error("PATCH", f"/api/v1/dashboards/{dashboard['uuid']}", 500, "UnexpectedServerError",
                          json=body)
        assert "Express route" in error["message"]
    after = api.ok("GET", f"/api/v1/dashboards/{dashboard['uuid']}")
    assert after == {**before, "views": before["views"] + 1}
