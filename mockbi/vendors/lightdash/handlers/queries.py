"""Queries: explore queries, underlying data, totals, saved chart results (alone, as a dashboard tile,
at a past version) and the SQL runner. Every answer is computed by the project's warehouse engine: the
handler plans and compiles under the store's lock, the query itself runs off the event loop
(``deferred``) so other requests keep flowing while it runs."""

from __future__ import annotations

import copy
from typing import Any

from mockbi.core.deferred import Deferred
from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.dataplane import DataPlane
from mockbi.vendors.lightdash.dataplane.query import totals_of
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, chart_in_path
from mockbi.vendors.lightdash.handlers._dataplane import (
    EXPLORE_ROLE,
    applied_dashboard_filters,
    deferred,
    project_plane,
    translated,
    with_dashboard_filters,
)
from mockbi.vendors.lightdash.handlers._sql import prepare_sql
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import content

registry = Registry("lightdash")


def _results(store: LightdashStore, plane: DataPlane, explore: str, metric_query: dict[str, Any],
             granularity: str | None = None) -> Deferred:
    """``metric_query`` prepared now, run off the loop; answers ApiQueryResults."""
    with translated():
        prepared = plane.prepare(explore, metric_query, now=store.now(), granularity=granularity)
    return deferred(lambda: prepared.run().to_api(), quick=prepared.quick)


def _totals(store: LightdashStore, plane: DataPlane, explore: str, metric_query: dict[str, Any]) -> Any:
    with translated():
        prepared = plane.prepare_total(explore, metric_query, now=store.now())
    if prepared is None:
        return {}
    metrics = {"metrics": list(metric_query.get("metrics", []))}
    return deferred(lambda: totals_of(prepared.run(), metrics))


def _run_explore_query(store: LightdashStore, req: OpRequest) -> Deferred:
    """The body's metric query run on the explore in the path (explorers and up)."""
    _, plane = project_plane(store, req, EXPLORE_ROLE)
    data = body(req)
    return _results(store, plane, req.path["exploreId"], data, data.get("granularity"))


@registry.operation("RunMetricQuery")
def run_metric_query(store: LightdashStore, req: OpRequest) -> Any:
    """Run a metric query on an explore: rows as ``{fieldId: {value: {raw, formatted}}}`` and the fields."""
    return _run_explore_query(store, req)


@registry.operation("postRunUnderlyingDataQuery")
def post_run_underlying_data_query(store: LightdashStore, req: OpRequest) -> Any:
    """Run the query behind a result cell (the "view underlying data" drill)."""
    return _run_explore_query(store, req)


@registry.operation("CalculateTotalFromQuery")
def calculate_total_from_query(store: LightdashStore, req: OpRequest) -> Any:
    """Each metric of the query over all rows that pass its dimension filters (fieldId -> number)."""
    _, plane = project_plane(store, req, EXPLORE_ROLE)
    data = body(req)
    return _totals(store, plane, data["explore"], data["metricQuery"])


@registry.operation("RunSqlQuery")
def run_sql_query(store: LightdashStore, req: OpRequest) -> Any:
    """Run SQL in the project's warehouse dialect (read-only queries; the driver's errors otherwise)."""
    _, plane = project_plane(store, req, "developer")
    with translated():
        run = prepare_sql(plane.sql, body(req)["sql"], store.now())
    return deferred(run)


@registry.operation("PostChartResults")
def post_chart_results(store: LightdashStore, req: OpRequest) -> Any:
    """A saved chart's results: its metric query run on its explore."""
    chart = chart_in_path(store, req)
    return _results(store, store.data_plane(chart.projectUuid), chart.tableName, chart.metricQuery)


@registry.operation("getChartVersionResults")
def get_chart_version_results(store: LightdashStore, req: OpRequest) -> Any:
    """The results of a chart as it was at one version (that version's metric query)."""
    chart = chart_in_path(store, req)
    version = next((v for v in chart.versions if v.versionUuid == req.path["versionUuid"]), None)
    if version is None:
        raise NotFoundError("Chart version not found")
    return _results(store, store.data_plane(chart.projectUuid), version.snapshot.get("tableName", chart.tableName),
                    version.snapshot["metricQuery"])


@registry.operation("PostDashboardTile")
def post_dashboard_tile(store: LightdashStore, req: OpRequest) -> Any:
    """A dashboard tile: the chart, its explore, the dashboard filters that applied, and its results."""
    chart = chart_in_path(store, req)
    data = body(req)
    dashboard = store.get_dashboard(data["dashboardUuid"])
    plane = store.data_plane(chart.projectUuid)
    tile = next((t["uuid"] for t in dashboard.tiles
                 if t.get("properties", {}).get("savedChartUuid") == chart.uuid), None)
    applied = applied_dashboard_filters(plane, chart.tableName, data.get("dashboardFilters"), tile)
    query = with_dashboard_filters(chart.metricQuery, applied, data.get("dashboardSorts") or None)
    with translated():
        explore = plane.get_explore(chart.tableName)  # replaced on SetExplores, never changed
        prepared = plane.prepare(chart.tableName, query, now=store.now(), granularity=data.get("granularity"))
    head = {"chart": content.saved_chart(store, chart), "explore": explore,
            "appliedDashboardFilters": copy.deepcopy(applied)}
    return deferred(lambda: {**head, **prepared.run().to_api()})


@registry.operation("CalculateTotalFromSavedChart")
def calculate_total_from_saved_chart(store: LightdashStore, req: OpRequest) -> Any:
    """Totals of a saved chart's metrics, with the dashboard's filters applied when given."""
    chart = chart_in_path(store, req)
    plane = store.data_plane(chart.projectUuid)
    applied = applied_dashboard_filters(plane, chart.tableName, body(req).get("dashboardFilters"))
    return _totals(store, plane, chart.tableName, with_dashboard_filters(chart.metricQuery, applied))
