"""A project's warehouse: its seeded rows, where they live in the world's engine, and how SQL reaches them.

``Warehouses`` belongs to one world (one store): one DuckDB ``Engine`` and the project warehouses loaded
into it, keyed by everything that determines their rows (the project's seed, the table sizes, the clock's
start). The rows never change, so a world reset keeps them: rebuilding a project's data plane after a
reset finds its warehouse already loaded and restores the seeded RNG to where generating it left off,
so everything drawn after it (catalog ids) is byte-identical to a cold build.

``ProjectWarehouse.run(sql, now)`` takes SQL in the project's dialect, refuses or transpiles it
(``dialects.to_engine``), runs it (``Engine.execute``, in whatever thread calls it) and words any failure
as the project's warehouse driver would.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
from faker import Faker

from .dialects import Target, TranspileCache, dialect_of
from .driver_errors import from_engine, warehouse_error
from .engine import Engine, EngineResult, QueryTimeout, TooManyRows
from .errors import WarehouseQueryError
from .warehouse import Warehouse, build_warehouse, sizes_from

KEEP_LOADED = 8  # project warehouses a world keeps loaded (oldest dropped first)


@dataclass(frozen=True, slots=True)
class ProjectWarehouse:
    """One project's tables in the world's engine, read in the project's dialect."""

    warehouse: Warehouse
    engine: Engine
    target: Target
    transpiler: TranspileCache

    @property
    def dialect(self) -> str:
        return self.target.dialect

    def transpile(self, sql: str, now: datetime) -> str:
        """The DuckDB text the engine will run for ``sql`` (WarehouseQueryError if the warehouse refuses it)."""
        return self.transpiler.to_engine(sql, self.target, now)

    def execute(self, engine_sql: str, sql: str, *, max_rows: int | None = None) -> EngineResult:
        """Run transpiled SQL; failures as the warehouse's driver words them (``sql`` gives positions)."""
        try:
            return self.engine.execute(engine_sql, max_rows=max_rows)
        except QueryTimeout as exc:
            raise warehouse_error(self.dialect, "timeout", seconds=self.engine.timeout) from exc
        except TooManyRows as exc:
            limit = self.engine.max_rows if max_rows is None else max_rows
            raise WarehouseQueryError(f"Query returned more than {limit} rows, the most mockbi's warehouse "
                                      "returns; add a LIMIT") from exc
        except duckdb.Error as exc:
            raise from_engine(self.dialect, exc, sql) from exc

    def run(self, sql: str, now: datetime, *, max_rows: int | None = None) -> EngineResult:
        return self.execute(self.transpile(sql, now), sql, max_rows=max_rows)


@dataclass(frozen=True, slots=True)
class _Loaded:
    warehouse: Warehouse
    schema: str
    rng_state: Any
    faker_state: Any


class Warehouses:
    """A world's engine and the project warehouses loaded in it (infrastructure: survives a reset)."""

    def __init__(self, *, timeout: float | None = None, max_rows: int | None = None) -> None:
        options: dict[str, Any] = {}
        if timeout is not None:
            options["timeout"] = timeout
        if max_rows is not None:
            options["max_rows"] = max_rows
        self._options = options
        self._engine: Engine | None = None
        self._transpiler = TranspileCache()
        self._loaded: OrderedDict[tuple[Any, ...], _Loaded] = OrderedDict()

    @property
    def engine(self) -> Engine:
        if self._engine is None:  # connect on first use: a world that never queries pays nothing
            self._engine = Engine(**self._options)
        return self._engine

    def project(self, rng: random.Random, faker: Faker, *, anchor: datetime, scenario: Mapping[str, Any] | None,
                warehouse_type: str, database: str, schema: str) -> ProjectWarehouse:
        """The project's warehouse, generated from ``rng``/``faker`` on first use, reused afterwards (``rng``
        then continues from where generating it left off)."""
        key = (rng.getstate(), faker.random.getstate(), tuple(sorted(sizes_from(scenario).items())),
               anchor.isoformat())
        loaded = self._loaded.get(key)
        if loaded is None:
            warehouse = build_warehouse(rng, faker, anchor, scenario)
            loaded = _Loaded(warehouse, self.engine.load(warehouse), rng.getstate(), faker.random.getstate())
            self._loaded[key] = loaded
            while len(self._loaded) > KEEP_LOADED:
                _, dropped = self._loaded.popitem(last=False)
                self.engine.drop(dropped.schema)
        else:
            self._loaded.move_to_end(key)
            rng.setstate(loaded.rng_state)
            faker.random.setstate(loaded.faker_state)
        tables = frozenset(loaded.warehouse.tables)
        target = Target(dialect_of(warehouse_type), tables, database, schema, loaded.schema)
        return ProjectWarehouse(loaded.warehouse, self.engine, target, self._transpiler)
