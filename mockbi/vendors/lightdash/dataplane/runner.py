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
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from faker import Faker

from .errors import WarehouseQueryError
from .targets import Target, TranspileCache, dialect_of
from .warehouse import Warehouse, build_warehouse, sizes_from, timeout_from

if TYPE_CHECKING:  # DuckDB is imported by the first query (Warehouses.engine), not by the server's start
    from .engine import Engine, EngineResult

KEEP_LOADED = 8  # project warehouses a world keeps loaded (oldest dropped first)
#: where each warehouse type's connection names the database and the schema the tables live in
LOCATION_KEYS = MappingProxyType({
    "bigquery": ("project", "dataset"), "databricks": ("catalog", "database"), "snowflake": ("database", "schema"),
})


def location(connection: Mapping[str, Any]) -> tuple[str, str]:
    """(database, schema) of a Lightdash ``warehouseConnection``: BigQuery's project and dataset, Databricks'
    catalog and database, the others' dbname (or database) and schema."""
    database_key, schema_key = LOCATION_KEYS.get(str(connection.get("type")), ("dbname", "schema"))
    database = connection.get(database_key) or connection.get("database") or "analytics"
    return str(database), str(connection.get(schema_key) or "jaffle_shop")


@dataclass(frozen=True, slots=True)
class Loaded:
    """A project's rows, the engine schema holding them, and the generators' states after generating them."""

    warehouse: Warehouse
    schema: str
    rng_state: Any
    faker_state: Any


#: what determines a project's rows: the RNG and Faker states before generating them, the sizes, the anchor
WarehouseKey = tuple[Any, Any, tuple[tuple[str, int], ...], str]


@dataclass(frozen=True, slots=True)
class ProjectWarehouse:
    """One project's tables in the world's engine, read in the project's dialect.

    It holds the world (``Warehouses``) and the key of its rows, not the rows or the engine: copied or
    pickled (a store image), it still names the same loaded tables, and the world reloads them if it had
    let them go."""

    world: Warehouses
    key: WarehouseKey
    dialect: str
    database: str
    schema: str
    timeout: float | None = None  # seconds a query may run (None: the engine's)

    @property
    def warehouse(self) -> Warehouse:
        return self.world.loaded(self.key).warehouse

    @property
    def engine(self) -> Engine:
        return self.world.engine

    @property
    def target(self) -> Target:
        loaded = self.world.loaded(self.key)
        return Target(self.dialect, frozenset(loaded.warehouse.tables), self.database, self.schema, loaded.schema)

    def transpile(self, sql: str, now: datetime) -> str:
        """The DuckDB text the engine will run for ``sql`` (WarehouseQueryError if the warehouse refuses it)."""
        return self.world.transpiler.to_engine(sql, self.target, now)

    def has_result(self, engine_sql: str, *, at_most: int) -> bool:
        """Whether the engine kept the result of ``engine_sql`` already (at most ``at_most`` rows)."""
        return self.engine.has_result(engine_sql, at_most=at_most)

    def execute(self, engine_sql: str, sql: str, *, max_rows: int | None = None) -> EngineResult:
        """Run transpiled SQL; failures as the warehouse's driver words them (``sql`` gives positions)."""
        import duckdb

        from .driver_errors import from_engine, warehouse_error
        from .engine import QueryTimeout, TooManyRows

        engine = self.engine
        timeout = engine.timeout if self.timeout is None else self.timeout
        try:
            return engine.execute(engine_sql, timeout=timeout, max_rows=max_rows)
        except QueryTimeout as exc:
            raise warehouse_error(self.dialect, "timeout", seconds=timeout) from exc
        except TooManyRows as exc:
            limit = engine.max_rows if max_rows is None else max_rows
            raise WarehouseQueryError(f"Query returned more than {limit} rows, the most mockbi's warehouse "
                                      "returns; add a LIMIT") from exc
        except duckdb.Error as exc:
            raise from_engine(self.dialect, exc, sql) from exc

    def run(self, sql: str, now: datetime, *, max_rows: int | None = None) -> EngineResult:
        return self.execute(self.transpile(sql, now), sql, max_rows=max_rows)


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
        self.transpiler = TranspileCache()
        self._loaded: OrderedDict[WarehouseKey, Loaded] = OrderedDict()
        self._lock = threading.RLock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:  # connect on first use: a world that never queries pays nothing
                from .engine import Engine

                self._engine = Engine(**self._options)
            return self._engine

    def project(self, rng: random.Random, faker: Faker, *, anchor: datetime, scenario: Mapping[str, Any] | None,
                warehouse_type: str, database: str, schema: str) -> ProjectWarehouse:
        """The project's warehouse, generated from ``rng``/``faker`` on first use, reused afterwards (``rng``
        and ``faker`` then continue from where generating it left off)."""
        key: WarehouseKey = (rng.getstate(), faker.random.getstate(), tuple(sorted(sizes_from(scenario).items())),
                             anchor.isoformat())
        loaded = self._load(key, rng, faker)
        rng.setstate(loaded.rng_state)
        faker.random.setstate(loaded.faker_state)
        return ProjectWarehouse(self, key, dialect_of(warehouse_type), database, schema, timeout_from(scenario))

    def loaded(self, key: WarehouseKey) -> Loaded:
        """The rows of ``key``, loaded again from the key's generator states if they were let go."""
        with self._lock:
            hit = self._loaded.get(key)
            if hit is not None:
                self._loaded.move_to_end(key)
                return hit
        rng = random.Random()
        rng.setstate(key[0])
        faker = Faker()
        faker.random.setstate(key[1])
        return self._load(key, rng, faker)

    def _load(self, key: WarehouseKey, rng: random.Random, faker: Faker) -> Loaded:
        with self._lock:
            hit = self._loaded.get(key)
            if hit is not None:
                self._loaded.move_to_end(key)
                return hit
            sizes, anchor = dict(key[2]), datetime.fromisoformat(key[3])
            warehouse = build_warehouse(rng, faker, anchor, {"warehouse": sizes})
            loaded = Loaded(warehouse, self.engine.load(warehouse), rng.getstate(), faker.random.getstate())
            self._loaded[key] = loaded
            while len(self._loaded) > KEEP_LOADED:
                _, dropped = self._loaded.popitem(last=False)
                self.engine.drop(dropped.schema)
            return loaded
