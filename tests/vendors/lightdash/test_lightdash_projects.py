"""Projects: the project, its charts and spaces, access lists, settings, previews, tags."""

from __future__ import annotations

from tests.vendors.lightdash.conftest import LightdashClient


def test_get_project(ld: LightdashClient) -> None:
    project = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}")
    assert project["type"] == "DEFAULT" and project["createdByUserUuid"] == ld.store.admin_uuid
    assert project["warehouseConnection"]["type"] == "postgres"
    assert "password" not in project["warehouseConnection"] and "user" not in project["warehouseConnection"]
    assert project["dbtConnection"]["type"] == "github" and project["dbtConnection"]["personal_access_token"] == ""
    assert project["pinnedListUuid"]


def test_list_charts_and_summaries(ld: LightdashClient) -> None:
    charts = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts")
    assert len(charts) == 6
    first = charts[0]
    for key in ("pinnedListUuid", "dashboardUuid", "dashboardName", "pinnedListOrder", "firstViewedAt"):
        assert key in first
    assert {c["chartKind"] for c in charts} >= {"vertical_bar", "big_number", "pie", "table"}
    summaries = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/chart-summaries?excludeChartsSavedInDashboard=true")
    assert {s["uuid"] for s in summaries} == {c["uuid"] for c in charts}
    assert "views" not in summaries[0]


def test_private_space_charts_hidden_from_viewers_without_access(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    charts = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/charts", token=token)
    assert all(c["spaceName"] != "Finance (private)" for c in charts)
    spaces = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces", token=token)
    assert "Finance (private)" not in [s["name"] for s in spaces]


def test_list_spaces_in_project(ld: LightdashClient) -> None:
    spaces = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces")
    shared = next(s for s in spaces if s["name"] == "Shared")
    assert shared["chartCount"] == 3 and shared["dashboardCount"] == 1
    assert shared["pinnedListUuid"] is not None and shared["pinnedListOrder"] == 2
    assert shared["userAccess"]["role"] == "admin"


def test_project_access_list_grant_update_revoke(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}"
    viewer = ld.user("viewer")
    assert ld.ok("POST", f"{base}/access", json={"email": viewer.email, "role": "editor", "sendEmail": False}) is None
    ld.error("POST", f"{base}/access", 409, "AlreadyExistsError",
             json={"email": viewer.email, "role": "editor", "sendEmail": False})
    listed = ld.ok("GET", f"{base}/access")
    assert {"userUuid": viewer.userUuid, "role": "editor"}.items() <= next(
        m for m in listed if m["userUuid"] == viewer.userUuid).items()
    assert ld.ok("GET", f"{base}/user/{viewer.userUuid}")["role"] == "editor"
    assert ld.ok("PATCH", f"{base}/access/{viewer.userUuid}", json={"role": "developer"}) is None
    assert ld.ok("GET", f"{base}/user/{viewer.userUuid}")["role"] == "developer"
    assert ld.ok("DELETE", f"{base}/access/{viewer.userUuid}") is None
    ld.error("GET", f"{base}/user/{viewer.userUuid}", 404, "NotFoundError")
    ld.error("POST", f"{base}/access", 404, "NotFoundError",
             json={"email": "nobody@example.com", "role": "viewer", "sendEmail": False})


def test_project_access_management_needs_project_admin(ld: LightdashClient) -> None:
    token = ld.token_for("editor")
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/access", 403, "ForbiddenError", token=token,
             json={"email": ld.user("viewer").email, "role": "viewer", "sendEmail": False})


def test_user_warehouse_credentials_preference(ld: LightdashClient) -> None:
    session = ld.login()
    creds = session.post(ld.url + "/api/v1/user/warehouseCredentials", json={
        "name": "mine", "credentials": {"type": "snowflake", "user": "me", "password": "pw"}}).json()["results"]
    base = f"/api/v1/projects/{ld.project_uuid}/user-credentials"
    assert ld.ok("PATCH", f"{base}/{creds['uuid']}") is None
    assert ld.ok("GET", base)["uuid"] == creds["uuid"]
    ld.error("PATCH", f"{base}/unknown", 404, "NotFoundError")


def test_user_warehouse_credentials_preference_when_none(ld: LightdashClient) -> None:
    assert ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/user-credentials") is None


def test_custom_metrics(ld: LightdashClient) -> None:
    chart = next(iter(ld.store.saved_charts.values()))
    chart.metricQuery["additionalMetrics"] = [{"name": "order_count_distinct", "label": "Distinct orders",
                                               "table": "orders", "type": "count_distinct", "sql": "${TABLE}.id"}]
    metrics = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/custom-metrics")
    assert metrics[0]["name"] == "order_count_distinct" and metrics[0]["chartLabel"] == chart.name
    assert "type: count_distinct" in metrics[0]["yml"]


def test_project_settings(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}"
    preview = next(p for p in ld.store.projects.values() if p.type == "PREVIEW")
    metadata = f"/api/v1/projects/{preview.projectUuid}/metadata"
    assert ld.ok("PATCH", metadata, json={"upstreamProjectUuid": None}) is None
    assert preview.upstreamProjectUuid is None
    assert ld.ok("PATCH", f"{base}/semantic-layer-connection",
                 json={"type": "CUBE", "token": "t", "domain": "https://cube.example.com"}) is None
    assert ld.ok("GET", base)["semanticLayerConnection"]["type"] == "CUBE"
    ld.error("PATCH", f"{base}/semantic-layer-connection", 400, "ParameterError", json={"type": "DBT"})
    assert ld.ok("DELETE", f"{base}/semantic-layer-connection") is None
    assert "semanticLayerConnection" not in ld.ok("GET", base)
    assert ld.ok("PATCH", f"{base}/schedulerSettings", json={"schedulerTimezone": "Asia/Tokyo"}) is None
    assert ld.ok("GET", base)["schedulerTimezone"] == "Asia/Tokyo"


def test_create_preview_copies_content(ld: LightdashClient) -> None:
    new_uuid = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/createPreview",
                     json={"name": "My preview", "copyContent": True})
    assert isinstance(new_uuid, str)
    project = ld.ok("GET", f"/api/v1/projects/{new_uuid}")
    assert project["type"] == "PREVIEW" and project["upstreamProjectUuid"] == ld.project_uuid
    assert len(ld.ok("GET", f"/api/v1/projects/{new_uuid}/charts")) == 6
    assert new_uuid in [p["projectUuid"] for p in ld.ok("GET", "/api/v1/org/projects")]


def test_tags_crud(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/tags"
    tags = ld.ok("GET", base)
    assert {t["name"] for t in tags} == {"finance", "core metrics", "deprecated"}
    assert tags[0]["createdBy"]["userUuid"] == ld.store.admin_uuid
    created = ld.ok("POST", base, 201, json={"name": "marketing", "color": "#00ff00"})
    ld.error("POST", base, 409, "AlreadyExistsError", json={"name": "marketing", "color": "#000"})
    assert ld.ok("PATCH", f"{base}/{created['tagUuid']}", json={"color": "#111111"}) is None
    assert next(t for t in ld.ok("GET", base) if t["tagUuid"] == created["tagUuid"])["color"] == "#111111"
    resp = ld.delete(f"{base}/{created['tagUuid']}")
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert created["tagUuid"] not in [t["tagUuid"] for t in ld.ok("GET", base)]
    ld.error("DELETE", f"{base}/{created['tagUuid']}", 404, "NotFoundError")
