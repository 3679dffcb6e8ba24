"""Dashboards: the ``/api/v1/dashboards/{uuid}`` extension routes and the project dashboard list,
create (or duplicate) and bulk update."""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError, ParameterError, ValidateError
from mockbi.vendors.lightdash.handlers._common import body, count_view, dashboard_in_path, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")
TILE_TYPES = ("saved_chart", "sql_chart", "semantic_viewer_chart", "markdown", "loom")


def _tiles(store: LightdashStore, project_uuid: str, tiles: list[dict[str, Any]],
           tabs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checked copies of incoming tiles, each with a uuid (validated before anything is stored)."""
    tab_uuids = {t["uuid"] for t in tabs}
    out = []
    for raw in tiles:
        tile = copy.deepcopy(raw)
        if tile.get("type") not in TILE_TYPES:
            raise ParameterError(f"Unknown tile type {tile.get('type')!r}")
        tile.setdefault("uuid", store.new_uuid())
        tile.setdefault("properties", {})
        if tile.get("tabUuid") and tile["tabUuid"] not in tab_uuids:
            raise ParameterError(f"Tile {tile['uuid']} references an unknown tab")
        if tile["type"] == "saved_chart":
            chart_uuid = tile["properties"].get("savedChartUuid")
            chart = store.saved_charts.get(chart_uuid or "")
            if chart is None or chart.projectUuid != project_uuid:
                raise NotFoundError(f"Chart {chart_uuid} not found")
        out.append(tile)
    return out


def _new_dashboard(store: LightdashStore, user: m.User, project_uuid: str, space: m.Space, name: str,
                   description: str | None, tiles: list[dict[str, Any]], tabs: list[dict[str, Any]],
                   filters: dict[str, Any] | None, config: dict[str, Any] | None) -> m.Dashboard:
    now = store.now_iso()
    taken = {d.slug for d in store.dashboards.values() if d.projectUuid == project_uuid}
    dashboard = m.Dashboard(uuid=store.new_uuid(), projectUuid=project_uuid, spaceUuid=space.uuid, name=name,
                            description=description, slug=store.slugify(name, taken), createdAt=now,
                            updatedAt=now, updatedByUserUuid=user.userUuid, tiles=tiles, tabs=tabs)
    if filters is not None:
        dashboard.filters = copy.deepcopy(filters)
    if config is not None:
        dashboard.config = copy.deepcopy(config)
    store.dashboards[dashboard.uuid] = dashboard
    return dashboard


@registry.operation("getDashboards")
def get_dashboards(store: LightdashStore, req: OpRequest) -> Any:
    """Dashboards in the spaces the caller can see, with their tile types."""
    user = me(req)
    store.require_project(user, req.path["projectUuid"])
    spaces = {s.uuid for s in store.visible_spaces(user, req.path["projectUuid"])}
    return [content.dashboard_basic(store, d) | {"tileTypes": sorted({t["type"] for t in d.tiles})}
            for d in store.dashboards.values() if d.spaceUuid in spaces]


@registry.operation("createDashboard")
def create_dashboard(store: LightdashStore, req: OpRequest) -> Any:
    """Create a dashboard, or duplicate one with ``?duplicateFrom=<uuid>``; 201."""
    user, data = me(req), body(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    source_uuid = req.query.get("duplicateFrom")
    if source_uuid:
        source = store.get_dashboard(source_uuid)
        if source.projectUuid != project.projectUuid:
            raise NotFoundError("Dashboard not found")
        space = store.spaces[source.spaceUuid]
        store.require_space(user, space, "editor")
        name = data.get("dashboardName") or f"Copy of {source.name}"
        dashboard = _new_dashboard(store, user, project.projectUuid, space, name,
                                   data.get("dashboardDesc", source.description), [], copy.deepcopy(source.tabs),
                                   source.filters, source.config)
        for tile in source.tiles:
            clone = copy.deepcopy(tile)
            clone["uuid"] = store.new_uuid()
            dashboard.tiles.append(clone)
        return Reply(body=content.dashboard(store, dashboard), status=201)
    if "name" not in data:
        raise ValidateError("", {"body.name": {"message": "'name' is required"}})
    if data.get("spaceUuid"):
        space = store.get_space(data["spaceUuid"], project.projectUuid)
    else:
        spaces = sorted((s for s in store.visible_spaces(user, project.projectUuid)
                         if store.space_role(user, s) != "viewer"), key=lambda s: s.createdAt)
        if not spaces:
            raise NotFoundError("No space found to save the dashboard in")
        space = spaces[0]
    store.require_space(user, space, "editor")
    tabs = copy.deepcopy(data.get("tabs", []))
    tiles = _tiles(store, project.projectUuid, data.get("tiles", []), tabs)
    dashboard = _new_dashboard(store, user, project.projectUuid, space, data["name"], data.get("description"),
                               tiles, tabs, data.get("filters"), data.get("config"))
    return Reply(body=content.dashboard(store, dashboard), status=201)


@registry.operation("updateDashboards")
def update_dashboards(store: LightdashStore, req: OpRequest) -> Any:
    """Rename or move several dashboards at once."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    items = req.body if isinstance(req.body, list) else []
    targets = []
    for item in items:
        dashboard = store.get_dashboard(item["uuid"])
        space = store.get_space(item["spaceUuid"], project.projectUuid)
        if dashboard.projectUuid != project.projectUuid:
            raise NotFoundError("Dashboard not found")
        store.require_space(user, store.spaces[dashboard.spaceUuid], "editor")
        store.require_space(user, space, "editor")
        targets.append((dashboard, item))
    for dashboard, item in targets:
        dashboard.name, dashboard.spaceUuid = item["name"], item["spaceUuid"]
        if "description" in item:
            dashboard.description = item["description"]
        dashboard.updatedAt, dashboard.updatedByUserUuid = store.now_iso(), user.userUuid
    return [content.dashboard(store, d) for d, _ in targets]


@registry.operation("getDashboardExt")
def get_dashboard_ext(store: LightdashStore, req: OpRequest) -> Any:
    """A dashboard (by uuid or slug) with tiles, tabs and filters."""
    dashboard = dashboard_in_path(store, req)
    count_view(store, dashboard)
    return content.dashboard(store, dashboard)


@registry.operation("updateDashboardExt")
def update_dashboard_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Update a dashboard's details (with a name or space) and/or content (with tiles: a new version).

    As ``DashboardService.update``: the details (name, description, space) only when ``name`` or
    ``spaceUuid`` is truthy; a new version only when ``tiles`` is sent (tiles, filters, tabs, config;
    missing filters or tabs are none). A body with neither changes nothing."""
    user, data = me(req), body(req)
    dashboard = dashboard_in_path(store, req, space_role="editor")
    details = bool(data.get("name")) or bool(data.get("spaceUuid"))
    versioned = data.get("tiles") is not None  # `'tiles' in data && !!data.tiles`: an empty list counts
    tabs = copy.deepcopy(data.get("tabs") or []) if versioned else dashboard.tabs
    tiles = _tiles(store, dashboard.projectUuid, data["tiles"], tabs) if versioned else []
    space = None
    if details and data.get("spaceUuid"):
        space = store.get_space(data["spaceUuid"], dashboard.projectUuid)
        store.require_space(user, space, "editor")
    if details:  # knex skips what was not sent
        for key in ("name", "description"):
            if key in data:
                setattr(dashboard, key, data[key])
        if space is not None:
            dashboard.spaceUuid = space.uuid
    if versioned:
        _new_version(store, user, dashboard, tiles, tabs, data)
    return content.dashboard(store, dashboard)


def _new_version(store: LightdashStore, user: m.User, dashboard: m.Dashboard, tiles: list[dict[str, Any]],
                 tabs: list[dict[str, Any]], data: dict[str, Any]) -> None:
    """``DashboardModel.addVersion``: filters as sent (``metrics``/``tableCalculations`` may be left out;
    no filters at all is none), charts saved in the dashboard that left it are deleted."""
    sent = data.get("filters") or {}
    dashboard.filters = {"dimensions": copy.deepcopy(sent.get("dimensions", [])),
                         "metrics": copy.deepcopy(sent.get("metrics", [])),
                         "tableCalculations": copy.deepcopy(sent.get("tableCalculations", []))}
    if "config" in data:
        dashboard.config = copy.deepcopy(data["config"])
    kept = {t["properties"].get("savedChartUuid") for t in tiles if t["type"] == "saved_chart"}
    for chart in [c for c in store.saved_charts.values() if c.dashboardUuid == dashboard.uuid]:
        if chart.uuid not in kept:
            cascade.delete_chart(store, chart.uuid)
    dashboard.tiles, dashboard.tabs = tiles, tabs
    dashboard.dashboardVersionId += 1
    dashboard.updatedAt, dashboard.updatedByUserUuid = store.now_iso(), user.userUuid


@registry.operation("deleteDashboardExt")
def delete_dashboard_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a dashboard with its own charts, comments, pins and schedulers."""
    cascade.delete_dashboard(store, dashboard_in_path(store, req, space_role="editor").uuid)
    return None
