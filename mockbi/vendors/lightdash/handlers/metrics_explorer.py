"""Metrics Explorer: a metric over its time dimension between two dates (segmented or compared), and
its total for the current period (optionally against the previous one). Both run their warehouse queries off
the event loop."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.handlers._common import body
from mockbi.vendors.lightdash.handlers._dataplane import deferred, project_plane
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")


@registry.operation("runMetricExplorerQuery")
def run_metric_explorer_query(store: LightdashStore, req: OpRequest) -> Any:
    """Data points of a metric per time bucket in [startDate, endDate), with its segment or comparison."""
    _, plane = project_plane(store, req)
    data = body(req)
    return deferred(plane.deferred_metric_explorer_query(
        req.path["explore"], req.path["metric"], start_date=req.query["startDate"],
        end_date=req.query["endDate"], query=data.get("query") or {},
        time_dimension_override=data.get("timeDimensionOverride"), now=store.now()))


@registry.operation("runMetricTotal")
def run_metric_total(store: LightdashStore, req: OpRequest) -> Any:
    """A metric's total over the current ``timeFrame`` period (and the previous one when compared)."""
    _, plane = project_plane(store, req)
    return deferred(plane.deferred_metric_total(
        req.path["explore"], req.path["metric"], time_frame=req.query["timeFrame"],
        comparison_type=body(req).get("comparisonType") or "none", now=store.now()))
