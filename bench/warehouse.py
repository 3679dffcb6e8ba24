"""Benchmark (issue 9): Lightdash's warehouse engine (DuckDB + sqlglot), against the issue's targets.

    .venv/bin/python bench/warehouse.py [--repeat 30]      (also run by ``make bench``)

- a world's warehouse load: DuckDB connect + the default project's tables loaded from the seeded rows
  (target <= 50 ms), and what a reset costs afterwards (the tables are kept: nothing is reloaded);
- runQuery over 10,000 orders with two dimensions, two metrics and a sort (target p50 <= 20 ms): in process
  (plan, compile, transpile, execute, format) and over HTTP through the whole pipeline;
- the SQL runner's GROUP BY over 100,000 orders (target p50 <= 50 ms): transpile, execute, serialise.

Prints one line per measure with the p50, p90 and fastest run in milliseconds. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mockbi import MockbiConfig  # noqa: E402
from mockbi.server import ServerThread  # noqa: E402
from mockbi.vendors.lightdash.dataplane import DataPlane, Warehouses  # noqa: E402
from mockbi.vendors.lightdash.dataplane.warehouse import build_warehouse  # noqa: E402
from mockbi.vendors.lightdash.handlers._sql import run_sql  # noqa: E402

ANCHOR = datetime(2025, 3, 1, 12, tzinfo=UTC)
RUN_QUERY = {"exploreName": "orders", "dimensions": ["orders_status", "customers_country"],
             "metrics": ["orders_order_count", "orders_total_order_amount"], "filters": {},
             "sorts": [{"fieldId": "orders_total_order_amount", "descending": True}], "limit": 500,
             "tableCalculations": []}
GROUP_BY = "select status, count(*), sum(amount), avg(amount) from orders group by status order by status"


def timings(fn: Callable[[], Any], repeat: int, warmup: int = 3) -> tuple[float, float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1], samples[0]


def report(label: str, p50: float, p90: float, fastest: float, target: float | None = None) -> None:
    """One line; ``fastest`` shows what the work costs when the machine is not busy with anything else."""
    verdict = "" if target is None else (f"  (target <= {target:g} ms: {'ok' if p50 <= target else 'MISSED'})")
    print(f"{label:<66} p50 {p50:7.2f} ms  p90 {p90:7.2f} ms  min {fastest:7.2f} ms{verdict}")


def seeded(seed: int, scenario: dict[str, Any] | None = None, warehouses: Warehouses | None = None) -> DataPlane:
    faker = Faker()
    faker.seed_instance(seed)
    return DataPlane(random.Random(seed), faker, anchor=ANCHOR, scenario=scenario, warehouses=warehouses)


def bench_load(repeat: int) -> None:
    def rows() -> Any:
        faker = Faker()
        faker.seed_instance(1)
        return build_warehouse(random.Random(1), faker, ANCHOR)

    warehouse = rows()
    report("generate the default project's seeded rows (Faker)", *timings(rows, repeat))
    report("world warehouse load: connect + load the default tables", *timings(
        lambda: Warehouses().engine.load(warehouse), repeat), target=50)
    report("  of which DuckDB connect", *timings(lambda: Warehouses().engine, repeat))
    engine = Warehouses().engine
    report("  of which loading the tables (2,400 rows)", *timings(lambda: engine.load(warehouse), repeat))
    world = Warehouses()
    seeded(1, warehouses=world)
    report("data plane rebuilt after a reset (tables kept, nothing reloaded)", *timings(
        lambda: seeded(1, warehouses=world), repeat))


def distinct_queries() -> Iterator[dict[str, Any]]:
    """RUN_QUERY with another limit each time: another statement, so the engine runs it (the engine keeps
    results by statement text; a repeated query is measured on its own line)."""
    for limit in itertools.count(4999, -1):
        yield {**RUN_QUERY, "limit": limit}


def bench_run_query(repeat: int) -> None:
    plane = seeded(2, {"warehouse": {"customers": 1000, "orders": 10_000, "payments": 10_000}})
    fresh = distinct_queries()
    report("runQuery, 10,000 orders, 2 dims + 2 metrics + sort (in process)", *timings(
        lambda: plane.run_query("orders", next(fresh), now=ANCHOR), repeat), target=20)
    report("  the same runQuery again (the engine's result cache)", *timings(
        lambda: plane.run_query("orders", RUN_QUERY, now=ANCHOR), repeat))
    with tempfile.TemporaryDirectory() as scenarios:
        (Path(scenarios) / "lightdash").mkdir()
        (Path(scenarios) / "lightdash" / "bench10k.yaml").write_text(
            "warehouse: {customers: 1000, orders: 10000, payments: 10000}\n", encoding="utf-8")
        config = MockbiConfig(vendors=("lightdash",), scenario="bench10k", scenario_dirs=(scenarios,))
        with ServerThread(config) as server, requests.Session() as http:
            creds = server.runtime.store("lightdash").credentials()
            url = f"{server.url}/api/v1/projects/{creds['project_uuid']}/explores/orders/runQuery"
            headers = {"Authorization": f"ApiKey {creds['personal_access_token']}"}

            def over_http(query: dict[str, Any]) -> None:
                response = http.post(url, json=query, headers=headers)
                assert response.status_code == 200, response.text

            report("runQuery, 10,000 orders, 2 dims + 2 metrics + sort (HTTP)", *timings(
                lambda: over_http(next(fresh)), repeat), target=20)
            report("  the same runQuery again over HTTP (the engine's result cache)", *timings(
                lambda: over_http(RUN_QUERY), repeat))


def bench_sql_runner(repeat: int) -> None:
    plane = seeded(3, {"warehouse": {"customers": 2000, "orders": 100_000, "payments": 1000}})
    limits = itertools.count(1000)  # another LIMIT each time: another statement, run by the engine
    report("SQL runner GROUP BY over 100,000 orders (in process)", *timings(
        lambda: run_sql(plane.sql, f"{GROUP_BY} limit {next(limits)}", ANCHOR), repeat), target=50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print("Lightdash warehouse (DuckDB + sqlglot)")
    bench_load(args.repeat)
    bench_run_query(args.repeat)
    bench_sql_runner(args.repeat)


if __name__ == "__main__":
    main()
