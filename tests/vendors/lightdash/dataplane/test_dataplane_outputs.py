"""Totals, compiled SQL, CSV export, async jobs, metrics explorer and determinism."""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, timedelta

import pytest

from mockbi.vendors.lightdash.dataplane import DataPlane, KnexPaginationError, NotExistsError, NotFoundError, job_queue
from tests.vendors.lightdash.dataplane.dataplane_helpers import ANCHOR, make_plane, query, rule

NOW = ANCHOR


def test_totals_equal_the_sum_of_the_rows_they_total(plane: DataPlane) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               filters={"dimensions": {"id": "g", "and": [rule("orders_amount", "greaterThan", 20)]}}, limit=2)
    totals = plane.calculate_total("orders", mq, now=NOW)
    full = plane.run_query("orders", {**mq, "limit": 5000}, now=NOW)["rows"]
    assert totals["orders_order_count"] == sum(r["orders_order_count"]["value"]["raw"] for r in full)
    assert totals["orders_total_order_amount"] == pytest.approx(
        math.fsum(r["orders_total_order_amount"]["value"]["raw"] for r in full))
    assert totals["orders_order_count"] == sum(1 for o in plane.warehouse.tables["orders"] if o["amount"] > 20)


def test_compiled_sql_has_the_clauses_of_the_query(plane: DataPlane) -> None:
    mq = query("orders", ["orders_status", "orders_order_date_month"], ["payments_total_revenue"],
               filters={"dimensions": {"id": "g", "and": [rule("orders_status", "equals", "completed")]}},
               sorts=[{"fieldId": "payments_total_revenue", "descending": True}], limit=10)
    sql = plane.compile("orders", mq, now=NOW)
    assert sql.startswith("SELECT\n")
    assert '"orders".status AS "orders_status"' in sql
    assert "DATE_TRUNC('MONTH', \"orders\".order_date) AS \"orders_order_date_month\"" in sql
    assert 'SUM("payments".amount) AS "payments_total_revenue"' in sql
    assert 'FROM "analytics"."jaffle_shop"."orders" AS "orders"' in sql
    assert 'LEFT OUTER JOIN "analytics"."jaffle_shop"."payments" AS "payments"' in sql
    assert 'ON ("orders".order_id) = ("payments".order_id)' in sql
    assert "customers" not in sql  # only referenced tables are joined
    assert "(\"orders\".status) IN ('completed')" in sql
    assert "GROUP BY 1,2" in sql
    assert sql.endswith('ORDER BY "payments_total_revenue" DESC\nLIMIT 10')


def test_compiled_sql_wraps_metric_filters_and_table_calculations(plane: DataPlane) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count"],
               filters={"metrics": {"id": "m", "and": [rule("orders_order_count", "greaterThan", 5)]}},
               table_calculations=[{"name": "double", "displayName": "Double", "sql": "${orders.order_count} * 2"}])
    sql = plane.compile("orders", mq, now=NOW)
    assert sql.startswith("WITH metrics AS (\nSELECT")
    assert '("orders_order_count" * 2) AS "double"' in sql
    assert 'FROM metrics\nWHERE (\n  ("orders_order_count") > 5\n)' in sql
    assert "JOIN" not in sql


def test_compile_unknown_explore_is_not_exists(plane: DataPlane) -> None:
    with pytest.raises(NotExistsError):
        plane.compile("ghost", query("ghost", [], []), now=NOW)


def _csv(plane: DataPlane, **options: object) -> tuple[list[list[str]], bool]:
    body = {**query("orders", ["orders_status", "orders_is_completed"], ["orders_total_order_amount"],
                    sorts=[{"fieldId": "orders_status", "descending": False}]),
            "columnOrder": [], "showTableNames": False, "onlyRaw": False, **options}
    text, truncated = plane.csv("orders", body, now=NOW)
    return list(csv.reader(io.StringIO(text))), truncated


def test_csv_default_headers_formatted_values_and_limits(plane: DataPlane) -> None:
    rows, truncated = _csv(plane)
    assert rows[0] == ["Status", "Is completed", "Total order amount"]
    statuses = sorted({o["status"] for o in plane.warehouse.tables["orders"]})
    assert [r[0] for r in rows[1:]] == statuses
    assert all(r[1] in ("True", "False") and r[2].startswith("$") for r in rows[1:])
    assert truncated is False
    limited, truncated = _csv(plane, csvLimit=2)
    assert len(limited) == 3 and truncated is False  # Lightdash: only a filled cell budget counts
    unlimited, _ = _csv(plane, csvLimit=None)
    assert len(unlimited) == len(statuses) + 1


def test_csv_options_raw_table_names_order_labels_hidden(plane: DataPlane) -> None:
    rows, _ = _csv(plane, onlyRaw=True, showTableNames=True,
                   columnOrder=["orders_total_order_amount", "orders_status", "orders_is_completed"],
                   customLabels={"orders_status": "State"}, hiddenFields=["orders_is_completed"])
    assert rows[0] == ["Orders Total order amount", "State"]
    amounts = {}
    for order in plane.warehouse.tables["orders"]:
        amounts.setdefault(order["status"], []).append(order["amount"])
    for amount, status in rows[1:]:
        assert float(amount) == pytest.approx(math.fsum(amounts[status]))
        assert not amount.startswith("$")


def test_job_moves_through_states_on_the_injected_clock() -> None:
    now = [ANCHOR]
    jobs = job_queue(lambda: now[0], random.Random(1), start_after=2, run_for=3)
    job = jobs.submit("downloadCsv", user_uuid="u1", details={"fileUrl": "http://x/csv/a", "truncated": False})
    assert jobs.status_view(job.job_id) == {"status": "scheduled", "details": None}
    assert jobs.csv_url_view(job.job_id, "u1") == {"status": "scheduled", "truncated": False}
    now[0] += timedelta(seconds=2)
    assert jobs.status_view(job.job_id)["status"] == "started"
    now[0] += timedelta(seconds=3)
    assert jobs.status_view(job.job_id) == {"status": "completed", "details": {
        "fileUrl": "http://x/csv/a", "truncated": False, "createdByUserUuid": "u1"}}
    assert jobs.csv_url_view(job.job_id, "u1") == {"url": "http://x/csv/a", "status": "completed",
                                                   "truncated": False}
    with pytest.raises(NotFoundError, match="Download CSV job not found"):
        jobs.csv_url_view(job.job_id, "someone-else")
    with pytest.raises(NotFoundError, match="Job not found"):
        jobs.status_view("missing")


def test_failing_job_ends_in_error() -> None:
    now = [ANCHOR]
    jobs = job_queue(lambda: now[0], random.Random(1))
    job = jobs.submit("downloadCsv", user_uuid="u1", error="Warehouse unreachable")
    now[0] += timedelta(minutes=1)
    assert jobs.status_view(job.job_id) == {"status": "error", "details": {
        "error": "Warehouse unreachable", "createdByUserUuid": "u1"}}
    with pytest.raises(NotExistsError, match="Warehouse unreachable"):
        jobs.csv_url_view(job.job_id, "u1")


def test_metrics_explorer_matches_a_month_query(plane: DataPlane) -> None:
    out = plane.metric_explorer_query("orders", "order_count", start_date="2024-01-01", end_date="2025-01-01",
                                      query={"comparison": "none", "segmentDimension": None},
                                      time_dimension_override={"field": "order_date", "interval": "MONTH",
                                                               "table": "orders"}, now=NOW)
    by_month: dict[date, int] = {}
    for order in plane.warehouse.tables["orders"]:
        if date(2024, 1, 1) <= order["order_date"] < date(2025, 1, 1):
            month = order["order_date"].replace(day=1)
            by_month[month] = by_month.get(month, 0) + 1
    assert [(p["date"][:10], p["metric"]["value"]) for p in out["results"]] == \
        [(m.isoformat(), n) for m, n in sorted(by_month.items())]
    assert out["metric"]["timeDimension"] == {"field": "order_date", "interval": "MONTH", "table": "orders"}
    assert out["segmentDimension"] is None and out["compareMetric"] is None


def test_metric_total_with_previous_period(plane: DataPlane) -> None:
    total = plane.metric_total("orders", "order_count", time_frame="YEAR", comparison_type="previous_period",
                               now=NOW)
    orders = plane.warehouse.tables["orders"]
    assert total["value"]["raw"] == sum(1 for o in orders if o["order_date"].year == 2025)
    assert total["comparisonValue"]["raw"] == sum(1 for o in orders if o["order_date"].year == 2024)


def test_catalog_pagination_and_search(plane: DataPlane) -> None:
    everything = plane.metrics_catalog()
    assert "pagination" not in everything
    assert {e["name"] for e in everything["data"]} >= {"order_count", "total_revenue", "customer_count"}
    page = plane.metrics_catalog(page=1, page_size=2)
    assert len(page["data"]) == 2
    assert page["pagination"] == {"page": 1, "pageSize": 2, "totalResults": len(everything["data"]),
                                  "totalPageCount": math.ceil(len(everything["data"]) / 2)}
    assert [e["name"] for e in plane.metrics_catalog(search="revenue")["data"]] == ["total_revenue"]
    with pytest.raises(KnexPaginationError):
        plane.metrics_catalog(page=0, page_size=10)


def test_same_seed_same_world_and_scenario_sizes() -> None:
    mq = query("orders", ["orders_status"], ["orders_total_order_amount"])
    one, two, other = make_plane(), make_plane(), make_plane(seed=8)
    assert one.warehouse.tables == two.warehouse.tables
    assert one.catalog == two.catalog
    assert one.run_query("orders", mq, now=NOW) == two.run_query("orders", mq, now=NOW)
    assert one.warehouse.tables != other.warehouse.tables
    small = make_plane(scenario={"warehouse": {"customers": 10, "orders": 30, "payments": 40}})
    assert [len(small.warehouse.tables[t]) for t in ("customers", "orders", "payments")] == [10, 30, 40]
    customer_ids = {c["customer_id"] for c in small.warehouse.tables["customers"]}
    order_ids = {o["order_id"] for o in small.warehouse.tables["orders"]}
    assert all(o["customer_id"] in customer_ids for o in small.warehouse.tables["orders"])
    assert all(p["order_id"] in order_ids for p in small.warehouse.tables["payments"])


def test_explore_shapes_carry_required_keys(plane: DataPlane) -> None:
    summaries = plane.list_explores()
    assert [s["name"] for s in summaries] == ["customers", "orders", "payments"]
    for summary in summaries:
        assert {"name", "label", "tags", "databaseName", "schemaName", "description", "type"} <= set(summary)
    explore = plane.get_explore("orders")
    assert {"targetDatabase", "tables", "joinedTables", "baseTable", "tags", "label", "name"} <= set(explore)
    for table in explore["tables"].values():
        assert {"sqlTable", "schema", "database", "label", "name", "lineageGraph", "metrics",
                "dimensions"} <= set(table)
        for dim in table["dimensions"].values():
            assert {"fieldType", "type", "name", "label", "table", "tableLabel", "sql", "hidden",
                    "compiledSql"} <= set(dim)
        for metric in table["metrics"].values():
            assert {"fieldType", "type", "name", "label", "table", "tableLabel", "sql", "hidden",
                    "isAutoGenerated", "compiledSql"} <= set(metric)
    week = explore["tables"]["orders"]["dimensions"]["created_week"]
    assert (week["timeInterval"], week["timeIntervalBaseDimensionName"], week["type"]) == ("WEEK", "created", "date")
