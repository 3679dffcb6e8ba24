"""Charts: saved charts (the ``/api/v1/saved`` extension routes and ``POST /projects/{p}/saved``),
their version history and rollback."""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, chart_in_path, count_view, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")


def _default_space(store: LightdashStore, user: m.User, project_uuid: str) -> m.Space:
    spaces = [s for s in store.visible_spaces(user, project_uuid) if store.space_role(user, s) != "viewer"]
    if not spaces:
        raise NotFoundError("No space found to save the chart in")
    return min(spaces, key=lambda s: s.createdAt)


@registry.operation("createSavedChartExt")
def create_saved_chart_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Save a chart in a space (or a dashboard), recording its first version."""
    user, data = me(req), body(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    dashboard_uuid = data.get("dashboardUuid")
    if dashboard_uuid:
        dashboard = store.get_dashboard(dashboard_uuid)
        space = store.spaces[dashboard.spaceUuid]
    elif data.get("spaceUuid"):
        space = store.get_space(data["spaceUuid"], project.projectUuid)
    else:
        space = _default_space(store, user, project.projectUuid)
    store.require_space(user, space, "editor")
    now = store.now_iso()
    taken = {c.slug for c in store.saved_charts.values() if c.projectUuid == project.projectUuid}
    chart = m.SavedChart(
        uuid=store.new_uuid(), projectUuid=project.projectUuid, spaceUuid=space.uuid, name=data["name"],
        description=data.get("description"), tableName=data["tableName"],
        metricQuery=copy.deepcopy(data["metricQuery"]), chartConfig=copy.deepcopy(data["chartConfig"]),
        tableConfig=copy.deepcopy(data["tableConfig"]), pivotConfig=copy.deepcopy(data.get("pivotConfig")),
        slug=store.slugify(data["name"], taken), createdAt=now, updatedAt=now, updatedByUserUuid=user.userUuid,
        dashboardUuid=dashboard_uuid or None)
    store.saved_charts[chart.uuid] = chart
    store.record_version(chart, user.userUuid)
    return content.saved_chart(store, chart)


@registry.operation("getSavedChartExt")
def get_saved_chart_ext(store: LightdashStore, req: OpRequest) -> Any:
    """A saved chart (by uuid or slug) with its query, config and space access."""
    chart = chart_in_path(store, req)
    count_view(store, chart)
    return content.saved_chart(store, chart)


@registry.operation("updateSavedChartExt")
def update_saved_chart_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Rename, describe or move a chart; its content changes only through new versions.

    As ``SavedChartModel.update``: only name, description and space (a move takes it out of its
    dashboard); content changes are new versions (``createSavedChartVersionExt``)."""
    chart, data = chart_in_path(store, req, space_role="editor"), body(req)
    target = None
    if "spaceUuid" in data and data["spaceUuid"] != chart.spaceUuid:
        target = store.get_space(data["spaceUuid"], chart.projectUuid)
        store.require_space(me(req), target, "editor")
    for key in ("name", "description"):
        if key in data:
            setattr(chart, key, data[key])
    if target is not None:
        chart.spaceUuid, chart.dashboardUuid = target.uuid, None
    chart.updatedAt, chart.updatedByUserUuid = store.now_iso(), me(req).userUuid
    return content.saved_chart(store, chart)


@registry.operation("createSavedChartVersionExt")
def create_saved_chart_version_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Save a new version of a chart's content (table, metric query, chart/table/pivot config).

    As ``SavedChartModel.createVersion``: the sent content becomes the chart's latest version (no
    ``pivotConfig``: no pivot); name and description are never written."""
    chart, data = chart_in_path(store, req, space_role="editor"), body(req)
    user = me(req)
    chart.tableName = data["tableName"]
    for key in ("metricQuery", "chartConfig", "tableConfig"):
        setattr(chart, key, copy.deepcopy(data[key]))
    chart.pivotConfig = copy.deepcopy(data.get("pivotConfig"))
    chart.updatedAt, chart.updatedByUserUuid = store.now_iso(), user.userUuid
    store.record_version(chart, user.userUuid)
    return content.saved_chart(store, chart)


@registry.operation("deleteSavedChartExt")
def delete_saved_chart_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a chart: it leaves every dashboard, pinned list and scheduler."""
    cascade.delete_chart(store, chart_in_path(store, req, space_role="editor").uuid)
    return None


def _summary(store: LightdashStore, version: m.ChartVersion) -> dict[str, Any]:
    from mockbi.vendors.lightdash.wire.common import updated_by

    return {"chartUuid": version.chartUuid, "versionUuid": version.versionUuid, "createdAt": version.createdAt,
            "createdBy": updated_by(store, version.createdByUserUuid)}


def _version(chart: m.SavedChart, version_uuid: str) -> m.ChartVersion:
    found = next((v for v in chart.versions if v.versionUuid == version_uuid), None)
    if found is None:
        raise NotFoundError("Chart version not found")
    return found


@registry.operation("GetChartHistory")
def get_chart_history(store: LightdashStore, req: OpRequest) -> Any:
    """The chart's versions, newest first."""
    chart = chart_in_path(store, req)
    return {"history": [_summary(store, v) for v in reversed(chart.versions)]}


@registry.operation("GetChartVersion")
def get_chart_version(store: LightdashStore, req: OpRequest) -> Any:
    """One version of a chart, with the chart as it was then."""
    chart = chart_in_path(store, req)
    version = _version(chart, req.path["versionUuid"])
    return _summary(store, version) | {"chart": content.saved_chart(store, chart, version.snapshot)}


@registry.operation("postChartVersionRollback")
def post_chart_version_rollback(store: LightdashStore, req: OpRequest) -> Any:
    """Restore a version's content as a new latest version."""
    chart = chart_in_path(store, req, space_role="editor")
    version = _version(chart, req.path["versionUuid"])
    if version is chart.versions[-1]:
        raise ParameterError("Can't rollback to the current version")
    snap = copy.deepcopy(version.snapshot)
    for key in ("name", "description", "tableName", "metricQuery", "chartConfig", "tableConfig", "pivotConfig"):
        setattr(chart, key, snap[key])
    chart.updatedAt, chart.updatedByUserUuid = store.now_iso(), me(req).userUuid
    store.record_version(chart, me(req).userUuid)
    return None
