"""Helpers shared by the data-plane handler modules (explores, queries, CSV jobs, catalog, metrics
explorer): the caller's project and its data plane, and ``DataPlaneError`` -> Lightdash's envelope.

Roles follow Lightdash's CASL abilities: viewing a project (explores, catalog, saved chart results) needs
``viewer``; exploring (ad-hoc queries, totals, compiled SQL, CSV exports) ``manage Explore``/``ExportCsv``,
given from ``interactive_viewer`` up; the SQL runner and deploying explores ``developer``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from mockbi.core.deferred import Deferred
from mockbi.core.errors import ApiError
from mockbi.core.messages import OpRequest
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.dataplane import DataPlane, DataPlaneError
from mockbi.vendors.lightdash.dataplane.fields import dimensions
from mockbi.vendors.lightdash.errors import JSON_UTF8, error_payload
from mockbi.vendors.lightdash.handlers._common import me
from mockbi.vendors.lightdash.store import LightdashStore

EXPLORE_ROLE = "interactive_viewer"


def plane_error(exc: DataPlaneError) -> ApiError:
    """The data plane's error in the Lightdash envelope, its name kept (FieldReferenceError, CompileError...)."""
    return ApiError(exc.status, error_payload(exc.status, exc.name, exc.message, exc.data),
                    content_type=JSON_UTF8, code=exc.name)


def deferred(work: Callable[[], Any], *, quick: bool = False) -> Deferred:
    """Run ``work`` (a prepared warehouse query and its rendering) off the event loop, its DataPlaneError
    answered in the envelope."""

    def translated_work() -> Any:
        with translated():
            return work()

    return Deferred(translated_work, quick)


@contextmanager
def translated() -> Iterator[None]:
    """Re-raise any ``DataPlaneError`` as the vendor's error response."""
    try:
        yield
    except DataPlaneError as exc:
        raise plane_error(exc) from exc


def project_plane(store: LightdashStore, req: OpRequest, minimum: str = "viewer",
                  ) -> tuple[m.Project, DataPlane]:
    """The project in ``req.path["projectUuid"]`` (404/403 as the store decides) and its data plane."""
    project = store.require_project(me(req), req.path["projectUuid"], minimum)
    return project, store.data_plane(project.projectUuid)


def _rules(group: Any) -> list[dict[str, Any]]:
    return group if isinstance(group, list) else []


def applied_dashboard_filters(plane: DataPlane, explore_name: str, dashboard_filters: Any,
                              tile_uuid: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The dashboard filter rules that apply to a chart: enabled, on a field of its explore, and not
    excluded for the tile (``tileTargets[tile] === false``) nor retargeted to another field."""
    explore = plane.explores.get(explore_name)
    filters = dashboard_filters if isinstance(dashboard_filters, Mapping) else {}
    applied: dict[str, list[dict[str, Any]]] = {"dimensions": [], "metrics": [], "tableCalculations": []}
    if explore is None:
        return applied
    dims = dimensions(explore)
    for rule in _rules(filters.get("dimensions")):
        if not isinstance(rule, dict) or rule.get("disabled"):
            continue
        target = dict(rule.get("target") or {})
        tile_target = (rule.get("tileTargets") or {}).get(tile_uuid) if tile_uuid else None
        if tile_target is False:
            continue
        if isinstance(tile_target, Mapping) and tile_target.get("fieldId"):
            target = {"fieldId": tile_target["fieldId"], "tableName": tile_target.get("tableName")}
        if target.get("fieldId") in dims:
            applied["dimensions"].append({**rule, "target": target})
    return applied


def with_dashboard_filters(metric_query: Mapping[str, Any], applied: Mapping[str, list[dict[str, Any]]],
                           sorts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The chart's query AND the applied dashboard dimension filters (and dashboard sorts, if any)."""
    query = dict(metric_query)
    filters = dict(query.get("filters") or {})
    rules = [{k: v for k, v in r.items() if k not in ("tileTargets", "label")} for r in applied["dimensions"]]
    if rules:
        own = filters.get("dimensions")
        items: list[Any] = ([own] if own else []) + rules
        filters["dimensions"] = {"id": "dashboard_filters", "and": items}
    query["filters"] = filters
    if sorts:
        query["sorts"] = sorts
    return query
