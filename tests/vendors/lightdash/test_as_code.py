"""Charts and dashboards as code: download, upload (create or update by slug), errors."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

from tests.vendors.lightdash.conftest import LightdashClient


def _base(ld: LightdashClient) -> str:
    return f"/api/v1/projects/{ld.project_uuid}"


def test_download_charts_as_code(ld: LightdashClient) -> None:
    charts = ld.ok("GET", f"{_base(ld)}/charts/code")
    assert len(charts) == 6 and [c["slug"] for c in charts] == sorted(c["slug"] for c in charts)
    first = next(c for c in charts if c["slug"] == "revenue-by-status")
    assert first["spaceSlug"] == "shared" and first["version"] == 1 and first["dashboardUuid"] is None
    assert first["metricQuery"]["exploreName"] == "orders" and "uuid" not in first


def test_download_dashboards_as_code_names_charts_by_slug(ld: LightdashClient) -> None:
    dashboards = ld.ok("GET", f"{_base(ld)}/dashboards/code")
    overview = next(d for d in dashboards if d["slug"] == "company-overview")
    chart_tiles = [t for t in overview["tiles"] if t["type"] == "saved_chart"]
    assert chart_tiles and all("uuid" not in t and "savedChartUuid" not in t["properties"] for t in chart_tiles)
    assert chart_tiles[0]["properties"]["chartSlug"] == "revenue-by-status"
    assert len(overview["tabs"]) == 2


def _chart_code(ld: LightdashClient, **overrides: Any) -> dict[str, Any]:
    chart = next(c for c in ld.ok("GET", f"{_base(ld)}/charts/code") if c["slug"] == "revenue-by-status")
    return {**chart, **overrides}


def test_upsert_chart_updates_by_slug_and_creates_new_slug(ld: LightdashClient) -> None:
    code = _chart_code(ld, name="Revenue by order status")
    changes = ld.ok("POST", f"{_base(ld)}/charts/revenue-by-status/code", json=code)
    assert [c["action"] for c in changes["charts"]] == ["update"] and changes["spaces"] == []
    uuid = changes["charts"][0]["data"]["uuid"]
    assert ld.ok("GET", f"/api/v1/saved/{uuid}")["name"] == "Revenue by order status"
    again = ld.ok("POST", f"{_base(ld)}/charts/revenue-by-status/code", json=code)
    assert again["charts"][0]["action"] == "no changes"
    created = ld.ok("POST", f"{_base(ld)}/charts/revenue-copy/code",
                    json={**code, "slug": "revenue-copy", "spaceSlug": "team-x"})
    assert created["charts"][0]["action"] == "create"
    assert [(s["action"], s["data"]["name"]) for s in created["spaces"]] == [("create", "Team X")]
    # PromotionChanges as the vendor's document types it: PromotedChart/PromotedSpace keys
    assert created["charts"][0]["data"]["spaceSlug"] == "team-x"
    assert created["charts"][0]["data"]["oldUuid"] == created["charts"][0]["data"]["uuid"]
    assert created["spaces"][0]["data"] | {"uuid": "", "organizationUuid": ""} == {
        "uuid": "", "organizationUuid": "", "name": "Team X", "slug": "team-x", "isPrivate": False,
        "projectUuid": ld.project_uuid, "pinnedListUuid": None, "pinnedListOrder": None, "access": [],
        "chartCount": 0, "dashboardCount": 0}
    new_uuid = created["charts"][0]["data"]["uuid"]
    assert ld.ok("GET", "/api/v1/saved/revenue-copy")["uuid"] == new_uuid
    assert len(ld.ok("GET", f"/api/v1/saved/{new_uuid}/history")["history"]) == 1


def test_upsert_chart_errors(ld: LightdashClient) -> None:
    code = _chart_code(ld)
    url = f"{_base(ld)}/charts/revenue-by-status/code"
    ld.error("POST", url, 403, "ForbiddenError", token=ld.token_for("editor"), json=code)
    ld.error("POST", url, 404, "NotFoundError", json={**code, "dashboardUuid": "nope"})
    err = ld.error("POST", url, 422, "ValidateError", json={k: v for k, v in code.items() if k != "spaceSlug"})
    assert "body.spaceSlug" in err["data"]
    ld.error("POST", "/api/v1/projects/nope/charts/x/code", 404, "NotFoundError", json=code)


def test_a_chart_part_the_service_could_not_store_is_its_500_and_stores_nothing(ld: LightdashClient) -> None:
    """The document types metricQuery/chartConfig/tableConfig as anything; the service's model code fails on
    what is no chart part (the generic 500). Nothing is stored, so every later read still answers."""
    code = _chart_code(ld)
    query = code["metricQuery"]
    before = ld.ok("GET", f"{_base(ld)}/charts/code")
    for slug, bad, where in [
        ("new-slug", {"metricQuery": {k: v for k, v in query.items() if k != "sorts"}}, "metricQuery"),
        ("new-slug", {"metricQuery": {**query, "limit": "lots"}}, "metricQuery.limit"),
        ("revenue-by-status", {"metricQuery": {**query, "sorts": [{"fieldId": 1}]}}, "metricQuery.sorts[0]"),
        ("revenue-by-status", {"chartConfig": {"type": "no-such-chart"}}, "chartConfig"),
        ("new-slug", {"tableConfig": {"columnOrder": "orders_status"}}, "tableConfig.columnOrder"),
    ]:
        err = ld.error("POST", f"{_base(ld)}/charts/{slug}/code", 500, "UnexpectedServerError",
                       json={**code, "slug": slug, **bad})
        assert err["message"].startswith("Something went wrong.") and f"cannot handle {where}:" in err["message"]
    assert ld.ok("GET", f"{_base(ld)}/charts/code") == [{**c, "downloadedAt": ANY} for c in before]
    changes = ld.ok("POST", f"{_base(ld)}/charts/new-slug/code", json={**code, "slug": "new-slug"})
    assert ld.ok("GET", f"/api/v1/saved/{changes['charts'][0]['data']['uuid']}")["slug"] == "new-slug"


def test_upsert_dashboard_as_code_roundtrip(ld: LightdashClient) -> None:
    overview = next(d for d in ld.ok("GET", f"{_base(ld)}/dashboards/code") if d["slug"] == "company-overview")
    overview["tiles"] = overview["tiles"][:1]
    changes = ld.ok("POST", f"{_base(ld)}/dashboards/company-overview/code", json=overview)
    assert [d["action"] for d in changes["dashboards"]] == ["update"]
    data = changes["dashboards"][0]["data"]
    assert len(data["tiles"]) == 1 and data["dashboardVersionId"] == 2
    copy_code = {**overview, "slug": "overview-copy", "name": "Overview copy"}
    created = ld.ok("POST", f"{_base(ld)}/dashboards/overview-copy/code", json=copy_code)
    assert created["dashboards"][0]["action"] == "create"
    dash = ld.ok("GET", f"/api/v1/dashboards/{created['dashboards'][0]['data']['uuid']}")
    assert dash["tiles"][0]["properties"]["chartSlug"] == "revenue-by-status"


def test_upsert_dashboard_errors_change_nothing(ld: LightdashClient) -> None:
    overview = next(d for d in ld.ok("GET", f"{_base(ld)}/dashboards/code") if d["slug"] == "company-overview")
    url = f"{_base(ld)}/dashboards/company-overview/code"
    bad_chart = [{**overview["tiles"][0], "properties": {"chartSlug": "missing-chart", "title": ""}}]
    ld.error("POST", url, 404, "NotFoundError", json={**overview, "tiles": bad_chart})
    ld.error("POST", url, 400, "ParameterError", json={**overview, "tiles": [{"type": "sql_chart"}]})
    ld.error("POST", url, 400, "ParameterError", json={**overview, "filters": {"dimensions": [{"x": 1}]}})
    ld.error("POST", url, 422, "ValidateError", json={**overview, "tabs": [{"name": "no uuid"}]})
    dash = next(d for d in ld.store.dashboards.values() if d.slug == "company-overview")
    assert dash.dashboardVersionId == 1 and len(dash.tiles) == 5
