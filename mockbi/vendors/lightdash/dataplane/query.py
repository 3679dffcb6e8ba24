"""Execute a MetricQuery over the in-memory warehouse with SQL semantics.

Order of work mirrors the SQL Lightdash generates: FROM base table, LEFT JOIN only the joined tables
the query references, WHERE (dimension filters), GROUP BY the dimensions (time dimensions truncated by
interval), aggregate the metrics, metric filters (the ``metrics`` CTE), table calculations and their
filters, ORDER BY (postgres NULL ordering), LIMIT.
"""

from __future__ import annotations

import copy
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from operator import itemgetter
from typing import Any

from .errors import NotExistsError, ParameterError, WarehouseQueryError
from .fields import Field, resolve_custom_dimensions, resolve_dimension, resolve_metric
from .filters import evaluate_group, iter_rules
from .formatting import result_value
from .tablecalc import check_references, evaluate
from .warehouse import Row, Warehouse

MAX_LIMIT = 5000
CSV_CELLS_LIMIT = 100000
ECHO_KEYS = ("exploreName", "dimensions", "metrics", "filters", "sorts", "limit", "tableCalculations",
             "additionalMetrics", "customDimensions", "metadata", "timezone")
JOIN_PAIR = re.compile(r"\$\{(\w+)\.(\w+)\}\s*=\s*\$\{(\w+)\.(\w+)\}")
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


def truncate(value: Any, interval: str | None) -> Any:
    """DATE_TRUNC: a date for DAY..YEAR (Lightdash types those dimensions ``date``)."""
    if value is None or interval is None or not isinstance(value, date):
        return value
    if interval in ("HOUR", "MINUTE", "SECOND", "MILLISECOND") and isinstance(value, datetime):
        keep = {"HOUR": dict(minute=0, second=0, microsecond=0), "MINUTE": dict(second=0, microsecond=0),
                "SECOND": dict(microsecond=0), "MILLISECOND": {}}[interval]
        return value.replace(**keep)  # type: ignore[arg-type]
    day = value.date() if isinstance(value, datetime) else value
    if interval == "WEEK":
        return day - timedelta(days=day.weekday())
    if interval == "MONTH":
        return day.replace(day=1)
    if interval == "QUARTER":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if interval == "YEAR":
        return day.replace(month=1, day=1)
    return day


def _bin_label(value: Any, spec: dict[str, Any], bounds: tuple[float, float] | None) -> Any:
    if value is None:
        return None
    kind = spec.get("binType")
    if kind == "fixed_width":
        width = spec.get("binWidth") or 1
        start = math.floor(value / width) * width
        return f"{start}-{start + width - 1}"
    if kind == "custom_range":
        for rng in spec.get("customRange") or []:
            lo, hi = rng.get("from"), rng.get("to")
            if (lo is None or value >= lo) and (hi is None or value < hi):
                return f"<{hi}" if lo is None else (f"≥{lo}" if hi is None else f"{lo}-{hi}")
        return None
    if bounds is None:
        return None
    lo, hi = math.floor(bounds[0]), math.ceil(bounds[1])
    width = max(math.floor((hi - lo) / (spec.get("binNumber") or 1)), 1)
    start = lo + min(math.floor((value - lo) / width), int(spec.get("binNumber") or 1) - 1) * width
    return f"{start}-{start + width}"


@dataclass(slots=True)
class QueryResult:
    """Raw results plus everything needed to render the API body, CSV or totals."""

    metric_query: dict[str, Any]
    columns: list[str]
    items: dict[str, dict[str, Any]]
    rows: list[dict[str, Any]]
    total_rows: int  # rows before LIMIT
    limit: int
    extra: dict[str, Any] = field(default_factory=dict)

    def api_rows(self) -> list[dict[str, Any]]:
        return [{fid: {"value": result_value(self.items[fid], row.get(fid))} for fid in self.columns}
                for row in self.rows]

    def to_api(self) -> dict[str, Any]:
        """``ApiQueryResults``: rows, fields, metricQuery, cacheMetadata."""
        return {
            "metricQuery": copy.deepcopy(self.metric_query),
            "cacheMetadata": {"cacheHit": False},
            "rows": self.api_rows(),
            "fields": copy.deepcopy(self.items),
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


def plan_query(explore: dict[str, Any], metric_query: Mapping[str, Any], granularity: str | None = None) -> Plan:
    """Resolve every field the query names; raises FieldReferenceError/CompileError like Lightdash."""
    echo = {k: copy.deepcopy(metric_query[k]) for k in ECHO_KEYS if k in metric_query}
    echo.setdefault("filters", {})
    echo.setdefault("sorts", [])
    echo.setdefault("tableCalculations", [])
    _apply_granularity(echo, explore, granularity)
    custom = resolve_custom_dimensions(explore, echo.get("customDimensions"))
    additional = echo.get("additionalMetrics") or []
    dims = [resolve_dimension(explore, fid, custom) for fid in echo.get("dimensions", [])]
    dims += [f for cid, f in custom.items() if cid not in {d.field_id for d in dims}]
    mets = [resolve_metric(explore, fid, additional) for fid in echo.get("metrics", [])]
    filters = echo.get("filters") or {}
    fdims = {r["target"]["fieldId"]: resolve_dimension(explore, r["target"]["fieldId"], custom)
             for r in iter_rules(filters.get("dimensions"))}
    fmets = {r["target"]["fieldId"]: resolve_metric(explore, r["target"]["fieldId"], additional)
             for r in iter_rules(filters.get("metrics"))}
    valid = {f.field_id for f in dims} | {f.field_id for f in mets}
    for calc in echo.get("tableCalculations", []):
        check_references(calc, valid)
        valid.add(calc["name"])
    needed = {explore["baseTable"]}
    for f in [*dims, *mets, *fdims.values(), *fmets.values()]:
        if f.table:
            needed.add(f.table)
    joins = [j for j in explore.get("joinedTables", []) if j["table"] in needed or j.get("always")]
    return Plan(explore, echo, dims, mets, fdims, fmets, list(echo.get("tableCalculations", [])), joins)


def joined_rows(explore: dict[str, Any], joins: list[dict[str, Any]],
                warehouse: Warehouse) -> list[dict[str, Row | None]]:
    """FROM base LEFT JOIN ... as a list of ``{table: row-or-None}``."""
    base = explore["baseTable"]
    rows: list[dict[str, Row | None]] = [{base: r} for r in warehouse.rows(base)]
    for join in joins:
        target = join["table"]
        pair = JOIN_PAIR.search(join.get("sqlOn", ""))
        index: dict[Any, list[Row]] = defaultdict(list)
        other = key = target_key = None
        if pair:
            (t1, f1), (t2, f2) = (pair.group(1), pair.group(2)), (pair.group(3), pair.group(4))
            if t2 != target:
                (t1, f1), (t2, f2) = (t2, f2), (t1, f1)
            other = t1
            key = resolve_dimension(explore, f"{t1}_{f1}").column
            target_key = resolve_dimension(explore, f"{t2}_{f2}").column
            for candidate in warehouse.rows(target):
                index[candidate.get(target_key or "")].append(candidate)
        out: list[dict[str, Row | None]] = []
        for current in rows:
            source = current.get(other or "")
            value = source.get(key or "") if source else None
            matches = index.get(value, []) if value is not None else []
            if matches:
                out.extend({**current, target: m} for m in matches)
            elif join.get("type", "left") != "inner":
                out.append({**current, target: None})
        rows = out
    return rows


class _Evaluator:
    def __init__(self, plan: Plan, warehouse: Warehouse) -> None:
        self.bounds: dict[str, tuple[float, float]] = {}
        for f in [*plan.dimensions, *plan.filter_dimensions.values()]:
            if f.bin and f.bin.get("binType") == "fixed_number":
                values = [r.get(f.column or "") for r in warehouse.rows(f.table or "")]
                numbers = [v for v in values if isinstance(v, (int, float))]
                if numbers:
                    self.bounds[f.field_id] = (min(numbers), max(numbers))

    def dimension(self, f: Field, joined: Mapping[str, Row | None]) -> Any:
        row = joined.get(f.table or "")
        value = row.get(f.column) if row is not None and f.column else None
        if f.bin is not None:
            return _bin_label(value, f.bin, self.bounds.get(f.field_id))
        return truncate(value, f.interval)


def aggregate(kind: str | None, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if kind == "count":
        return len(present)
    if kind == "count_distinct":
        return len(set(present))
    if not present:
        return None
    if kind == "sum":
        return sum(present) if all(isinstance(v, int) for v in present) else math.fsum(present)
    if kind == "average":
        return math.fsum(present) / len(present)
    if kind == "min":
        return min(present)
    if kind == "max":
        return max(present)
    if kind == "median":
        return statistics.median(present)
    return None


def _sort_rows(rows: list[dict[str, Any]], sorts: list[dict[str, Any]], columns: set[str]) -> list[dict[str, Any]]:
    for sort in reversed(sorts):
        fid = sort.get("fieldId")
        if fid not in columns:
            raise WarehouseQueryError(f'column "{fid}" does not exist')
        desc = bool(sort.get("descending"))
        present = [r for r in rows if r.get(fid) is not None]
        nulls = [r for r in rows if r.get(fid) is None]
        present.sort(key=itemgetter(fid), reverse=desc)
        rows = nulls + present if desc else present + nulls  # postgres: NULLS LAST asc, FIRST desc
    return rows


def execute(plan: Plan, warehouse: Warehouse, *, now: datetime, limit: int | None = None) -> QueryResult:
    """Run a planned query; ``limit=None`` means no LIMIT (used for totals)."""
    ev = _Evaluator(plan, warehouse)
    filters = plan.metric_query.get("filters") or {}
    rows = joined_rows(plan.explore, plan.joins, warehouse)
    dim_filter = filters.get("dimensions")
    if dim_filter:
        def lookup_dim(joined: Mapping[str, Row | None], fid: str) -> tuple[Any, str]:
            f = plan.filter_dimensions[fid]
            return ev.dimension(f, joined), f.type
        rows = [r for r in rows if evaluate_group(dim_filter, partial(lookup_dim, r), now) is True]
    groups: dict[tuple[Any, ...], list[dict[str, Row | None]]] = {}
    for joined in rows:
        key = tuple(ev.dimension(f, joined) for f in plan.dimensions)
        groups.setdefault(key, []).append(joined)
    if not plan.dimensions and not groups:
        groups[()] = []
    all_metrics = {f.field_id: f for f in plan.metrics} | plan.filter_metrics
    results: list[dict[str, Any]] = []
    for key, members in groups.items():
        out: dict[str, Any] = {f.field_id: v for f, v in zip(plan.dimensions, key, strict=True)}
        for fid, f in all_metrics.items():
            values = [(m.get(f.table or "") or {}).get(f.column or "") for m in members]
            out[fid] = aggregate(f.aggregate, values)
        results.append(out)
    if filters.get("metrics"):
        def lookup_metric(row: Mapping[str, Any], fid: str) -> tuple[Any, str]:
            kind = all_metrics[fid].type
            return row.get(fid), kind if kind in ("date", "timestamp") else "number"
        results = [r for r in results if evaluate_group(filters["metrics"], partial(lookup_metric, r), now) is True]
    for calc in plan.calcs:
        for r in results:
            r[calc["name"]] = evaluate(str(calc.get("sql", "")), r)
    if filters.get("tableCalculations"):
        types = {c["name"]: str(c.get("type", "number")) for c in plan.calcs}

        def lookup_calc(row: Mapping[str, Any], fid: str) -> tuple[Any, str]:
            return row.get(fid), types.get(fid, "number")
        results = [r for r in results
                   if evaluate_group(filters["tableCalculations"], partial(lookup_calc, r), now) is True]
    columns = [f.field_id for f in plan.dimensions] + [f.field_id for f in plan.metrics] + \
        [c["name"] for c in plan.calcs]
    results = _sort_rows(results, plan.metric_query.get("sorts") or [], set(columns))
    total = len(results)
    if limit is not None:
        results = results[:limit]
    items = {f.field_id: f.item for f in [*plan.dimensions, *plan.metrics]}
    for calc in plan.calcs:
        items[calc["name"]] = calc
    return QueryResult(plan.metric_query, columns, items,
                       [{c: r.get(c) for c in columns} for r in results], total, limit or total)


def run_query(explores: Mapping[str, dict[str, Any]], warehouse: Warehouse, explore_name: str,
              metric_query: Mapping[str, Any], *, now: datetime, csv_limit: Any = MISSING,
              granularity: str | None = None, max_limit: int = MAX_LIMIT) -> QueryResult:
    """RunMetricQuery end to end: limit check, explore lookup, plan, execute."""
    limit = row_limit(metric_query, csv_limit, max_limit)
    explore = get_explore(explores, explore_name)
    plan = plan_query(explore, metric_query, granularity)
    return execute(plan, warehouse, now=now, limit=limit)


def calculate_totals(explores: Mapping[str, dict[str, Any]], warehouse: Warehouse, explore_name: str,
                     metric_query: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """CalculateTotal: each metric over the whole dimension-filtered query (no dimensions, no limit)."""
    explore = get_explore(explores, explore_name)
    filters = metric_query.get("filters") or {}
    total_query = {**metric_query, "dimensions": [], "sorts": [], "tableCalculations": [],
                   "customDimensions": [],
                   "filters": {"dimensions": filters["dimensions"]} if filters.get("dimensions") else {}}
    plan = plan_query(explore, total_query)
    result = execute(plan, warehouse, now=now, limit=1)
    row = result.rows[0] if result.rows else {}
    return {fid: row.get(fid) for fid in metric_query.get("metrics", [])}
