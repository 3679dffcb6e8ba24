"""Helpers for the data-plane HTTP tests: the project's data plane as the server holds it, metric
query bodies, filter rules and raw values out of result rows."""

from __future__ import annotations

from typing import Any

from mockbi.vendors.lightdash.dataplane import DataPlane


def plane_of(ld: Any, project_uuid: str | None = None) -> DataPlane:
    """The server's data plane for a project (built on the server's loop if it was not yet)."""
    project = project_uuid or ld.project_uuid
    return ld.call(lambda: ld.store.data_plane(project))  # type: ignore[no-any-return]


def query(explore: str, dimensions: list[str], metrics: list[str], *, filters: dict[str, Any] | None = None,
          sorts: list[dict[str, Any]] | None = None, limit: int = 500,
          table_calculations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"exploreName": explore, "dimensions": dimensions, "metrics": metrics, "filters": filters or {},
            "sorts": sorts or [], "limit": limit, "tableCalculations": table_calculations or []}


def rule(field_id: str, operator: str, *values: Any, rule_id: str = "r") -> dict[str, Any]:
    return {"id": rule_id, "target": {"fieldId": field_id}, "operator": operator, "values": list(values)}


def and_(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"id": "g", "and": list(rules)}


def raws(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{fid: cell["value"]["raw"] for fid, cell in row.items()} for row in rows]


def run(ld: Any, mq: dict[str, Any], explore: str | None = None) -> dict[str, Any]:
    """RunMetricQuery results over HTTP."""
    path = f"/api/v1/projects/{ld.project_uuid}/explores/{explore or mq['exploreName']}/runQuery"
    return ld.ok("POST", path, json=mq)  # type: ignore[no-any-return]
