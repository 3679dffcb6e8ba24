"""Metrics catalog and metrics explorer, computed from the same semantic layer and warehouse.

- ``catalog_fields``: CatalogField entries for every metric of every explore's base table.
- ``search_catalog``: getMetricsCatalog's search/sort/categories and Knex pagination rule.
- ``metric_with_time_dimension``: MetricWithAssociatedTimeDimension (getMetric, metrics-with-time-dimensions).
- ``run_metric_explorer_query``: a metric over a time dimension at an interval between two dates, optionally
  segmented by a dimension or compared with the previous period / a different metric.
- ``metric_total``: runMetricTotal, the current ``timeFrame`` period (and the one before) up to ``now``.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from .errors import FieldReferenceError, KnexPaginationError
from .fields import dimensions, item_id, metrics
from .filters import add_units, parse_instant, start_of
from .formatting import result_value, to_datetime
from .plan import MAX_LIMIT, get_explore, plan_query
from .query import prepare_plan
from .runner import ProjectWarehouse

UNIT_OF = MappingProxyType({"DAY": "days", "WEEK": "weeks", "MONTH": "months", "QUARTER": "quarters", "YEAR": "years"})


def truncate(value: datetime, interval: str | None) -> date | datetime:
    """DATE_TRUNC of an instant to DAY..YEAR (a date), for matching previous-period buckets."""
    day = value.date()
    if interval == "WEEK":
        return day - timedelta(days=day.weekday())
    if interval == "MONTH":
        return day.replace(day=1)
    if interval == "QUARTER":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if interval == "YEAR":
        return day.replace(month=1, day=1)
    return day if interval == "DAY" else value


def catalog_fields(explores: Mapping[str, dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    entries = []
    for explore in explores.values():
        table = explore["tables"].get(explore["baseTable"], {})
        for metric in table.get("metrics", {}).values():
            if metric.get("hidden"):
                continue
            entries.append({
                "name": metric["name"],
                "label": metric["label"],
                "fieldType": "metric",
                "tableLabel": metric["tableLabel"],
                "description": metric.get("description", ""),
                "requiredAttributes": {},
                "icon": None,
                "chartUsage": 0,
                "categories": [],
                "tags": list(explore.get("tags", [])),
                "tableName": metric["table"],
                "basicType": "number",
                "type": "field",
                "catalogSearchUuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                **({"tableGroupLabel": explore["groupLabel"]} if explore.get("groupLabel") else {}),
            })
    return entries


def search_catalog(entries: list[dict[str, Any]], *, search: str | None = None, sort: str | None = None,
                   order: str | None = None, categories: list[str] | None = None, page: float | None = None,
                   page_size: float | None = None) -> dict[str, Any]:
    """``{data, pagination?}``; pagination only when both page and pageSize are given."""
    if page is not None and page < 1:  # the same words as every other Knex-paginated list
        raise KnexPaginationError("page should be greater than 0")
    if page_size is not None and page_size < 1:
        raise KnexPaginationError("pageSize should be greater than 0")
    data = list(entries)
    if search:
        needle = search.lower()
        data = [e for e in data if needle in e["name"].lower() or needle in e["label"].lower()
                or needle in e.get("description", "").lower()]
    if categories:
        data = [e for e in data if {c["name"] for c in e["categories"]} & set(categories)]
    key = sort if sort in ("name", "label", "chartUsage", "tableName") else "name"
    data.sort(key=lambda e: e.get(key) or 0, reverse=order == "desc")
    if page and page_size:
        total = len(data)
        start = (int(page) - 1) * int(page_size)
        return {"data": data[start:start + int(page_size)],
                "pagination": {"page": int(page), "pageSize": int(page_size), "totalResults": total,
                               "totalPageCount": math.ceil(total / page_size)}}
    return {"data": data}


def find_metric(explore: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    metric = metrics(explore).get(f"{table}_{name}")
    if metric is None:
        raise FieldReferenceError(f"Tried to reference metric with unknown field id: {table}_{name}")
    return metric


def metric_with_time_dimension(explore: dict[str, Any], metric: dict[str, Any],
                               override: Mapping[str, Any] | None = None) -> dict[str, Any]:
    available = [d for d in dimensions(explore).values()
                 if d.get("type") in ("date", "timestamp") and d.get("isIntervalBase")]
    out = dict(metric)
    out["availableTimeDimensions"] = available
    default = override or metric.get("defaultTimeDimension")
    if default:
        out["timeDimension"] = {"field": default["field"], "interval": default["interval"],
                                "table": default.get("table", metric["table"])}
    return out


def _window_filter(base_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    return {"id": "metrics-explorer-window", "and": [
        {"id": "from", "target": {"fieldId": base_id}, "operator": "greaterThanOrEqual",
         "values": [start.isoformat()]},
        {"id": "to", "target": {"fieldId": base_id}, "operator": "lessThan", "values": [end.isoformat()]},
    ]}


def _series(explore: dict[str, Any], warehouse: ProjectWarehouse, metric_id: str, time: Mapping[str, Any],
            start: datetime, end: datetime, segment: str | None, now: datetime) -> dict[tuple[Any, Any], Any]:
    base_id = f"{time['table']}_{time['field']}"
    dim_id = f"{base_id}_{str(time['interval']).lower()}"
    dims = [dim_id] + ([segment] if segment else [])
    query = {"exploreName": explore["name"], "dimensions": dims, "metrics": [metric_id],
             "filters": {"dimensions": _window_filter(base_id, start, end)},
             "sorts": [{"fieldId": dim_id, "descending": False}], "tableCalculations": [], "limit": MAX_LIMIT}
    result = prepare_plan(plan_query(explore, query), warehouse, now=now, limit=MAX_LIMIT).run()
    return {(to_datetime(row[dim_id]), row.get(segment) if segment else None): row[metric_id]
            for row in result.rows if row[dim_id] is not None}


def run_metric_explorer_query(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
                              metric_name: str, *, start_date: str, end_date: str, query: Mapping[str, Any],
                              time_dimension_override: Mapping[str, Any] | None = None,
                              now: datetime) -> dict[str, Any]:
    """runMetricExplorerQuery results: ``{results, fields, segmentDimension, compareMetric, metric}``."""
    explore = get_explore(explores, explore_name)
    metric = find_metric(explore, explore["baseTable"], metric_name)
    enriched = metric_with_time_dimension(explore, metric, time_dimension_override)
    time = enriched.get("timeDimension")
    if not time:
        raise FieldReferenceError(f"Metric {metric_name} has no time dimension")
    start, end = parse_instant(start_date), parse_instant(end_date)
    comparison = query.get("comparison", "none")
    segment = query.get("segmentDimension") if comparison == "none" else None
    if segment and segment not in dimensions(explore):
        raise FieldReferenceError(f"Tried to reference dimension with unknown field id: {segment}")
    current = _series(explore, warehouse, item_id(metric), time, start, end, segment, now)
    compare: dict[Any, Any] = {}
    compare_item: dict[str, Any] | None = None
    if comparison == "previous_period":
        span = end - start
        prior = _series(explore, warehouse, item_id(metric), time, start - span, start, None, now)
        compare = {to_datetime(truncate(k[0] + span, time["interval"])): v for k, v in prior.items()}
        compare_item = enriched
    elif comparison == "different_metric" and isinstance(query.get("metric"), Mapping):
        other = find_metric(explore, query["metric"]["table"], query["metric"]["name"])
        compare_item = metric_with_time_dimension(explore, other)
        series = _series(explore, warehouse, item_id(other), time, start, end, None, now)
        compare = {k[0]: v for k, v in series.items()}
    results = []
    for (bucket, seg), value in current.items():
        instant = to_datetime(bucket)
        results.append({
            "date": instant.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "dateValue": int(instant.timestamp() * 1000),
            "segment": None if seg is None else str(seg),
            "metric": {"value": value, "label": metric["label"]},
            "compareMetric": {"value": compare.get(bucket),
                              "label": compare_item["label"] if compare_item else None},
        })
    dim_id = f"{time['table']}_{time['field']}_{str(time['interval']).lower()}"
    fields = {item_id(metric): metric, dim_id: dimensions(explore).get(dim_id)}
    if segment:
        fields[segment] = dimensions(explore)[segment]
    return {"results": results, "fields": {k: v for k, v in fields.items() if v is not None},
            "segmentDimension": dimensions(explore).get(segment) if segment else None,
            "compareMetric": compare_item if comparison == "different_metric" else None,
            "metric": enriched}


def metric_total(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
                 metric_name: str, *, time_frame: str, comparison_type: str = "none",
                 now: datetime) -> dict[str, Any]:
    """runMetricTotal: ``{value, comparisonValue?}`` as ResultValues for the current ``time_frame``."""
    explore = get_explore(explores, explore_name)
    metric = find_metric(explore, explore["baseTable"], metric_name)
    time = metric_with_time_dimension(explore, metric).get("timeDimension")
    if not time:
        raise FieldReferenceError(f"Metric {metric_name} has no time dimension")
    unit = UNIT_OF.get(time_frame, "days")
    start = start_of(now, unit)

    def total(lo: datetime, hi: datetime) -> Any:
        query = {"exploreName": explore["name"], "dimensions": [], "metrics": [item_id(metric)],
                 "filters": {"dimensions": _window_filter(f"{time['table']}_{time['field']}", lo, hi)},
                 "sorts": [], "tableCalculations": [], "limit": 1}
        rows = prepare_plan(plan_query(explore, query), warehouse, now=now, limit=1).run().rows
        return rows[0][item_id(metric)] if rows else None

    out = {"value": result_value(metric, total(start, add_units(start, 1, unit)))}
    if comparison_type == "previous_period":
        out["comparisonValue"] = result_value(metric, total(add_units(start, -1, unit), start))
    return out
