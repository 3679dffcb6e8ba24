"""Projects: a project, its charts and spaces, settings, previews and per-user credentials."""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.handlers._dataplane import project_plane
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content, people, projects

registry = Registry("lightdash")


def visible_charts(store: LightdashStore, user: m.User, project_uuid: str) -> list[m.SavedChart]:
    spaces = {s.uuid for s in store.visible_spaces(user, project_uuid)}
    return [c for c in store.saved_charts.values() if c.projectUuid == project_uuid and c.spaceUuid in spaces]


@registry.operation("GetProject")
def get_project(store: LightdashStore, req: OpRequest) -> Any:
    """A project with its dbt and warehouse connection (no secrets)."""
    return projects.project(store.require_project(me(req), req.path["projectUuid"]))


@registry.operation("ListChartsInProject")
def list_charts_in_project(store: LightdashStore, req: OpRequest) -> Any:
    """Every chart in the spaces the caller can see."""
    user = me(req)
    store.require_project(user, req.path["projectUuid"])
    return [content.space_query(store, c) for c in visible_charts(store, user, req.path["projectUuid"])]


@registry.operation("ListChartSummariesInProject")
def list_chart_summaries_in_project(store: LightdashStore, req: OpRequest) -> Any:
    """Chart summaries; ``excludeChartsSavedInDashboard`` drops charts that belong to a dashboard."""
    user = me(req)
    store.require_project(user, req.path["projectUuid"])
    charts = visible_charts(store, user, req.path["projectUuid"])
    if req.query.get("excludeChartsSavedInDashboard"):
        charts = [c for c in charts if c.dashboardUuid is None]
    return [content.chart_summary(store, c) for c in charts]


@registry.operation("ListSpacesInProject")
def list_spaces_in_project(store: LightdashStore, req: OpRequest) -> Any:
    """Space summaries the caller can see."""
    user = me(req)
    store.require_project(user, req.path["projectUuid"])
    return [content.space_summary(store, s, user) for s in store.visible_spaces(user, req.path["projectUuid"])]


@registry.operation("getUserWarehouseCredentialsPreference")
def get_user_warehouse_credentials_preference(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's warehouse credentials chosen for this project (``results`` absent if none)."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"])
    uuid = store.credentials_preferences.get(user.userUuid, {}).get(project.projectUuid)
    if uuid is None:
        wtype = project.warehouseConnection.get("type")
        uuid = next((c.uuid for c in store.warehouse_credentials.values()
                     if c.userUuid == user.userUuid and c.credentials.get("type") == wtype), None)
    creds = store.warehouse_credentials.get(uuid or "")
    return people.warehouse_credentials(creds) if creds is not None else None


@registry.operation("updateUserWarehouseCredentialsPreference")
def update_user_warehouse_credentials_preference(store: LightdashStore, req: OpRequest) -> Any:
    """Choose which of the caller's warehouse credentials this project uses."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"])
    creds = store.warehouse_credentials.get(req.path["userWarehouseCredentialsUuid"])
    if creds is None or creds.userUuid != user.userUuid:
        raise NotFoundError("Warehouse credentials not found")
    store.credentials_preferences.setdefault(user.userUuid, {})[project.projectUuid] = creds.uuid
    return None


@registry.operation("getCustomMetrics")
def get_custom_metrics(store: LightdashStore, req: OpRequest) -> Any:
    """Custom (additional) metrics defined in saved charts, with the YAML to add them to dbt."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"])
    out = []
    for chart in visible_charts(store, user, project.projectUuid):
        for metric in chart.metricQuery.get("additionalMetrics", []):
            name, label = metric.get("name", ""), metric.get("label") or metric.get("name", "")
            yml = f"{name}:\n  label: {label}\n  type: {metric.get('type', 'count')}\n  sql: {metric.get('sql', '')}\n"
            out.append({"name": name, "label": label, "modelName": metric.get("table", chart.tableName),
                        "yml": yml, "chartLabel": chart.name,
                        "chartUrl": f"{req.base_url}/projects/{project.projectUuid}/saved/{chart.uuid}/view"})
    return out


@registry.operation("updateProjectMetadata")
def update_project_metadata(store: LightdashStore, req: OpRequest) -> Any:
    """Set or clear the project's upstream project (developers)."""
    project = store.require_project(me(req), req.path["projectUuid"], "developer")
    data = body(req)
    if "upstreamProjectUuid" in data:
        upstream = data["upstreamProjectUuid"]
        if upstream is not None:
            if upstream == project.projectUuid:
                raise ParameterError("A project cannot be its own upstream project")
            store.get_project(upstream)
        project.upstreamProjectUuid = upstream
    return None


@registry.operation("updateProjectSemanticLayerConnection")
def update_project_semantic_layer_connection(store: LightdashStore, req: OpRequest) -> Any:
    """Set the project's dbt Cloud or Cube semantic layer connection (project admins)."""
    project = store.require_project(me(req), req.path["projectUuid"], "admin")
    data = body(req)
    current = project.semanticLayerConnection or {}
    merged = {**current, **data} if current.get("type") == data.get("type") else dict(data)
    required = ("token", "domain", "environmentId") if merged.get("type") == "DBT" else ("token", "domain")
    missing = [k for k in required if not merged.get(k)]
    if missing:
        raise ParameterError(f"Missing semantic layer connection fields: {', '.join(missing)}")
    project.semanticLayerConnection = merged
    return None


@registry.operation("deleteProjectSemanticLayerConnection")
def delete_project_semantic_layer_connection(store: LightdashStore, req: OpRequest) -> Any:
    """Remove the project's semantic layer connection (project admins)."""
    store.require_project(me(req), req.path["projectUuid"], "admin").semanticLayerConnection = None
    return None


@registry.operation("updateSchedulerSettings")
def update_scheduler_settings(store: LightdashStore, req: OpRequest) -> Any:
    """Set the project's default scheduler timezone (project admins)."""
    project = store.require_project(me(req), req.path["projectUuid"], "admin")
    project.schedulerTimezone = body(req)["schedulerTimezone"]
    return None


@registry.operation("createPreview")
def create_preview(store: LightdashStore, req: OpRequest) -> Any:
    """Create a PREVIEW project from this one (optionally copying spaces and content); returns its uuid."""
    user = me(req)
    source = store.require_project(user, req.path["projectUuid"], "developer")
    data = body(req)
    preview = m.Project(
        projectUuid=store.new_uuid(), name=data["name"], type="PREVIEW", organizationUuid=source.organizationUuid,
        createdAt=store.now_iso(), createdByUserUuid=user.userUuid, upstreamProjectUuid=source.projectUuid,
        dbtVersion=source.dbtVersion, dbtConnection=copy.deepcopy(source.dbtConnection),
        warehouseConnection=copy.deepcopy(source.warehouseConnection), schedulerTimezone=source.schedulerTimezone,
        members={user.userUuid: "admin"})
    store.projects[preview.projectUuid] = preview
    store.pinned_list(preview.projectUuid)
    if data["copyContent"]:
        space_map: dict[str, str] = {}
        for space in [s for s in store.spaces.values() if s.projectUuid == source.projectUuid]:
            clone = copy.deepcopy(space)
            clone.uuid, clone.projectUuid = store.new_uuid(), preview.projectUuid
            store.spaces[clone.uuid] = clone
            space_map[space.uuid] = clone.uuid
        chart_map: dict[str, str] = {}
        for chart in [c for c in store.saved_charts.values() if c.spaceUuid in space_map and not c.dashboardUuid]:
            clone_c = copy.deepcopy(chart)
            clone_c.uuid, clone_c.projectUuid, clone_c.spaceUuid = store.new_uuid(), preview.projectUuid, \
                space_map[chart.spaceUuid]
            clone_c.versions = []
            store.saved_charts[clone_c.uuid] = clone_c
            store.record_version(clone_c, user.userUuid)
            chart_map[chart.uuid] = clone_c.uuid
        for dash in [d for d in store.dashboards.values() if d.spaceUuid in space_map]:
            clone_d = copy.deepcopy(dash)
            clone_d.uuid, clone_d.projectUuid, clone_d.spaceUuid = store.new_uuid(), preview.projectUuid, \
                space_map[dash.spaceUuid]
            clone_d.tiles = [t for t in clone_d.tiles if t.get("type") != "saved_chart"
                             or t["properties"].get("savedChartUuid") in chart_map]
            for tile in clone_d.tiles:
                if tile.get("type") == "saved_chart":
                    tile["properties"]["savedChartUuid"] = chart_map[tile["properties"]["savedChartUuid"]]
            store.dashboards[clone_d.uuid] = clone_d
    return preview.projectUuid


@registry.operation("getProjectCatalogExt")
def get_project_catalog_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Every table of the project's explores by database and schema, with description and SQL reference.

    As ``ProjectService.getCatalog``: tables of explores that compiled (no ``errors``), as
    ``{database: {schema: {table: {description?, sqlTable}}}}``; a later explore's table wins."""
    _, plane = project_plane(store, req)
    catalog: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for explore in plane.explores.values():
        if "errors" in explore:
            continue
        for table in (explore.get("tables") or {}).values():
            if not isinstance(table, dict):
                continue
            database, schema, name, sql_table = (table.get(k) for k in ("database", "schema", "name", "sqlTable"))
            if not (isinstance(database, str) and isinstance(schema, str) and isinstance(name, str)
                    and isinstance(sql_table, str)):  # deployed junk: no table mockbi can describe
                continue
            entry = {"sqlTable": sql_table}
            if isinstance(table.get("description"), str):
                entry = {"description": table["description"], **entry}
            catalog.setdefault(database, {}).setdefault(schema, {})[name] = entry
    return catalog
