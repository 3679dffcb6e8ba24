"""Content as the API sends it: spaces, saved charts, dashboards and their summaries."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash import space_access as space_access_rules
from mockbi.vendors.lightdash.wire.common import compact, updated_by

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore


def chart_kind(chart: m.SavedChart) -> str:
    """The ``ChartKind`` Lightdash derives from a chart config."""
    ctype = chart.chartConfig.get("type", "cartesian")
    if ctype == "cartesian":
        series = chart.chartConfig.get("config", {}).get("eChartsConfig", {}).get("series", [])
        kinds = {s.get("type") for s in series}
        flipped = chart.chartConfig.get("config", {}).get("layout", {}).get("flipAxes", False)
        if len(kinds) > 1:
            return "mixed"
        kind = next(iter(kinds), "bar")
        if kind == "bar":
            return "horizontal_bar" if flipped else "vertical_bar"
        return str(kind) if kind in ("line", "scatter", "area") else "vertical_bar"
    return str(ctype)


def validation_errors(store: LightdashStore, **match: str) -> list[dict[str, Any]]:
    key, value = next(iter(match.items()))
    return [{"validationId": v.validationId, "createdAt": v.createdAt, "error": v.error}
            for v in store.validations.values() if getattr(v, key) == value]


def _description(d: dict[str, Any], description: str | None) -> dict[str, Any]:
    if description is not None:
        d["description"] = description
    return d


def chart_summary(store: LightdashStore, chart: m.SavedChart) -> dict[str, Any]:
    space = store.spaces[chart.spaceUuid]
    dashboard = store.dashboards.get(chart.dashboardUuid or "")
    pin_list, _ = store.pin_of(chart.projectUuid, chart.uuid)
    project = store.projects[chart.projectUuid]
    body = {"uuid": chart.uuid, "name": chart.name, "spaceUuid": space.uuid, "spaceName": space.name,
            "projectUuid": chart.projectUuid, "organizationUuid": project.organizationUuid,
            "pinnedListUuid": pin_list, "dashboardUuid": chart.dashboardUuid,
            "dashboardName": dashboard.name if dashboard else None, "slug": chart.slug,
            "chartType": chart.chartConfig.get("type", "cartesian"), "chartKind": chart_kind(chart),
            "source": "dbt_explore"}
    return _description(body, chart.description)


def space_query(store: LightdashStore, chart: m.SavedChart) -> dict[str, Any]:
    """``SpaceQuery``: a chart summary with update, view and validation details."""
    _, order = store.pin_of(chart.projectUuid, chart.uuid)
    return chart_summary(store, chart) | compact({"updatedByUser": updated_by(store, chart.updatedByUserUuid)}) | {
        "updatedAt": chart.updatedAt, "pinnedListOrder": order, "views": chart.views,
        "firstViewedAt": chart.firstViewedAt,
        "validationErrors": validation_errors(store, chartUuid=chart.uuid)}


def dashboard_basic(store: LightdashStore, dashboard: m.Dashboard) -> dict[str, Any]:
    """``DashboardBasicDetails``."""
    pin_list, order = store.pin_of(dashboard.projectUuid, dashboard.uuid)
    project = store.projects[dashboard.projectUuid]
    body = {"uuid": dashboard.uuid, "name": dashboard.name, "updatedAt": dashboard.updatedAt,
            "projectUuid": dashboard.projectUuid, "organizationUuid": project.organizationUuid,
            "spaceUuid": dashboard.spaceUuid, "views": dashboard.views, "firstViewedAt": dashboard.firstViewedAt,
            "pinnedListUuid": pin_list, "pinnedListOrder": order,
            "validationErrors": validation_errors(store, dashboardUuid=dashboard.uuid)}
    by = updated_by(store, dashboard.updatedByUserUuid)
    if by is not None:
        body["updatedByUser"] = by
    return _description(body, dashboard.description)


def space_share(store: LightdashStore, space: m.Space, user: m.User) -> dict[str, Any] | None:
    """``SpaceShare`` for one user, or None if the space's access list leaves the user out."""
    return space_access_rules.share(store, space, user)


def space_access(store: LightdashStore, space: m.Space) -> list[dict[str, Any]]:
    shares = [space_share(store, space, u) for u in store.org_members(store.projects[space.projectUuid]
                                                                      .organizationUuid)]
    return sorted((s for s in shares if s is not None), key=lambda s: (s["firstName"], s["lastName"]))


def space_summary(store: LightdashStore, space: m.Space, user: m.User | None) -> dict[str, Any]:
    """``SpaceSummary``; without a ``user``, ``Omit<SpaceSummary, 'userAccess'>`` (a promoted space)."""
    pin_list, order = store.pin_of(space.projectUuid, space.uuid)
    project = store.projects[space.projectUuid]
    body = {"uuid": space.uuid, "name": space.name, "projectUuid": space.projectUuid,
            "organizationUuid": project.organizationUuid, "isPrivate": space.isPrivate, "slug": space.slug,
            "pinnedListUuid": pin_list, "pinnedListOrder": order,
            "chartCount": sum(1 for c in store.saved_charts.values()
                              if c.spaceUuid == space.uuid and c.dashboardUuid is None),
            "dashboardCount": sum(1 for d in store.dashboards.values() if d.spaceUuid == space.uuid),
            "access": [s["userUuid"] for s in space_access(store, space) if s["hasDirectAccess"]]}
    mine = space_share(store, space, user) if user is not None else None
    if mine is not None:
        body["userAccess"] = mine
    return body


def space(store: LightdashStore, s: m.Space) -> dict[str, Any]:
    """``Space``: with its charts (``queries``), dashboards, user and group access."""
    pin_list, order = store.pin_of(s.projectUuid, s.uuid)
    project = store.projects[s.projectUuid]
    return {"organizationUuid": project.organizationUuid, "uuid": s.uuid, "name": s.name,
            "isPrivate": s.isPrivate, "projectUuid": s.projectUuid, "pinnedListUuid": pin_list,
            "pinnedListOrder": order, "slug": s.slug,
            "queries": [space_query(store, c) for c in store.saved_charts.values()
                        if c.spaceUuid == s.uuid and c.dashboardUuid is None],
            "dashboards": [dashboard_basic(store, d) for d in store.dashboards.values() if d.spaceUuid == s.uuid],
            "access": space_access(store, s),
            "groupsAccess": [{"groupUuid": g, "groupName": store.groups[g].name, "spaceRole": r}
                             for g, r in s.groupAccess.items() if g in store.groups]}


def saved_chart(store: LightdashStore, chart: m.SavedChart, content: dict[str, Any] | None = None,
                ) -> dict[str, Any]:
    """``SavedChart`` (``content`` replaces the chart's own query/config, e.g. an old version)."""
    src = content if content is not None else {
        "name": chart.name, "description": chart.description, "tableName": chart.tableName,
        "metricQuery": chart.metricQuery, "chartConfig": chart.chartConfig, "tableConfig": chart.tableConfig,
        "pivotConfig": chart.pivotConfig, "updatedAt": chart.updatedAt,
        "updatedByUserUuid": chart.updatedByUserUuid}
    s = store.spaces[chart.spaceUuid]
    dashboard = store.dashboards.get(chart.dashboardUuid or "")
    pin_list, order = store.pin_of(chart.projectUuid, chart.uuid)
    project = store.projects[chart.projectUuid]
    body: dict[str, Any] = {
        "uuid": chart.uuid, "projectUuid": chart.projectUuid, "name": src["name"],
        "tableName": src["tableName"], "updatedAt": src["updatedAt"],
        "metricQuery": copy.deepcopy(src["metricQuery"]), "chartConfig": copy.deepcopy(src["chartConfig"]),
        "tableConfig": copy.deepcopy(src["tableConfig"]), "organizationUuid": project.organizationUuid,
        "spaceUuid": s.uuid, "spaceName": s.name, "pinnedListUuid": pin_list, "pinnedListOrder": order,
        "dashboardUuid": chart.dashboardUuid, "dashboardName": dashboard.name if dashboard else None,
        "colorPalette": list(chart.colorPalette or store.organization().chartColors), "isPrivate": s.isPrivate,
        "access": space_access(store, s), "slug": chart.slug}
    if src.get("pivotConfig"):
        body["pivotConfig"] = copy.deepcopy(src["pivotConfig"])
    updater = src.get("updatedByUserUuid")
    by = updated_by(store, updater if isinstance(updater, str) else None)
    if by is not None:
        body["updatedByUser"] = by
    description = src.get("description")
    return _description(body, description if isinstance(description, str) else None)


def dashboard(store: LightdashStore, d: m.Dashboard) -> dict[str, Any]:
    """``Dashboard`` with tiles, tabs, filters and the space's access list."""
    s = store.spaces[d.spaceUuid]
    pin_list, order = store.pin_of(d.projectUuid, d.uuid)
    project = store.projects[d.projectUuid]
    body: dict[str, Any] = {
        "organizationUuid": project.organizationUuid, "projectUuid": d.projectUuid,
        "dashboardVersionId": d.dashboardVersionId, "uuid": d.uuid, "name": d.name, "updatedAt": d.updatedAt,
        "tiles": [_tile(store, t) for t in d.tiles], "filters": copy.deepcopy(d.filters),
        "spaceUuid": s.uuid, "spaceName": s.name, "views": d.views, "firstViewedAt": d.firstViewedAt,
        "pinnedListUuid": pin_list, "pinnedListOrder": order, "tabs": copy.deepcopy(d.tabs),
        "isPrivate": s.isPrivate, "access": space_access(store, s), "slug": d.slug,
        "config": copy.deepcopy(d.config)}
    by = updated_by(store, d.updatedByUserUuid)
    if by is not None:
        body["updatedByUser"] = by
    return _description(body, d.description)


def _tile(store: LightdashStore, tile: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(tile)
    if out.get("type") == "saved_chart":
        chart = store.saved_charts.get(out["properties"].get("savedChartUuid") or "")
        if chart is not None:
            out["properties"]["chartName"] = chart.name
            out["properties"]["chartSlug"] = chart.slug
            out["properties"]["belongsToDashboard"] = chart.dashboardUuid is not None
            out["properties"]["lastVersionChartKind"] = chart_kind(chart)
    return out
