"""The warehouse is a real SQL engine: the SQL runner, table calculations and compiled metric queries speak
SQL in the project's dialect, and every answer is checked against an independent computation over the
seeded rows."""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import requests

from mockbi import MockbiConfig
from mockbi.handle import MockbiHandle
from mockbi.server import ServerThread
from tests.vendors.lightdash._dataplane_http import and_, plane_of, query, raws, rule, run
from tests.vendors.lightdash.conftest import LightdashClient

Row = dict[str, Any]


def table(ld: Any, name: str) -> list[Row]:
    return plane_of(ld).warehouse.tables[name]


def sql(ld: Any, text: str) -> Any:
    return ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery", json={"sql": text})


def sql_error(ld: Any, text: str) -> str:
    error = ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery", 400, "WarehouseQueryError",
                     json={"sql": text})
    assert error["data"] == {}
    return str(error["message"])


def use_warehouse(ld: Any, kind: str) -> None:
    """Arrange: the seeded project's warehouse connection becomes ``kind`` (reset restores it)."""
    def switch() -> None:
        project = ld.store.get_project(ld.project_uuid)
        project.warehouseConnection = {**project.warehouseConnection, "type": kind}
    ld.call(switch)


def test_sql_runner_groups_joins_and_runs_ctes(ld: Any) -> None:
    grouped = sql(ld, "select status, count(*) from orders group by status order by count(*) desc, status")
    counts = Counter(o["status"] for o in table(ld, "orders"))
    assert grouped["rows"] == [{"status": s, "count": n}
                               for s, n in sorted(counts.items(), key=lambda sn: (-sn[1], sn[0]))]
    assert grouped["fields"] == {"status": {"type": "string"}, "count": {"type": "number"}}
    joined = sql(ld, "WITH big AS (SELECT * FROM analytics.jaffle_shop.orders WHERE amount > 250)\n"
                     "SELECT c.country, COUNT(DISTINCT b.customer_id) AS buyers, SUM(b.amount) AS revenue\n"
                     "FROM big b JOIN customers c ON c.customer_id = b.customer_id\n"
                     "GROUP BY c.country ORDER BY c.country")
    customers = {c["customer_id"]: c for c in table(ld, "customers")}
    buyers: dict[str, set[int]] = defaultdict(set)
    revenue: dict[str, list[float]] = defaultdict(list)
    for order in table(ld, "orders"):
        if order["amount"] > 250:
            country = customers[order["customer_id"]]["country"]
            buyers[country].add(order["customer_id"])
            revenue[country].append(order["amount"])
    assert joined["rows"] == [{"country": c, "buyers": len(buyers[c]), "revenue": pytest.approx(math.fsum(revenue[c]))}
                              for c in sorted(buyers)]
    first = sql(ld, "select distinct on (status) status, order_id from orders order by status, order_id")
    assert first["rows"] == [{"status": s, "order_id": min(o["order_id"] for o in table(ld, "orders")
                                                            if o["status"] == s)} for s in sorted(counts)]


def test_sql_runner_names_columns_and_serialises_dates_like_postgres(ld: Any) -> None:
    first = min(table(ld, "orders"), key=lambda o: o["order_id"])
    result = sql(ld, 'select Order_Id, "status", amount::integer, order_date, created_at, 1 + 1, '
                     "date_trunc('month', order_date) from orders order by order_id limit 1")
    assert list(result["rows"][0]) == ["order_id", "status", "amount", "order_date", "created_at", "?column?",
                                       "date_trunc"]
    row = result["rows"][0]
    assert row["order_id"] == first["order_id"] and row["amount"] == round(first["amount"])
    assert row["order_date"] == f"{first['order_date'].isoformat()}T00:00:00.000Z"
    assert row["created_at"] == first["created_at"].strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert result["fields"]["order_date"] == {"type": "date"}
    assert result["fields"]["created_at"] == {"type": "timestamp"}


def test_sql_runner_is_read_only_and_answers_the_drivers_errors(ld: Any) -> None:
    assert sql_error(ld, "select nope from orders") == 'column "nope" does not exist'
    assert sql_error(ld, "select * from ghosts") == 'relation "ghosts" does not exist'
    assert sql_error(ld, "select * from other_schema.orders") == 'relation "other_schema.orders" does not exist'
    assert sql_error(ld, "selec status from orders") == 'syntax error at or near "selec"'
    assert sql_error(ld, "drop table orders") == "cannot execute DROP in a read-only transaction"
    assert sql_error(ld, "insert into orders (order_id) values (1)") == \
        "cannot execute INSERT in a read-only transaction"
    assert sql_error(ld, "select * from read_csv('/etc/passwd')") == "function read_csv does not exist"
    assert sql_error(ld, "attach '/tmp/x.db' as x") == 'syntax error at or near "attach"'  # not Postgres SQL
    assert sql_error(ld, "select 1; select 2") == 'syntax error at or near ";"'
    assert sql_error(ld, "select 1/0") == "division by zero"
    assert sql(ld, "select count(*) from orders")["rows"] == [{"count": len(table(ld, "orders"))}]


def test_table_calculations_are_sql_case_casts_and_windows(ld: Any) -> None:
    calcs = [
        {"name": "size", "displayName": "Size",
         "sql": "CASE WHEN ${orders.total_order_amount} > 100 THEN 'big' ELSE 'small' END"},
        {"name": "rounded", "displayName": "Rounded", "sql": "${orders.total_order_amount}::numeric(10, 0)"},
        {"name": "share", "displayName": "Share",
         "sql": "${orders.order_count} * 1.0 / SUM(${orders.order_count}) OVER ()"},
        {"name": "running", "displayName": "Running",
         "sql": "SUM(${orders.order_count}) OVER (ORDER BY ${orders.order_date_year})"},
    ]
    mq = query("orders", ["orders_order_date_year"], ["orders_order_count", "orders_total_order_amount"],
               sorts=[{"fieldId": "orders_order_date_year", "descending": False}], table_calculations=calcs)
    rows = raws(run(ld, mq)["rows"])
    by_year: dict[int, list[float]] = defaultdict(list)
    for order in table(ld, "orders"):
        by_year[order["order_date"].year].append(order["amount"])
    years = sorted(by_year)
    total = sum(len(v) for v in by_year.values())
    assert [r["orders_order_date_year"][:4] for r in rows] == [str(y) for y in years]
    running = 0
    for row, year in zip(rows, years, strict=True):
        amount = math.fsum(by_year[year])
        running += len(by_year[year])
        assert row["size"] == ("big" if amount > 100 else "small")
        assert row["rounded"] == round(amount)
        assert row["share"] == pytest.approx(len(by_year[year]) / total)
        assert row["running"] == running


def test_a_double_quoted_name_in_a_table_calculation_is_a_column_in_postgres(ld: Any) -> None:
    calc = {"name": "x", "displayName": "X", "sql": 'CASE WHEN "abc" > 1 THEN 1 END'}
    mq = query("orders", ["orders_status"], ["orders_order_count"], table_calculations=[calc])
    error = ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/runQuery", 400,
                     "WarehouseQueryError", json=mq)
    assert error["message"] == 'column "abc" does not exist'


def test_compile_query_is_the_sql_the_warehouse_runs(ld: Any) -> None:
    mq = query("orders", ["orders_status", "customers_country"], ["orders_order_count", "orders_total_order_amount"],
               filters={"dimensions": and_(rule("orders_amount", "greaterThan", 20))},
               sorts=[{"fieldId": "orders_order_count", "descending": True},
                      {"fieldId": "orders_status", "descending": False},
                      {"fieldId": "customers_country", "descending": False}],
               table_calculations=[{"name": "avg", "displayName": "Avg",
                                    "sql": "${orders.total_order_amount} / ${orders.order_count}"}], limit=7)
    compiled = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/compileQuery", json=mq)
    assert raws(run(ld, mq)["rows"]) == sql(ld, compiled)["rows"]


@pytest.mark.parametrize("kind", ["bigquery", "snowflake"])
def test_bigquery_and_snowflake_projects_run_metric_queries(ld: Any, kind: str) -> None:
    use_warehouse(ld, kind)
    mq = query("orders", ["orders_created_month"], ["orders_order_count"],
               sorts=[{"fieldId": "orders_created_month", "descending": False}], limit=5000,
               table_calculations=[{"name": "half", "displayName": "Half", "sql": "${orders.order_count} / 2"}])
    months = Counter(o["created_at"].strftime("%Y-%m-01T00:00:00.000Z") for o in table(ld, "orders"))
    rows = raws(run(ld, mq)["rows"])
    assert [(r["orders_created_month"], r["orders_order_count"]) for r in rows] == sorted(months.items())
    assert all(r["half"] == r["orders_order_count"] / 2 for r in rows)  # their / divides as floats
    compiled = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/compileQuery", json=mq)
    expected = "TIMESTAMP_TRUNC(`orders`.created_at, MONTH)" if kind == "bigquery" else \
        "DATE_TRUNC('MONTH', \"orders\".created_at)"
    assert expected in compiled


def test_bigquery_project_speaks_bigquery(ld: Any) -> None:
    use_warehouse(ld, "bigquery")
    result = sql(ld, "SELECT status, COUNT(*), SAFE_DIVIDE(SUM(amount), COUNT(*)) AS mean, \"literal\" AS quoted\n"
                     "FROM `analytics.jaffle_shop.orders` WHERE DATE_TRUNC(order_date, YEAR) = '2024-01-01'\n"
                     "GROUP BY status ORDER BY status")
    amounts: dict[str, list[float]] = defaultdict(list)
    for order in table(ld, "orders"):
        if order["order_date"].year == 2024:
            amounts[order["status"]].append(order["amount"])
    assert result["rows"] == [{"status": s, "f0_": len(a), "mean": pytest.approx(math.fsum(a) / len(a)),
                               "quoted": "literal"} for s, a in sorted(amounts.items())]
    assert sql_error(ld, "select amount::numeric from orders") == 'Syntax error: Unexpected "::" at [1:14]'
    assert sql_error(ld, "select status from jaffle_shop.orders where status ilike 'c%'") == \
        'Syntax error: Unexpected "ilike" at [1:52]'
    assert sql_error(ld, "select nope from jaffle_shop.orders") == "Unrecognized name: nope at [1:8]"
    assert sql_error(ld, "select * from jaffle_shop.ghosts") == \
        "Not found: Table jaffle_shop.ghosts was not found in location US"


def test_snowflake_project_speaks_snowflake(ld: Any) -> None:
    use_warehouse(ld, "snowflake")
    result = sql(ld, "select status, count(*) as n, iff(count(*) > 100, 'many', 'few') as size "
                     "from orders where status ilike 'RET%' group by all order by 1")
    counts = Counter(o["status"] for o in table(ld, "orders") if o["status"].lower().startswith("ret"))
    assert result["rows"] == [{"STATUS": s, "N": n, "SIZE": "many" if n > 100 else "few"}
                              for s, n in sorted(counts.items())]
    assert sql_error(ld, "select nope from orders") == \
        "SQL compilation error: error line 1 at position 7\ninvalid identifier 'NOPE'"
    assert sql_error(ld, "select distinct on (status) status from orders") == \
        "SQL compilation error:\nsyntax error line 1 at position 16 unexpected 'on'."


def test_a_runaway_query_ends_with_the_warehouse_timeout_and_others_keep_flowing(ld: Any) -> None:
    engine = ld.store.warehouses.engine
    before = engine.timeout
    engine.timeout = 4.0  # generous: the GET below must finish first on a loaded machine
    outcome: list[requests.Response] = []
    runaway = threading.Thread(target=lambda: outcome.append(ld.post(
        f"/api/v1/projects/{ld.project_uuid}/sqlQuery",
        json={"sql": "select count(*) from orders a cross join orders b cross join orders c cross join payments d"})))
    try:
        runaway.start()
        while not ld.store.warehouses.engine.busy:
            runaway.join(0.01)
            assert runaway.is_alive(), outcome[0].text
        assert ld.ok("GET", "/api/v1/org")["name"]  # answered while the warehouse is still busy
        assert runaway.is_alive()
        runaway.join()
    finally:
        engine.timeout = before
    assert outcome[0].status_code == 400
    assert outcome[0].json()["error"] == {"statusCode": 400, "name": "WarehouseQueryError",
                                          "message": "canceling statement due to statement timeout", "data": {}}


def test_reset_restores_the_warehouse_without_reloading_it(ld: Any) -> None:
    text = "select customer_id, sum(amount) as total from orders group by 1 order by 2 desc, 1 limit 5"
    first = sql(ld, text)
    engine = ld.store.warehouses.engine
    original = ld.server.runtime.seed
    for seed in (original + 1, original):
        assert requests.post(ld.url + "/__mockbi/reset", json={"seed": seed}).status_code == 200
        ld = type(ld)(ld.server)  # credentials follow the seed
        if seed != original:
            assert sql(ld, text) != first  # another seed, another warehouse
    assert sql(ld, text) == first
    assert ld.store.warehouses.engine is engine  # the same world's engine: nothing was reconnected


@pytest.mark.parametrize(("text", "answer"), [
    ("select " + "(" * 3000 + "1" + ")" * 3000, "stack depth limit exceeded"),
    ("", 'syntax error at or near "end of input"'),
    ("copy orders to '/tmp/orders.csv'", "cannot execute COPY in a read-only transaction"),
    ("select * from duckdb_settings()", "function duckdb_settings does not exist"),
    ("with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t", None),
    ("select interval '1 day' as i, '\\x00'::bytea as b, array[1.5::numeric] as a, random() as r", {
        "i": "1 day, 0:00:00", "b": "\\x00", "a": [1.5]}),
])
def test_odd_sql_gets_an_answer_never_a_server_error(ld: Any, text: str, answer: Any) -> None:
    if answer is None:  # runaway recursion: the warehouse's timeout (shortened for the test)
        engine = ld.store.warehouses.engine
        before, engine.timeout = engine.timeout, 0.5
        try:
            assert sql_error(ld, text) == "canceling statement due to statement timeout"
        finally:
            engine.timeout = before
    elif isinstance(answer, str):
        assert sql_error(ld, text) == answer
    else:
        rows = sql(ld, text)["rows"]
        assert [{k: v for k, v in row.items() if k != "r"} for row in rows] == [answer]
        assert 0 <= rows[0]["r"] < 1 and sql(ld, text)["rows"] == rows  # random() is seeded: same bytes


def test_a_bigquery_world_from_a_scenario_sizes_and_names_its_warehouse(tmp_path: Path) -> None:
    folder = tmp_path / "lightdash"
    folder.mkdir()
    (folder / "bq_small.yaml").write_text("warehouse_type: bigquery\nwarehouse: {customers: 20, orders: 50, "
                                          "payments: 60, query_timeout_seconds: 1}\n", encoding="utf-8")
    config = MockbiConfig(vendors=("lightdash",), scenario="bq_small", scenario_dirs=(str(tmp_path),))
    with ServerThread(config) as server:
        ld = LightdashClient(MockbiHandle(server.url, server.runtime, True, on_server=server.call))
        counts = sql(ld, "SELECT COUNT(*) AS n FROM `analytics-prod.jaffle_shop.orders`")
        assert counts["rows"] == [{"n": 50}]
        assert sql_error(ld, "select count(*) from analytics.jaffle_shop.orders") == \
            "Not found: Table analytics.jaffle_shop.orders was not found in location US"
        mq = query("orders", ["orders_status"], ["orders_order_count"],
                   sorts=[{"fieldId": "orders_status", "descending": False}])
        compiled = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/compileQuery", json=mq)
        assert "FROM `analytics-prod`.`jaffle_shop`.`orders` AS `orders`" in compiled
        statuses = Counter(o["status"] for o in table(ld, "orders"))
        assert [(r["orders_status"], r["orders_order_count"]) for r in raws(run(ld, mq)["rows"])] == \
            sorted(statuses.items())
        endless = "WITH RECURSIVE t AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM t) SELECT COUNT(*) FROM t"
        assert sql_error(ld, endless) == "Job execution was cancelled: Job timed out after 1 sec"
