"""The project's warehouse as a real SQL engine: one in-memory DuckDB database holding the seeded tables.

DuckDB rather than SQLite (both measured on this machine, see the commit that introduced this module):
DuckDB speaks a Postgres-like dialect that sqlglot transpiles every warehouse dialect into
(``DATE_TRUNC``, ``PERCENTILE_CONT ... WITHIN GROUP``, window functions, ``INTERVAL`` arithmetic, real
``DATE``/``TIMESTAMP``/``DECIMAL`` types) and runs a 100,000-row ``GROUP BY`` in a few milliseconds;
SQLite has no date or decimal types and no ``DATE_TRUNC``, so dates would be text and sums binary floats.

The tables are loaded once from the seeded rows and never change: the connection refuses file and
network access (``enable_external_access=false``), its configuration is locked, and only statements the
dialect layer rebuilt from a parsed ``SELECT`` ever reach it. Every query runs on its own cursor (DuckDB
cursors are independent connections to the same database, safe to use from a worker thread), is
interrupted by the engine's watchdog after ``timeout`` seconds, and may return at most ``max_rows`` rows.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from .warehouse import Warehouse

#: column types of the seeded tables (DECIMAL amounts: sums are exact, as Postgres ``numeric`` sums are)
COLUMN_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "customers": (("customer_id", "INTEGER"), ("first_name", "VARCHAR"), ("last_name", "VARCHAR"),
                  ("email", "VARCHAR"), ("country", "VARCHAR"), ("is_active", "BOOLEAN"),
                  ("created_at", "TIMESTAMP"), ("first_order_date", "DATE")),
    "orders": (("order_id", "INTEGER"), ("customer_id", "INTEGER"), ("status", "VARCHAR"),
               ("promo_code", "VARCHAR"), ("amount", "DECIMAL(12,2)"), ("is_completed", "BOOLEAN"),
               ("order_date", "DATE"), ("created_at", "TIMESTAMP")),
    "payments": (("payment_id", "INTEGER"), ("order_id", "INTEGER"), ("payment_method", "VARCHAR"),
                 ("amount", "DECIMAL(12,2)"), ("created_at", "TIMESTAMP")),
}
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
MEMORY_LIMIT = "1GB"  # per world: a runaway query fails with DuckDB's out-of-memory error, not the process
RANDOM_SEED = 0.5  # random() draws the same numbers in every query: same seed, same bytes
#: results kept per engine (``ResultCache``): at most this many rows in all, and this many statements
CACHED_ROWS = 200_000
CACHED_RESULTS = 256


class QueryTimeout(Exception):
    """The query ran past the engine's timeout and was interrupted."""


class TooManyRows(Exception):
    """The query returned more rows than the engine hands back."""


@dataclass(frozen=True, slots=True)
class EngineResult:
    """Column names, DuckDB type names (``VARCHAR``, ``DECIMAL(38,2)``...) and rows of plain Python values."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def python_value(value: Any) -> Any:
    """A DuckDB result value as the data plane's JSON-ready Python value: DECIMAL -> float, TIMESTAMP ->
    aware UTC, INTERVAL -> ``HH:MM:SS``-style text, BLOB -> hex text, UUID -> text; lists and structs
    converted inside."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, list | tuple):
        return [python_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): python_value(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()
    if isinstance(value, timedelta | uuid.UUID):
        return str(value)
    return value


def _engine_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


class Engine:
    """One world's DuckDB database; each project's warehouse is a schema in it (``load``), filled once and
    never changed. ``/`` on two integers truncates (``integer_division``); the dialect layer casts for the
    warehouses whose ``/`` returns a float."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        self._schemas = 0
        self._running = 0
        self._counter = threading.Lock()
        self._watchdog = Watchdog()
        self._results = ResultCache()
        self._connection = duckdb.connect(":memory:", config={
            "threads": 1,  # deterministic float aggregation order; the data is small
            "integer_division": True,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "enable_external_access": False,
            "memory_limit": MEMORY_LIMIT,
            "lock_configuration": True,
        })

    @property
    def busy(self) -> bool:
        """Whether a query is running right now."""
        return self._running > 0

    def load(self, warehouse: Warehouse) -> str:
        """A new schema holding ``warehouse``'s tables; returns its name."""
        self._schemas += 1
        schema = f"w{self._schemas}"
        self._connection.execute(f'CREATE SCHEMA "{schema}"')
        for name, rows in warehouse.tables.items():
            self._load(schema, name, rows)
        return schema

    def drop(self, schema: str) -> None:
        self._results.clear()
        self._connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def _load(self, schema: str, name: str, rows: Sequence[dict[str, Any]]) -> None:
        """Create ``schema.name`` from ``rows`` column-wise (one ``unnest`` per column: ~30x faster than
        ``executemany``). Python's types give the column types; only DECIMAL needs a cast."""
        columns = COLUMN_TYPES.get(name) or tuple((c, "VARCHAR") for c in (rows[0] if rows else {}))
        if not rows:
            ddl = ", ".join(f'"{column}" {kind}' for column, kind in columns)
            self._connection.execute(f'CREATE TABLE "{schema}"."{name}" ({ddl})')
            return
        values = [[_engine_value(row[column]) for row in rows] if kind == "TIMESTAMP" else
                  [row.get(column) for row in rows] for column, kind in columns]
        casts = ["::" + kind if kind.startswith("DECIMAL") or all(v is None for v in column_values) else ""
                 for (_, kind), column_values in zip(columns, values, strict=True)]
        select = ", ".join(f'unnest(${i + 1}){cast} AS "{column}"'
                           for i, ((column, _), cast) in enumerate(zip(columns, casts, strict=True)))
        self._connection.execute(f'CREATE TABLE "{schema}"."{name}" AS SELECT {select}', values)

    def has_result(self, sql: str, *, max_rows: int | None = None, at_most: int) -> bool:
        """Whether ``sql`` has run already and kept a result of at most ``at_most`` rows (``execute`` is cheap)."""
        found = self._results.get(sql, self.max_rows if max_rows is None else max_rows)
        return found is not None and len(found.rows) <= at_most

    def execute(self, sql: str, *, timeout: float | None = None, max_rows: int | None = None) -> EngineResult:
        """Run one statement (already DuckDB SQL) on a fresh cursor; duckdb.Error propagates, a timeout is
        ``QueryTimeout`` and more than ``max_rows`` rows ``TooManyRows``."""
        limit = self.max_rows if max_rows is None else max_rows
        cached = self._results.get(sql, limit)
        if cached is not None:
            return cached
        result = self._run(sql, limit, self.timeout if timeout is None else timeout)
        self._results.put(sql, limit, result)
        return result

    def _run(self, sql: str, limit: int, timeout: float) -> EngineResult:
        cursor = self._connection.cursor()
        with self._counter:
            self._running += 1
        watch = self._watchdog.watch(cursor, timeout)
        try:
            cursor.execute(f"SELECT setseed({RANDOM_SEED})")
            cursor.execute(sql)
            description = cursor.description or []
            rows = cursor.fetchmany(limit + 1)
        except duckdb.InterruptException as exc:
            raise QueryTimeout(str(exc)) from exc
        finally:
            self._watchdog.release(watch)
            cursor.close()
            with self._counter:
                self._running -= 1
        if len(rows) > limit:
            raise TooManyRows(f"more than {limit} rows")
        return EngineResult([str(d[0]) for d in description], [str(d[1]) for d in description],
                            [tuple(python_value(v) for v in row) for row in rows])


class ResultCache:
    """Results of statements already run, by their DuckDB text. The tables never change and the dialect
    layer pins every clock read to a literal (``random()`` is seeded per statement), so the text decides the
    rows: the same text gives the same result, and a repeated dashboard or chart query skips the engine.
    Least recently used first out, bounded in rows; a failed or interrupted statement is never kept."""

    def __init__(self, max_rows: int = CACHED_ROWS, max_entries: int = CACHED_RESULTS) -> None:
        self.max_rows = max_rows
        self.max_entries = max_entries
        self._results: OrderedDict[tuple[str, int], EngineResult] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    def get(self, sql: str, limit: int) -> EngineResult | None:
        with self._lock:
            found = self._results.get((sql, limit))
            if found is not None:
                self._results.move_to_end((sql, limit))
            return found

    def put(self, sql: str, limit: int, result: EngineResult) -> None:
        if len(result.rows) > self.max_rows:
            return
        with self._lock:
            if (sql, limit) in self._results:
                return
            self._results[(sql, limit)] = result
            self._rows += len(result.rows)
            while self._rows > self.max_rows or len(self._results) > self.max_entries:
                _, dropped = self._results.popitem(last=False)
                self._rows -= len(dropped.rows)

    def clear(self) -> None:
        """Forget every result (tables are being dropped; rare: a world keeps its warehouses loaded)."""
        with self._lock:
            self._results.clear()
            self._rows = 0


def _interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    try:
        cursor.interrupt()
    except duckdb.Error:  # the query finished (and the cursor closed) as its deadline passed
        pass


class Watchdog:
    """Interrupts queries past their deadline: one thread per engine, started when a query needs it and
    gone after ``idle`` seconds without one (a thread per query costs milliseconds to start on a busy
    machine; a resident thread per world would outlive the world)."""

    def __init__(self, idle: float = 5.0) -> None:
        self.idle = idle
        self._condition = threading.Condition()
        self._deadlines: dict[int, tuple[float, duckdb.DuckDBPyConnection]] = {}
        self._next = 0
        self._thread: threading.Thread | None = None

    def watch(self, cursor: duckdb.DuckDBPyConnection, seconds: float) -> int:
        with self._condition:
            self._next += 1
            self._deadlines[self._next] = (time.monotonic() + seconds, cursor)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mockbi-warehouse-watchdog", daemon=True)
                self._thread.start()
            else:
                self._condition.notify()
            return self._next

    def release(self, key: int) -> None:
        with self._condition:
            self._deadlines.pop(key, None)

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for key, (deadline, cursor) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[key]
                        _interrupt(cursor)
                if not self._deadlines:
                    self._condition.wait(self.idle)
                    if not self._deadlines:
                        self._thread = None
                        return
                    continue
                soonest = min(deadline for deadline, _ in self._deadlines.values())
                self._condition.wait(max(soonest - now, 0.001))
