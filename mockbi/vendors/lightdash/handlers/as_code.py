"""Charts and dashboards as code (``lightdash download`` / ``lightdash upload``): content keyed by slug, with
spaces by slug and dashboard tiles pointing at charts by slug. Upserting creates or updates by slug and
answers with ``PromotionChanges``. Needs ``developer`` (manage ContentAsCode)."""

from __future__ import annotations

import copy
from types import MappingProxyType
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, by_slug, in_project, me
from mockbi.vendors.lightdash.handlers.promotion import CHART_DAO, DASHBOARD_DAO, pick, space_data
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")

VERSION = 1
FILTER_GROUPS = ("dimensions", "metrics", "tableCalculations")
TILE_PROPS = MappingProxyType({"saved_chart": ("chartSlug",), "markdown": ("title", "content"),
                               "loom": ("title", "url")})


def _space_slug(store: LightdashStore, space_uuid: str) -> str:
    return store.spaces[space_uuid].slug


def chart_as_code(store: LightdashStore, c: m.SavedChart, now: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "slug": c.slug, "dashboardUuid": c.dashboardUuid, "tableName": c.tableName,
                           "updatedAt": c.updatedAt, "metricQuery": copy.deepcopy(c.metricQuery),
                           "chartConfig": copy.deepcopy(c.chartConfig), "tableConfig": copy.deepcopy(c.tableConfig),
                           "spaceSlug": _space_slug(store, c.spaceUuid), "version": VERSION, "downloadedAt": now}
    if c.description is not None:
        out["description"] = c.description
    if c.pivotConfig:
        out["pivotConfig"] = copy.deepcopy(c.pivotConfig)
    return out


def tile_as_code(store: LightdashStore, tile: dict[str, Any]) -> dict[str, Any]:
    """A tile without uuids: a chart tile names its chart by slug."""
    out = {k: copy.deepcopy(v) for k, v in tile.items() if k != "uuid"}
    if tile.get("type") == "saved_chart":
        props = tile.get("properties", {})
        chart = store.saved_charts.get(props.get("savedChartUuid") or "")
        out["properties"] = {"title": props.get("title", ""), "hideTitle": bool(props.get("hideTitle", False)),
                             "chartName": chart.name if chart else props.get("chartName"),
                             "chartSlug": chart.slug if chart else None}
    return out


def dashboard_as_code(store: LightdashStore, d: m.Dashboard, now: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": d.name, "slug": d.slug, "updatedAt": d.updatedAt,
                           "filters": copy.deepcopy(d.filters), "tabs": copy.deepcopy(d.tabs),
                           "tiles": [tile_as_code(store, t) for t in d.tiles],
                           "spaceSlug": _space_slug(store, d.spaceUuid), "version": VERSION, "downloadedAt": now}
    if d.description is not None:
        out["description"] = d.description
    return out


def _space(store: LightdashStore, user: m.User, project: m.Project, slug: str,
           changes: dict[str, list[Any]]) -> m.Space:
    """The project's space with ``slug``, created (named after the slug) if missing."""
    space = by_slug(store.spaces.values(), project.projectUuid, slug)
    if space is None:
        name = " ".join(w.capitalize() for w in slug.replace("_", "-").split("-") if w) or slug
        space = m.Space(uuid=store.new_uuid(), projectUuid=project.projectUuid, name=name, slug=slug,
                        isPrivate=False, createdAt=store.now_iso(), createdByUserUuid=user.userUuid)
        store.spaces[space.uuid] = space
        changes["spaces"].append({"action": "create", "data": space_data(store, space, project)})
    return space


def _filters(raw: Any) -> dict[str, Any]:
    """Dashboard filters as code: an object of rule lists; each rule has ``id``, ``target``, ``operator``."""
    if not isinstance(raw, dict):
        raise ParameterError("Dashboard filters must be an object")
    out = {}
    for group in FILTER_GROUPS:
        rules = raw.get(group, [])
        if not isinstance(rules, list) or not all(
                isinstance(r, dict) and isinstance(r.get("target"), dict) and "id" in r and "operator" in r
                for r in rules):
            raise ParameterError(f"Invalid dashboard filters: {group}")
        out[group] = copy.deepcopy(rules)
    return out


def _tiles(store: LightdashStore, project: m.Project, raw: Any, tabs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tiles from code: new uuids, chart slugs resolved to the project's charts (404 for an unknown one)."""
    if not isinstance(raw, list):
        raise ParameterError("Dashboard tiles must be a list")
    tab_uuids = {t["uuid"] for t in tabs}
    out = []
    for tile in raw:
        if not isinstance(tile, dict) or tile.get("type") not in TILE_PROPS or not all(
                isinstance(tile.get(k), int | float) for k in ("x", "y", "w", "h")):
            raise ParameterError("Each tile needs a type (saved_chart, markdown or loom) and x, y, w, h")
        props = tile.get("properties")
        if not isinstance(props, dict) or not all(isinstance(props.get(k), str) for k in TILE_PROPS[tile["type"]]):
            raise ParameterError(f"Invalid properties for a {tile['type']} tile")
        if tile.get("tabUuid") is not None and tile["tabUuid"] not in tab_uuids:
            raise ParameterError(f"Tile references an unknown tab {tile['tabUuid']}")
        new = {"uuid": store.new_uuid(), "type": tile["type"], "x": tile["x"], "y": tile["y"], "w": tile["w"],
               "h": tile["h"], "tabUuid": tile.get("tabUuid"), "properties": copy.deepcopy(props)}
        if tile["type"] == "saved_chart":
            slug = props["chartSlug"]
            chart = by_slug(store.saved_charts.values(), project.projectUuid, slug)
            if chart is None:
                raise NotFoundError(f"Chart with slug {slug} not found")
            new["properties"] = {"savedChartUuid": chart.uuid, "title": str(props.get("title", "")),
                                 "hideTitle": bool(props.get("hideTitle", False)), "chartName": chart.name}
        out.append(new)
    return out


@registry.operation("getChartsAsCode")
def get_charts_as_code(store: LightdashStore, req: OpRequest) -> Any:
    """Every chart of the project as code (developers), ordered by slug."""
    project = store.require_project(me(req), req.path["projectUuid"], "developer")
    now = store.now_iso()
    return [chart_as_code(store, c, now) for c in in_project(store.saved_charts.values(), project.projectUuid)]


@registry.operation("getDashboardsAsCode")
def get_dashboards_as_code(store: LightdashStore, req: OpRequest) -> Any:
    """Every dashboard of the project as code (developers), tiles naming charts by slug."""
    project = store.require_project(me(req), req.path["projectUuid"], "developer")
    now = store.now_iso()
    return [dashboard_as_code(store, d, now) for d in in_project(store.dashboards.values(), project.projectUuid)]


@registry.operation("upsertChartAsCode")
def upsert_chart_as_code(store: LightdashStore, req: OpRequest) -> Any:
    """Create the chart with this slug, or update it (new version); its space is found or made by slug."""
    user, data = me(req), body(req)
    project = store.require_project(user, req.path["projectUuid"], "developer")
    slug = req.path["slug"]
    if not isinstance(data["metricQuery"], dict) or not isinstance(data["chartConfig"], dict):
        raise ParameterError("metricQuery and chartConfig must be objects")
    dashboard_uuid = data["dashboardUuid"]
    if dashboard_uuid is not None:
        dashboard = store.get_dashboard(dashboard_uuid)
        if dashboard.projectUuid != project.projectUuid:
            raise NotFoundError("Dashboard not found")
    chart = by_slug(store.saved_charts.values(), project.projectUuid, slug)
    changes: dict[str, list[Any]] = {"spaces": [], "charts": [], "dashboards": []}
    space = _space(store, user, project, data["spaceSlug"], changes)
    now = store.now_iso()
    fields = {"name": data["name"], "description": data.get("description"), "tableName": data["tableName"],
              "metricQuery": copy.deepcopy(data["metricQuery"]), "chartConfig": copy.deepcopy(data["chartConfig"]),
              "tableConfig": copy.deepcopy(data["tableConfig"])}
    if chart is None:
        action = "create"
        chart = m.SavedChart(uuid=store.new_uuid(), projectUuid=project.projectUuid, spaceUuid=space.uuid,
                             pivotConfig=None, slug=slug, createdAt=now, updatedAt=now,
                             updatedByUserUuid=user.userUuid, dashboardUuid=dashboard_uuid, **fields)
        store.saved_charts[chart.uuid] = chart
    else:
        same = all(getattr(chart, k) == v for k, v in fields.items()) and chart.spaceUuid == space.uuid \
            and chart.dashboardUuid == dashboard_uuid
        action = "no changes" if same else "update"
        if not same:
            for key, value in fields.items():
                setattr(chart, key, value)
            chart.spaceUuid, chart.dashboardUuid = space.uuid, dashboard_uuid
            chart.updatedAt, chart.updatedByUserUuid = now, user.userUuid
    if action != "no changes":
        store.record_version(chart, user.userUuid)
    changes["charts"].append({"action": action, "data": pick(content.saved_chart(store, chart), CHART_DAO) | {
        "oldUuid": chart.uuid, "spaceSlug": space.slug}})
    return changes


@registry.operation("upsertDashboardAsCode")
def upsert_dashboard_as_code(store: LightdashStore, req: OpRequest) -> Any:
    """Create the dashboard with this slug, or update it (new dashboard version); tiles name charts by slug."""
    user, data = me(req), body(req)
    project = store.require_project(user, req.path["projectUuid"], "developer")
    slug = req.path["slug"]
    tabs = copy.deepcopy(data["tabs"])
    tiles, filters = _tiles(store, project, data["tiles"], tabs), _filters(data["filters"])
    changes: dict[str, list[Any]] = {"spaces": [], "charts": [], "dashboards": []}
    space = _space(store, user, project, data["spaceSlug"], changes)
    now = store.now_iso()
    dashboard = by_slug(store.dashboards.values(), project.projectUuid, slug)
    if dashboard is None:
        action = "create"
        dashboard = m.Dashboard(uuid=store.new_uuid(), projectUuid=project.projectUuid, spaceUuid=space.uuid,
                                name=data["name"], description=data.get("description"), slug=slug, createdAt=now,
                                updatedAt=now, updatedByUserUuid=user.userUuid, tiles=tiles, tabs=tabs,
                                filters=filters)
        store.dashboards[dashboard.uuid] = dashboard
    else:
        action = "update"
        dashboard.name, dashboard.description, dashboard.spaceUuid = data["name"], data.get("description"), space.uuid
        dashboard.tiles, dashboard.tabs, dashboard.filters = tiles, tabs, filters
        dashboard.updatedAt, dashboard.updatedByUserUuid = now, user.userUuid
        dashboard.dashboardVersionId += 1
        used = {t["properties"]["savedChartUuid"] for t in tiles if t["type"] == "saved_chart"}
        for orphan in [c for c in store.saved_charts.values() if c.dashboardUuid == dashboard.uuid
                       and c.uuid not in used]:
            cascade.delete_chart(store, orphan.uuid)
    changes["dashboards"].append({"action": action, "data": pick(content.dashboard(store, dashboard), DASHBOARD_DAO) | {
        "spaceSlug": space.slug}})
    return changes
