"""Where a project's SQL runs (its dialect, tables, database and schema) and the cache of its transpiled
statements: the parts of the dialect layer that need no SQL parser, so that serving Lightdash imports
sqlglot (``dialects.py``) and DuckDB (``engine.py``) only when the first query runs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

#: Lightdash ``warehouseConnection.type`` -> sqlglot dialect
DIALECTS: Mapping[str, str] = MappingProxyType({
    "postgres": "postgres", "redshift": "redshift", "bigquery": "bigquery", "snowflake": "snowflake",
    "databricks": "databricks", "trino": "trino",
})


@dataclass(frozen=True, slots=True)
class Target:
    """Where a query runs: the dialect, the warehouse's tables, and the project's database and schema."""

    dialect: str
    tables: frozenset[str]
    database: str
    schema: str
    engine_schema: str = "main"  # where the engine holds this project's tables


def dialect_of(warehouse_type: str | None) -> str:
    return DIALECTS.get(str(warehouse_type or "postgres").lower(), "postgres")


class TranspileCache:
    """The last ``size`` transpilations of one world (a dashboard asks the same queries again and again);
    SQL that reads the clock is transpiled afresh each time."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, Target], str] = OrderedDict()
        self._lock = threading.Lock()

    def to_engine(self, sql: str, target: Target, now: datetime) -> str:
        key = (sql, target)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        from .dialects import transpile  # sqlglot is imported by the first query, not by the server's start

        engine_sql, reads_clock = transpile(sql, target, now)
        if not reads_clock:
            with self._lock:
                self._entries[key] = engine_sql
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return engine_sql
