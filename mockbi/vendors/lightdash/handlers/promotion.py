"""Promotion: copy a chart or a dashboard (with its charts) from a project to its upstream project,
matching content by slug (spaces too): missing content is created, different content updated, and a
diff endpoint lists what promoting would do. Needs ``developer`` on both projects; content in private
spaces cannot be promoted, and a project without an upstream project has nothing to promote to (404).
"""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import ForbiddenError, NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import by_slug, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")

CHART_CONTENT = ("name", "description", "tableName", "metricQuery", "chartConfig", "tableConfig", "pivotConfig")
DASHBOARD_CONTENT = ("name", "description", "tabs", "filters", "config")
CHART_DAO = ("name", "description", "uuid", "spaceName", "spaceUuid", "projectUuid", "organizationUuid",
             "pinnedListUuid", "dashboardUuid", "dashboardName", "slug", "tableName", "updatedAt", "updatedByUser",
             "pinnedListOrder", "metricQuery", "pivotConfig", "chartConfig", "tableConfig", "colorPalette")
DASHBOARD_DAO = ("name", "description", "uuid", "spaceName", "spaceUuid", "projectUuid", "organizationUuid",
                 "pinnedListUuid", "slug", "dashboardVersionId", "updatedAt", "tiles", "filters", "updatedByUser",
                 "views", "firstViewedAt", "pinnedListOrder", "tabs", "config")


def pick(d: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d}


def upstream_of(store: LightdashStore, user: m.User, project_uuid: str, what: str) -> m.Project:
    """The upstream project (404 if none), after checking ``developer`` on both sides."""
    project = store.require_project(user, project_uuid, "developer")
    if not project.upstreamProjectUuid:
        raise NotFoundError(f"This {what} does not have an upstream project")
    return store.require_project(user, project.upstreamProjectUuid, "developer")


def space_data(store: LightdashStore, space: m.Space, upstream: m.Project) -> dict[str, Any]:
    """``PromotedSpace`` (``Omit<SpaceSummary, 'userAccess'>``) of a space to create in ``upstream``."""
    return content.space_summary(store, space, None) | {
        "isPrivate": False, "projectUuid": upstream.projectUuid, "organizationUuid": upstream.organizationUuid}


class Plan:
    """What promoting would change upstream, as ``PromotionChanges`` (``spaces``, ``charts``, ``dashboards``)."""

    def __init__(self, store: LightdashStore, upstream: m.Project) -> None:
        self.store, self.upstream = store, upstream
        self.spaces: dict[str, dict[str, Any]] = {}
        self.charts: list[tuple[m.SavedChart, m.SavedChart | None, str]] = []
        self.changes: dict[str, list[dict[str, Any]]] = {"spaces": [], "charts": [], "dashboards": []}

    def space(self, space: m.Space) -> m.Space | None:
        """The upstream space with the same slug (None: promoting creates it); private spaces refuse."""
        if space.isPrivate:
            raise ForbiddenError("Failed to promote: We can't promote content on private spaces.")
        found = by_slug(self.store.spaces.values(), self.upstream.projectUuid, space.slug)
        if found is not None and found.isPrivate:
            raise ForbiddenError("Failed to promote: We can't promote content to private spaces.")
        if found is None and space.slug not in self.spaces:
            self.spaces[space.slug] = space_data(self.store, space, self.upstream)
            self.changes["spaces"].append({"action": "create", "data": self.spaces[space.slug]})
        return found

    def chart(self, chart: m.SavedChart) -> None:
        if any(planned is chart for planned, _, _ in self.charts):
            return
        self.space(self.store.spaces[chart.spaceUuid])
        existing = by_slug(self.store.saved_charts.values(), self.upstream.projectUuid, chart.slug)
        if existing is None:
            action = "create"
        else:
            same = all(getattr(existing, k) == getattr(chart, k) for k in CHART_CONTENT)
            action = "no changes" if same else "update"
        data = pick(content.saved_chart(self.store, chart), CHART_DAO) | {
            "projectUuid": self.upstream.projectUuid, "uuid": existing.uuid if existing else chart.uuid,
            "oldUuid": chart.uuid, "spaceSlug": self.store.spaces[chart.spaceUuid].slug}
        self.charts.append((chart, existing, action))
        self.changes["charts"].append({"action": action, "data": data})

    # --- applying the plan ----------------------------------------------------------------------
    def upstream_space(self, space: m.Space, user: m.User) -> m.Space:
        found = by_slug(self.store.spaces.values(), self.upstream.projectUuid, space.slug)
        if found is None:
            found = m.Space(uuid=self.store.new_uuid(), projectUuid=self.upstream.projectUuid, name=space.name,
                            slug=space.slug, isPrivate=False, createdAt=self.store.now_iso(),
                            createdByUserUuid=user.userUuid)
            self.store.spaces[found.uuid] = found
        return found

    def apply_chart(self, chart: m.SavedChart, existing: m.SavedChart | None, user: m.User,
                    dashboard_uuid: str | None = None) -> m.SavedChart:
        store, now = self.store, self.store.now_iso()
        space = self.upstream_space(store.spaces[chart.spaceUuid], user)
        target = existing
        if target is None:
            target = copy.deepcopy(chart)
            target.uuid, target.projectUuid, target.createdAt, target.versions = store.new_uuid(), \
                self.upstream.projectUuid, now, []
            target.views, target.firstViewedAt = 0, None
            store.saved_charts[target.uuid] = target
        for key in CHART_CONTENT:
            setattr(target, key, copy.deepcopy(getattr(chart, key)))
        target.spaceUuid, target.dashboardUuid = space.uuid, dashboard_uuid
        target.updatedAt, target.updatedByUserUuid = now, user.userUuid
        store.record_version(target, user.userUuid)
        return target


def _chart(store: LightdashStore, req: OpRequest) -> tuple[m.SavedChart, Plan]:
    user = me(req)
    chart = store.get_chart(req.path["chartUuid"])
    upstream = upstream_of(store, user, chart.projectUuid, "chart")
    store.require_space(user, store.spaces[chart.spaceUuid], "editor")
    if chart.dashboardUuid is not None:
        raise ParameterError("Promoting charts within dashboards is not supported")
    plan = Plan(store, upstream)
    plan.chart(chart)
    return chart, plan


def _dashboard(store: LightdashStore, req: OpRequest) -> tuple[m.Dashboard, Plan, m.Dashboard | None]:
    user = me(req)
    dashboard = store.get_dashboard(req.path["dashboardUuid"])
    upstream = upstream_of(store, user, dashboard.projectUuid, "dashboard")
    store.require_space(user, store.spaces[dashboard.spaceUuid], "editor")
    plan = Plan(store, upstream)
    plan.space(store.spaces[dashboard.spaceUuid])
    existing = by_slug(store.dashboards.values(), upstream.projectUuid, dashboard.slug)
    for tile in dashboard.tiles:
        chart = store.saved_charts.get(tile.get("properties", {}).get("savedChartUuid") or "")
        if tile.get("type") == "saved_chart" and chart is not None:
            plan.chart(chart)
    if existing is None:
        action = "create"
    else:
        same = all(getattr(existing, k) == getattr(dashboard, k) for k in DASHBOARD_CONTENT) and \
            len(existing.tiles) == len(dashboard.tiles)
        action = "no changes" if same and all(a == "no changes" for _, _, a in plan.charts) else "update"
    data = pick(content.dashboard(store, dashboard), DASHBOARD_DAO) | {
        "projectUuid": upstream.projectUuid, "uuid": existing.uuid if existing else dashboard.uuid,
        "spaceSlug": store.spaces[dashboard.spaceUuid].slug}
    plan.changes["dashboards"].append({"action": action, "data": data})
    return dashboard, plan, existing


@registry.operation("promoteChartDiff")
def promote_chart_diff(store: LightdashStore, req: OpRequest) -> Any:
    """What promoting the chart would create or update in the upstream project."""
    return _chart(store, req)[1].changes


@registry.operation("promoteChart")
def promote_chart(store: LightdashStore, req: OpRequest) -> Any:
    """Create or update the chart (and its space) in the upstream project; returns the upstream chart."""
    _, plan = _chart(store, req)
    chart, existing, _ = plan.charts[0]
    promoted = plan.apply_chart(chart, existing, me(req))
    return pick(content.saved_chart(store, promoted), CHART_DAO)


@registry.operation("promoteDashboardDiff")
def promote_dashboard_diff(store: LightdashStore, req: OpRequest) -> Any:
    """What promoting the dashboard (and the charts on it) would change in the upstream project."""
    return _dashboard(store, req)[1].changes


@registry.operation("promoteDashboard")
def promote_dashboard(store: LightdashStore, req: OpRequest) -> Any:
    """Create or update the dashboard, its charts and spaces upstream; returns the upstream dashboard."""
    user = me(req)
    dashboard, plan, target = _dashboard(store, req)
    now = store.now_iso()
    space = plan.upstream_space(store.spaces[dashboard.spaceUuid], user)
    if target is None:
        target = copy.deepcopy(dashboard)
        target.uuid, target.projectUuid, target.createdAt = store.new_uuid(), plan.upstream.projectUuid, now
        target.views, target.firstViewedAt, target.dashboardVersionId = 0, None, 1
        store.dashboards[target.uuid] = target
    else:
        target.dashboardVersionId += 1
    mapping = {}
    for chart, existing, _ in plan.charts:
        owned = chart.dashboardUuid == dashboard.uuid
        mapping[chart.uuid] = plan.apply_chart(chart, existing, user, target.uuid if owned else None).uuid
    for key in DASHBOARD_CONTENT:
        setattr(target, key, copy.deepcopy(getattr(dashboard, key)))
    target.tiles = copy.deepcopy(dashboard.tiles)
    for tile in target.tiles:
        tile["uuid"] = store.new_uuid()
        props = tile.get("properties", {})
        if tile.get("type") == "saved_chart" and props.get("savedChartUuid") in mapping:
            props["savedChartUuid"] = mapping[props["savedChartUuid"]]
    target.spaceUuid, target.updatedAt, target.updatedByUserUuid = space.uuid, now, user.userUuid
    return pick(content.dashboard(store, target), DASHBOARD_DAO)
