"""A metric query resolved against its explore: the fields it names, the joins it needs, its limit.

``plan_query`` raises what Lightdash raises before any SQL exists (FieldReferenceError for an unknown
field, CompileError for a table calculation naming a field outside the query); ``compile.compile_plan``
turns the plan into warehouse SQL and ``query`` runs it. ``QueryResult`` is what comes back: raw values
per field id, rendered as ``{value: {raw, formatted}}`` rows by ``to_api``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockbi.core.encoding import json_copy

from .errors import NotExistsError, ParameterError
from .fields import Field, dimensions, metrics, resolve_custom_dimensions, resolve_dimension, resolve_metric
from .filters import iter_rules
from .formatting import result_value
from .tablecalc import check_references

MAX_LIMIT = 5000
CSV_CELLS_LIMIT = 100000
ECHO_KEYS = ("exploreName", "dimensions", "metrics", "filters", "sorts", "limit", "tableCalculations",
             "additionalMetrics", "customDimensions", "metadata", "timezone")
TABLE_REF = re.compile(r"\$\{(\w+)\.\w+\}")
MISSING: Any = object()


def get_explore(explores: Mapping[str, dict[str, Any]], name: str) -> dict[str, Any]:
    explore = explores.get(name)
    if explore is None or explore.get("errors"):
        raise NotExistsError(f'Explore "{name}" does not exist.')
    return explore


def row_limit(metric_query: Mapping[str, Any], csv_limit: Any = MISSING, max_limit: int = MAX_LIMIT) -> int:
    """Lightdash ``metricQueryWithLimit``: the query limit, or the CSV limit capped by the cell budget."""
    if csv_limit is MISSING:
        limit = metric_query.get("limit", 500)
        if limit > max_limit:
            raise ParameterError(f"Query limit can not exceed {max_limit}")
        return max(int(limit), 0)
    columns = len(metric_query.get("dimensions", [])) + len(metric_query.get("metrics", [])) + \
        len(metric_query.get("tableCalculations", []))
    if columns == 0:
        raise ParameterError("Query must have at least one dimension or metric")
    max_rows = CSV_CELLS_LIMIT // columns
    return max_rows if csv_limit is None else min(int(csv_limit), max_rows)


@dataclass(slots=True)
class QueryResult:
    """Raw results plus everything needed to render the API body, CSV or totals."""

    metric_query: dict[str, Any]
    columns: list[str]
    items: dict[str, dict[str, Any]]
    rows: list[dict[str, Any]]
    limit: int
    sql: str = ""  # the SQL the warehouse ran, in the project's dialect
    extra: dict[str, Any] = field(default_factory=dict)

    def api_rows(self) -> list[dict[str, Any]]:
        return [{fid: {"value": result_value(self.items[fid], row.get(fid))} for fid in self.columns}
                for row in self.rows]

    def to_api(self) -> dict[str, Any]:
        """``ApiQueryResults``: rows, fields, metricQuery, cacheMetadata."""
        return {
            "metricQuery": json_copy(self.metric_query),
            "cacheMetadata": {"cacheHit": False},
            "rows": self.api_rows(),
            "fields": json_copy(self.items),  # the explore's own dicts: a JSON copy, ~10x a deepcopy
        }


@dataclass(slots=True)
class Plan:
    explore: dict[str, Any]
    metric_query: dict[str, Any]
    dimensions: list[Field]
    metrics: list[Field]
    filter_dimensions: dict[str, Field]
    filter_metrics: dict[str, Field]
    calcs: list[dict[str, Any]]
    joins: list[dict[str, Any]]

    @property
    def columns(self) -> list[str]:
        return [f.field_id for f in self.dimensions] + [f.field_id for f in self.metrics] + \
            [str(c["name"]) for c in self.calcs]

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        items = {f.field_id: f.item for f in [*self.dimensions, *self.metrics]}
        for calc in self.calcs:
            items[str(calc["name"])] = calc
        return items


def _apply_granularity(metric_query: dict[str, Any], explore: dict[str, Any], granularity: str | None) -> None:
    if not granularity:
        return
    interval = granularity.lower()
    swap: dict[str, str] = {}
    for fid in metric_query.get("dimensions", []):
        dim = resolve_dimension(explore, fid).item
        if dim.get("timeInterval") and dim.get("timeIntervalBaseDimensionName"):
            swap[fid] = f"{dim['table']}_{dim['timeIntervalBaseDimensionName']}_{interval}"
    metric_query["dimensions"] = [swap.get(f, f) for f in metric_query.get("dimensions", [])]
    for sort in metric_query.get("sorts", []):
        sort["fieldId"] = swap.get(sort.get("fieldId"), sort.get("fieldId"))


def _needed_tables(explore: dict[str, Any], fields: list[Field]) -> set[str]:
    needed = {explore["baseTable"]}
    for f in fields:
        if f.table:
            needed.add(f.table)
        if f.kind == "custom_dimension" and f.bin is None:
            needed.update(TABLE_REF.findall(str(f.item.get("sql", ""))))
        if f.base is not None and f.base.table:
            needed.add(f.base.table)
    return needed


def plan_query(explore: dict[str, Any], metric_query: Mapping[str, Any], granularity: str | None = None) -> Plan:
    """Resolve every field the query names; raises FieldReferenceError/CompileError like Lightdash."""
    echo = {k: json_copy(metric_query[k]) for k in ECHO_KEYS if k in metric_query}
    echo.setdefault("filters", {})
    echo.setdefault("sorts", [])
    echo.setdefault("tableCalculations", [])
    _apply_granularity(echo, explore, granularity)
    custom = resolve_custom_dimensions(explore, echo.get("customDimensions"))
    additional = echo.get("additionalMetrics") or []
    by_dim, by_met = dimensions(explore), metrics(explore)  # indexed once, not per field
    dims = [resolve_dimension(explore, fid, custom, index=by_dim) for fid in echo.get("dimensions", [])]
    dims += [f for cid, f in custom.items() if cid not in {d.field_id for d in dims}]
    mets = [resolve_metric(explore, fid, additional, index=by_met) for fid in echo.get("metrics", [])]
    filters = echo.get("filters") or {}
    fdims = {r["target"]["fieldId"]: resolve_dimension(explore, r["target"]["fieldId"], custom, index=by_dim)
             for r in iter_rules(filters.get("dimensions"))}
    fmets = {r["target"]["fieldId"]: resolve_metric(explore, r["target"]["fieldId"], additional, index=by_met)
             for r in iter_rules(filters.get("metrics"))}
    valid = {f.field_id for f in dims} | {f.field_id for f in mets}
    for calc in echo.get("tableCalculations", []):
        check_references(calc, valid)
        valid.add(calc["name"])
    needed = _needed_tables(explore, [*dims, *mets, *fdims.values(), *fmets.values()])
    joins = [j for j in explore.get("joinedTables", []) if j["table"] in needed or j.get("always")]
    return Plan(explore, echo, dims, mets, fdims, fmets, list(echo.get("tableCalculations", [])), joins)
