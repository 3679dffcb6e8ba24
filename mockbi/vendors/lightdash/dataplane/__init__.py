"""Lightdash data plane: a seeded semantic layer over a real SQL warehouse, and the queries that run on it.

No HTTP. A store builds one ``DataPlane`` per project from its own ``random.Random``, seeded ``Faker``
and clock; its warehouse rows live in the world's DuckDB engine (``runner.Warehouses``) and every query
is SQL in the project's dialect (``warehouseConnection.type``), transpiled by sqlglot. Handlers call its
methods and map ``DataPlaneError`` (``status``, ``name``, ``message``) onto the Lightdash error envelope.
"""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from faker import Faker

from .compile import compile_query
from .csv_export import could_be_truncated, csv_file_name, csv_options, render_csv
from .errors import (
    CompileError,
    DataPlaneError,
    FieldReferenceError,
    KnexPaginationError,
    NotExistsError,
    NotFoundError,
    ParameterError,
    WarehouseQueryError,
)
from .jobs import Job, JobQueue
from .metrics import (
    catalog_fields,
    find_metric,
    metric_total,
    metric_with_time_dimension,
    run_metric_explorer_query,
    search_catalog,
)
from .plan import CSV_CELLS_LIMIT, MISSING, QueryResult, get_explore
from .query import PreparedQuery, prepare_query, totals_of, totals_query
from .runner import ProjectWarehouse, Warehouses, location
from .semantic import build_explores, summarize
from .warehouse import Warehouse


class DataPlane:
    """One project's explores + warehouse, with every query operation over them.

    ``warehouses`` is the world's engine (a store passes its own, kept across resets); without one the
    plane gets a private engine. ``warehouse`` holds the seeded rows (read-only), ``sql`` runs SQL on them.
    A deep copy shares ``sql`` (the rows never change) and copies the explores and catalog; a pickle
    (a store image) holds ``sql`` as the world plus the key of its rows, never the rows or the engine."""

    def __init__(self, rng: random.Random, faker: Faker, *, anchor: datetime,
                 scenario: Mapping[str, Any] | None = None, database: str = "analytics",
                 schema: str = "jaffle_shop", target: str = "postgres", warehouses: Warehouses | None = None,
                 ) -> None:
        self.target = target
        self.explores: dict[str, dict[str, Any]] = build_explores(database, schema, target)
        world = warehouses if warehouses is not None else Warehouses()
        self.sql: ProjectWarehouse = world.project(rng, faker, anchor=anchor, scenario=scenario,
                                                   warehouse_type=target, database=database, schema=schema)
        self.catalog: list[dict[str, Any]] = catalog_fields(self.explores, rng)

    @property
    def warehouse(self) -> Warehouse:
        """The seeded rows (read-only: the engine's tables were loaded from them)."""
        return self.sql.warehouse

    def __deepcopy__(self, memo: dict[int, Any]) -> DataPlane:
        clone = object.__new__(DataPlane)
        clone.target = self.target
        clone.explores = copy.deepcopy(self.explores, memo)
        clone.catalog = copy.deepcopy(self.catalog, memo)
        clone.sql = self.sql
        return clone

    # -- explores ---------------------------------------------------------------------------------
    def list_explores(self) -> list[dict[str, Any]]:
        """GetExplores results (SummaryExplore entries)."""
        return [summarize(e) for e in self.explores.values()]

    def get_explore(self, name: str) -> dict[str, Any]:
        """GetExplore results; NotExistsError 404 'Explore "x" does not exist.'.

        The stored explore itself, not a copy: explores are replaced (``set_explores``), never changed in
        place, and callers only read or serialise them."""
        return get_explore(self.explores, name)

    def set_explores(self, explores: list[dict[str, Any]]) -> None:
        """SetExplores: replace the explores. A query on a table the warehouse lacks fails as the warehouse
        would (Postgres: ``relation "x" does not exist``)."""
        self.explores = {str(e["name"]): copy.deepcopy(e) for e in explores
                         if isinstance(e, dict) and "name" in e}

    # -- queries ----------------------------------------------------------------------------------
    def prepare(self, explore_name: str, metric_query: Mapping[str, Any], *, now: datetime,
                csv_limit: Any = MISSING, granularity: str | None = None) -> PreparedQuery:
        """Plan, compile and transpile a metric query; ``.run()`` executes it (safe in a worker thread)."""
        return prepare_query(self.explores, self.sql, explore_name, metric_query, now=now,
                             csv_limit=csv_limit, granularity=granularity)

    def run(self, explore_name: str, metric_query: Mapping[str, Any], *, now: datetime,
            csv_limit: Any = MISSING, granularity: str | None = None) -> QueryResult:
        """Execute a metric query; ``.to_api()`` gives the runQuery ``results`` body."""
        return self.prepare(explore_name, metric_query, now=now, csv_limit=csv_limit, granularity=granularity).run()

    def run_query(self, explore_name: str, metric_query: Mapping[str, Any], *, now: datetime,
                  granularity: str | None = None) -> dict[str, Any]:
        """RunMetricQuery / runUnderlyingDataQuery results: {metricQuery, cacheMetadata, rows, fields}."""
        return self.run(explore_name, metric_query, now=now, granularity=granularity).to_api()

    def calculate_total(self, explore_name: str, metric_query: Mapping[str, Any], *,
                        now: datetime) -> dict[str, Any]:
        """CalculateTotalFromQuery/FromSavedChart results: metric field id -> total."""
        prepared = self.prepare_total(explore_name, metric_query, now=now)
        return {} if prepared is None else totals_of(prepared.run(), metric_query)

    def prepare_total(self, explore_name: str, metric_query: Mapping[str, Any], *,
                      now: datetime) -> PreparedQuery | None:
        """The totals query (None when there is no metric to total)."""
        get_explore(self.explores, explore_name)
        if not metric_query.get("metrics"):
            return None
        return totals_query(self.explores, self.sql, explore_name, metric_query, now=now)

    def compile(self, explore_name: str, metric_query: Mapping[str, Any], *, now: datetime) -> str:
        """CompileQuery results: the SQL string."""
        return compile_query(self.explores, explore_name, metric_query, now=now)

    def csv(self, explore_name: str, body: Mapping[str, Any], *, now: datetime) -> tuple[str, bool]:
        """(csv text, truncated) for a DownloadCsvFromExplore body (csvLimit absent/null/number).

        ``truncated`` is Lightdash's ``couldBeTruncated``: true only when the rows fill the cell budget,
        not when ``csvLimit`` (or the query's limit) cut them."""
        return self.prepare_csv(explore_name, body, now=now)()

    def prepare_csv(self, explore_name: str, body: Mapping[str, Any], *,
                    now: datetime) -> Callable[[], tuple[str, bool]]:
        """``csv`` in two steps: the query planned and compiled now (its DataPlaneError raised now), the run
        and the rendering in the function returned (safe in a worker thread: it reads nothing of the store)."""
        csv_limit = body["csvLimit"] if "csvLimit" in body else MISSING
        prepared = self.prepare(explore_name, body, now=now, csv_limit=csv_limit)
        options = csv_options(body)

        def render() -> tuple[str, bool]:
            result = prepared.run()
            truncated = could_be_truncated(len(result.rows), len(result.columns), CSV_CELLS_LIMIT)
            return render_csv(result, **options), truncated

        return render

    def prepare_run(self, explore_name: str, metric_query: Mapping[str, Any], *,
                    now: datetime) -> Callable[[], QueryResult]:
        """``run`` in two steps: planned and compiled now, executed by the function returned."""
        return self.prepare(explore_name, metric_query, now=now).run

    def deferred_metric_explorer_query(self, explore_name: str, metric_name: str, **kwargs: Any,
                                       ) -> Callable[[], dict[str, Any]]:
        """``metric_explorer_query`` bound to the explores and warehouse of now (a worker thread may run it)."""
        return functools.partial(run_metric_explorer_query, self.explores, self.sql, explore_name, metric_name,
                                 **kwargs)

    def deferred_metric_total(self, explore_name: str, metric_name: str, **kwargs: Any,
                              ) -> Callable[[], dict[str, Any]]:
        """``metric_total`` bound to the explores and warehouse of now (a worker thread may run it)."""
        return functools.partial(metric_total, self.explores, self.sql, explore_name, metric_name, **kwargs)

    # -- metrics ----------------------------------------------------------------------------------
    def metrics_catalog(self, **kwargs: Any) -> dict[str, Any]:
        """getMetricsCatalog results; kwargs: search, sort, order, categories, page, page_size."""
        return search_catalog(self.catalog, **kwargs)

    def metric(self, table: str, name: str) -> dict[str, Any]:
        """getMetric results (MetricWithAssociatedTimeDimension) for a metric of a base table."""
        for explore in self.explores.values():
            if explore["baseTable"] == table:
                return metric_with_time_dimension(explore, find_metric(explore, table, name))
        raise NotFoundError(f"Metric {table}.{name} not found")

    def metrics_with_time_dimensions(self) -> list[dict[str, Any]]:
        out = []
        for explore in self.explores.values():
            for metric in explore["tables"].get(explore["baseTable"], {}).get("metrics", {}).values():
                enriched = metric_with_time_dimension(explore, metric)
                if enriched.get("timeDimension"):
                    out.append(enriched)
        return out

    def metric_explorer_query(self, explore_name: str, metric_name: str, *, start_date: str, end_date: str,
                              query: Mapping[str, Any], time_dimension_override: Mapping[str, Any] | None = None,
                              now: datetime) -> dict[str, Any]:
        return run_metric_explorer_query(self.explores, self.sql, explore_name, metric_name,
                                         start_date=start_date, end_date=end_date, query=query,
                                         time_dimension_override=time_dimension_override, now=now)

    def metric_total(self, explore_name: str, metric_name: str, *, time_frame: str,
                     comparison_type: str = "none", now: datetime) -> dict[str, Any]:
        return metric_total(self.explores, self.sql, explore_name, metric_name, time_frame=time_frame,
                            comparison_type=comparison_type, now=now)


def job_queue(clock: Callable[[], datetime], rng: random.Random, **durations: float) -> JobQueue:
    """A JobQueue on ``clock`` (``start_after``/``run_for`` seconds configurable)."""
    return JobQueue(clock, rng, **durations)


__all__ = [
    "MISSING", "CompileError", "DataPlane", "DataPlaneError", "FieldReferenceError", "Job", "JobQueue",
    "KnexPaginationError", "NotExistsError", "NotFoundError", "ParameterError", "PreparedQuery", "ProjectWarehouse",
    "QueryResult", "Warehouse", "WarehouseQueryError", "Warehouses", "csv_file_name", "job_queue", "location",
    "render_csv",
]
