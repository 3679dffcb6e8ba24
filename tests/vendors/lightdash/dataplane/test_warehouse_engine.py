"""The warehouse engine without HTTP: read-only and bounded, dialects read and worded as their warehouses,
one engine per world that a reset (or a copy) reuses, and the same bytes for the same seed."""

from __future__ import annotations

import copy
import io
import pickle
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

import duckdb
import orjson
import pytest
from faker import Faker

from mockbi.core import world
from mockbi.core.clock import Clock
from mockbi.core.store import SeedContext
from mockbi.vendors.lightdash.dataplane import DataPlane, WarehouseQueryError, Warehouses
from mockbi.vendors.lightdash.dataplane.dialects import Target, to_engine
from mockbi.vendors.lightdash.dataplane.engine import EngineResult, ResultCache
from mockbi.vendors.lightdash.dataplane.runner import KEEP_LOADED
from mockbi.vendors.lightdash.store import LightdashStore
from tests.vendors.lightdash.dataplane.dataplane_helpers import ANCHOR, SEED, make_plane, query

NOW = ANCHOR


def world_plane(warehouses: Warehouses, target: str = "postgres", seed: int = SEED) -> DataPlane:
    faker = Faker()
    faker.seed_instance(seed)
    return DataPlane(random.Random(seed), faker, anchor=ANCHOR, target=target, warehouses=warehouses)


def test_the_engine_itself_refuses_files_and_configuration_changes() -> None:
    engine = make_plane().sql.engine
    with pytest.raises(duckdb.PermissionException):
        engine.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        engine.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error):
        engine.execute("SET threads = 4")


def test_a_runaway_cross_join_ends_with_each_warehouses_timeout_error() -> None:
    runaway = "select count(*) from orders a cross join orders b cross join orders c cross join payments d"
    for target, message in (("postgres", "canceling statement due to statement timeout"),
                            ("snowflake", "Statement reached its statement or warehouse timeout of 0.3 second(s) "
                                          "and was canceled.")):
        plane = world_plane(Warehouses(timeout=0.3), target)
        with pytest.raises(WarehouseQueryError) as caught:
            plane.sql.run(runaway, NOW)
        assert caught.value.message == message
        assert plane.sql.run("select count(*) from orders", NOW).rows == [(1000,)]  # the engine still answers


def test_results_are_bounded_in_rows() -> None:
    plane = world_plane(Warehouses(max_rows=10))
    assert len(plane.sql.run("select * from orders limit 10", NOW).rows) == 10
    with pytest.raises(WarehouseQueryError, match="more than 10 rows"):
        plane.sql.run("select * from orders", NOW)


def test_a_statement_run_again_is_answered_from_the_cache_and_the_clock_still_moves() -> None:
    plane = world_plane(Warehouses())
    sql = "select status, count(*), now() from orders group by 1 order by 1"
    first = plane.sql.run(sql, NOW)
    assert plane.sql.run(sql, NOW) is first  # the same DuckDB text: the same rows, the engine not asked
    later = datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)
    moved = plane.sql.run(sql, later)  # the clock is a literal of the text: another statement
    assert [r[:2] for r in moved.rows] == [r[:2] for r in first.rows] and {r[2] for r in moved.rows} == {later}


def test_the_result_cache_is_bounded_and_keeps_no_failure() -> None:
    cache = ResultCache(max_rows=5, max_entries=2)
    result = EngineResult(["n"], ["INTEGER"], [(1,), (2,)])
    for i in range(3):
        cache.put(f"select {i}", 10, result)
    assert cache.get("select 0", 10) is None and cache.get("select 2", 10) is result  # two statements at most
    cache.put("select big", 10, EngineResult(["n"], ["INTEGER"], [(i,) for i in range(6)]))
    assert cache.get("select big", 10) is None  # more rows than the whole cache holds: not kept
    assert cache.get("select 2", 100) is None  # another row limit is another answer (TooManyRows or not)
    plane = world_plane(Warehouses(max_rows=10))
    for _ in range(2):  # a failure is raised every time, never remembered as an answer
        with pytest.raises(WarehouseQueryError, match="more than 10 rows"):
            plane.sql.run("select * from orders", NOW)


@pytest.mark.parametrize(("dialect", "sql", "columns"), [
    ("trino", "select status, count(*) from orders group by 1", ["status", "_col1"]),
    ("databricks", "select `status`, count(*) from orders group by 1", ["status", "count(1)"]),
    ("redshift", "select Status, count(*) as N from orders group by 1", ["status", "n"]),
    ("bigquery", "select status, count(*), max(amount) from orders group by 1", ["status", "f0_", "f1_"]),
])
def test_each_dialect_names_unaliased_columns_as_its_warehouse_does(dialect: str, sql: str,
                                                                    columns: list[str]) -> None:
    plane = world_plane(Warehouses(), dialect)
    result = plane.sql.run(sql, NOW)
    assert result.columns == columns
    assert sorted(r[:2] for r in result.rows) == sorted(Counter(o["status"] for o in plane.warehouse.tables["orders"])
                                                         .items())


@pytest.mark.parametrize(("dialect", "sql"), [
    ("postgres", "select now(), clock_timestamp(), localtimestamp, transaction_timestamp()"),
    ("bigquery", "select now(), current_timestamp(), current_datetime()"),
    ("snowflake", "select sysdate(), current_timestamp, getdate()"),
    ("trino", "select now(), current_timestamp, localtimestamp"),
    ("databricks", "select now(), current_timestamp()"),
])
def test_no_wall_clock_reaches_the_engine(dialect: str, sql: str) -> None:
    plane = world_plane(Warehouses(), dialect)
    instant = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert set(plane.sql.run(sql, instant).rows[0]) == {instant}


def test_clock_functions_read_the_injected_clock() -> None:
    target = Target("postgres", frozenset({"orders"}), "analytics", "jaffle_shop")
    engine_sql = to_engine("select now(), current_date from orders", target, datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC))
    assert "2031-05-06 07:08:09" in engine_sql and "'2031-05-06'" in engine_sql
    unquoted = re.sub(r'"[^"]*"', "", engine_sql).upper()
    assert "NOW" not in unquoted and "CURRENT_" not in unquoted


def test_a_world_loads_a_projects_rows_once_and_a_rebuild_is_byte_identical() -> None:
    warehouses = Warehouses()
    first = world_plane(warehouses)
    again = world_plane(warehouses)  # what a reset does: the same seed, the same world
    cold = world_plane(Warehouses())
    assert again.sql.target.engine_schema == first.sql.target.engine_schema
    assert again.warehouse is first.warehouse
    assert again.catalog == cold.catalog  # the RNG continues as if the rows had been generated again
    assert again.warehouse.tables == cold.warehouse.tables
    other = world_plane(warehouses, seed=SEED + 1)
    assert other.sql.target.engine_schema != first.sql.target.engine_schema
    assert other.warehouse.tables != first.warehouse.tables


def test_two_worlds_share_no_engine() -> None:
    one, two = world_plane(Warehouses()), world_plane(Warehouses())
    assert one.sql.engine is not two.sql.engine


def test_a_copy_shares_the_read_only_warehouse_and_copies_the_explores() -> None:
    plane = make_plane()
    clone = copy.deepcopy(plane)
    assert clone.sql is plane.sql and clone.warehouse is plane.warehouse
    assert clone.explores == plane.explores and clone.explores is not plane.explores
    mq = query("orders", ["orders_status"], ["orders_order_count"])
    assert clone.run_query("orders", mq, now=NOW) == plane.run_query("orders", mq, now=NOW)


def test_same_seed_same_bytes_across_worlds() -> None:
    mq = query("orders", ["orders_order_date_week", "customers_country"],
               ["orders_average_order_amount", "orders_total_order_amount"],
               sorts=[{"fieldId": "orders_total_order_amount", "descending": True}], limit=200,
               table_calculations=[{"name": "r", "displayName": "R",
                                    "sql": "RANK() OVER (ORDER BY ${orders.total_order_amount} DESC)"}])
    one, two = world_plane(Warehouses()), world_plane(Warehouses())
    assert orjson.dumps(one.run_query("orders", mq, now=NOW)) == orjson.dumps(two.run_query("orders", mq, now=NOW))
    sql = "select customer_id, sum(amount), avg(amount) from orders group by 1 order by 1"
    assert one.sql.run(sql, NOW) == two.sql.run(sql, NOW)


class _ByReference(pickle.Pickler):
    """Pickles one object by reference, as a store image does with a store's infrastructure."""

    def __init__(self, file: io.BytesIO, shared: object) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_id(self, obj: object) -> str | None:
        return "world" if obj is self.shared else None


def test_a_pickled_plane_names_its_world_and_rows_never_the_engine() -> None:
    warehouses = Warehouses()
    plane = world_plane(warehouses)
    buffer = io.BytesIO()
    _ByReference(buffer, warehouses).dump(plane)
    unpickler = pickle.Unpickler(io.BytesIO(buffer.getvalue()))
    unpickler.persistent_load = {"world": warehouses}.__getitem__  # type: ignore[method-assign]
    restored = unpickler.load()
    assert restored.sql.engine is plane.sql.engine and restored.warehouse is plane.warehouse
    mq = query("orders", ["orders_status"], ["orders_total_order_amount"])
    assert restored.run_query("orders", mq, now=NOW) == plane.run_query("orders", mq, now=NOW)
    assert len(buffer.getvalue()) < 200_000  # explores and catalog, not 2,400 rows


def test_rows_a_world_let_go_are_loaded_again_from_their_seed() -> None:
    warehouses = Warehouses()
    plane = world_plane(warehouses)
    mq = query("orders", ["orders_status"], ["orders_total_order_amount"])
    before = plane.run_query("orders", mq, now=NOW)
    for seed in range(100, 100 + KEEP_LOADED):  # each loads another project: the first is let go
        world_plane(warehouses, seed=seed)
    assert plane.run_query("orders", mq, now=NOW) == before


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "redshift", "databricks", "trino"])
def test_every_dialect_compiles_the_same_metric_query_to_the_same_answer(dialect: str) -> None:
    mq = query("orders", ["orders_order_date_quarter", "customers_country"],
               ["orders_total_order_amount", "orders_unique_customer_count"],
               filters={"dimensions": {"id": "g", "and": [
                   {"id": "a", "target": {"fieldId": "orders_status"}, "operator": "notEquals", "values": ["returned"]},
                   {"id": "b", "target": {"fieldId": "orders_order_date"}, "operator": "inThePast", "values": [1],
                    "settings": {"unitOfTime": "years", "completed": True}}]}},
               sorts=[{"fieldId": "orders_order_date_quarter", "descending": True},
                      {"fieldId": "customers_country", "descending": False}], limit=5000,
               table_calculations=[{"name": "per_customer", "displayName": "Per customer",
                                    "sql": "${orders.total_order_amount} / ${orders.unique_customer_count}"}])
    postgres = make_plane().run_query("orders", mq, now=NOW)
    other = world_plane(Warehouses(), dialect).run_query("orders", mq, now=NOW)
    assert other["rows"] == postgres["rows"] and other["rows"]


def test_an_explore_on_a_table_the_warehouse_lacks_fails_as_the_warehouse_would() -> None:
    plane = make_plane()
    explore = copy.deepcopy(plane.get_explore("customers"))
    explore["name"] = "refunds"
    explore["tables"]["customers"]["sqlTable"] = '"analytics"."jaffle_shop"."refunds"'
    plane.set_explores([*plane.explores.values(), explore])
    with pytest.raises(WarehouseQueryError) as caught:
        plane.run_query("refunds", query("refunds", [], ["customers_customer_count"]), now=NOW)
    assert caught.value.message == 'relation "analytics.jaffle_shop.refunds" does not exist'


def test_a_restored_lightdash_world_reuses_its_loaded_warehouse() -> None:
    store = LightdashStore(SeedContext(0, "default", Clock(ANCHOR, "frozen")))
    project = next(iter(store.projects))
    plane = store.data_plane(project)
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"])
    before = plane.run_query("orders", mq, now=NOW)
    image = world.capture(store)  # the pristine image holds the data plane, the engine only by reference
    store.data_planes.clear()
    world.restore(store, image)
    restored = store.data_plane(project)
    assert restored.sql.engine is plane.sql.engine and restored.warehouse is plane.warehouse
    assert restored.run_query("orders", mq, now=NOW) == before


def test_serving_imports_the_sql_engine_only_when_a_query_runs() -> None:
    """DuckDB and sqlglot (~25 MB, ~0.1 s) load with the first warehouse query, not with the server."""
    script = (
        "import sys, requests\n"
        "from mockbi.config import MockbiConfig\n"
        "from mockbi.server import ServerThread\n"
        "with ServerThread(MockbiConfig()) as s:\n"
        "    ld = requests.get(s.url + '/__mockbi/info').json()['vendors']['lightdash']\n"
        "    auth = {'Authorization': ld['auth_header']}\n"
        "    base = s.url + '/api/v1/projects/' + ld['project_uuid']\n"
        "    assert requests.get(base + '/spaces', headers=auth).status_code == 200\n"
        "    print(sorted(m for m in ('duckdb', 'sqlglot') if m in sys.modules))\n"
        "    sql = requests.post(base + '/sqlQuery', json={'sql': 'select 1 as n'}, headers=auth)\n"
        "    assert sql.status_code == 200, sql.text\n"
        "    print(sorted(m for m in ('duckdb', 'sqlglot') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "['duckdb', 'sqlglot']"], out.stdout + out.stderr
