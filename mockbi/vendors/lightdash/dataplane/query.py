"""Run a MetricQuery: plan it, compile it to the project's SQL, let the warehouse engine execute it.

``prepare_query`` does everything that reads the explores (plan, compile, transpile) and returns a
``PreparedQuery``; its ``run()`` only touches the engine and the plan it holds, so a handler can prepare
under the store's lock and run the query in a worker thread. ``run_query`` does both in one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .compile import compile_plan
from .plan import MAX_LIMIT, MISSING, Plan, QueryResult, get_explore, plan_query, row_limit
from .runner import ProjectWarehouse

__all__ = ["MAX_LIMIT", "MISSING", "PreparedQuery", "calculate_totals", "prepare_query", "run_query"]


#: a kept result this small is rendered on the event loop (no hop to a worker thread and back)
QUICK_ROWS = 500


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A compiled metric query, ready to run on its project's warehouse."""

    plan: Plan
    sql: str  # in the project's dialect: what compileQuery answers
    engine_sql: str  # what the engine runs
    warehouse: ProjectWarehouse
    limit: int | None

    @property
    def quick(self) -> bool:
        """Whether running it is cheap: the engine kept its result, of at most ``QUICK_ROWS`` rows."""
        return self.warehouse.has_result(self.engine_sql, at_most=QUICK_ROWS)

    def run(self) -> QueryResult:
        result = self.warehouse.execute(self.engine_sql, self.sql)
        columns = self.plan.columns
        index = {name: i for i, name in enumerate(result.columns)}
        rows = [{c: row[index[c]] if c in index else None for c in columns} for row in result.rows]
        return QueryResult(self.plan.metric_query, columns, self.plan.items, rows,
                           len(rows) if self.limit is None else self.limit, self.sql)


def prepare_query(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
                  metric_query: Mapping[str, Any], *, now: datetime, csv_limit: Any = MISSING,
                  granularity: str | None = None, max_limit: int = MAX_LIMIT) -> PreparedQuery:
    """Limit check, explore lookup, plan, compile and transpile; raises what Lightdash raises."""
    limit = row_limit(metric_query, csv_limit, max_limit)
    explore = get_explore(explores, explore_name)
    plan = plan_query(explore, metric_query, granularity)
    return prepare_plan(plan, warehouse, now=now, limit=limit)


def prepare_plan(plan: Plan, warehouse: ProjectWarehouse, *, now: datetime, limit: int | None) -> PreparedQuery:
    sql = compile_plan(plan, now=now, limit=limit)
    return PreparedQuery(plan, sql, warehouse.transpile(sql, now), warehouse, limit)


def run_query(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
              metric_query: Mapping[str, Any], *, now: datetime, csv_limit: Any = MISSING,
              granularity: str | None = None, max_limit: int = MAX_LIMIT) -> QueryResult:
    """RunMetricQuery end to end."""
    return prepare_query(explores, warehouse, explore_name, metric_query, now=now, csv_limit=csv_limit,
                         granularity=granularity, max_limit=max_limit).run()


def totals_query(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
                 metric_query: Mapping[str, Any], *, now: datetime) -> PreparedQuery:
    """CalculateTotal: each metric over the whole dimension-filtered query (no dimensions, no limit)."""
    explore = get_explore(explores, explore_name)
    filters = metric_query.get("filters") or {}
    total_query = {**metric_query, "dimensions": [], "sorts": [], "tableCalculations": [],
                   "customDimensions": [],
                   "filters": {"dimensions": filters["dimensions"]} if filters.get("dimensions") else {}}
    return prepare_plan(plan_query(explore, total_query), warehouse, now=now, limit=None)


def totals_of(result: QueryResult, metric_query: Mapping[str, Any]) -> dict[str, Any]:
    row = result.rows[0] if result.rows else {}
    return {fid: row.get(fid) for fid in metric_query.get("metrics", [])}


def calculate_totals(explores: Mapping[str, dict[str, Any]], warehouse: ProjectWarehouse, explore_name: str,
                     metric_query: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    prepared = totals_query(explores, warehouse, explore_name, metric_query, now=now)
    return totals_of(prepared.run(), metric_query)
