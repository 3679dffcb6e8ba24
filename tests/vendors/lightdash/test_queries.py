"""Queries over HTTP: rows against an independent computation over the seeded warehouse, totals against
the rows they total, saved chart / dashboard tile / version results against running their query, the SQL
runner, and the errors (unknown explore 404, unknown field 400, limits, roles)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.vendors.lightdash._dataplane_http import and_, plane_of, query, raws, rule, run

Row = dict[str, Any]


def orders(ld: Any) -> list[Row]:
    return plane_of(ld).warehouse.tables["orders"]


def test_group_by_status_equals_counting_the_orders(ld: Any) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               sorts=[{"fieldId": "orders_status", "descending": False}])
    counts: dict[str, int] = defaultdict(int)
    amounts: dict[str, list[float]] = defaultdict(list)
    for order in orders(ld):
        counts[order["status"]] += 1
        amounts[order["status"]].append(order["amount"])
    results = run(ld, mq)
    assert raws(results["rows"]) == [{"orders_status": s, "orders_order_count": counts[s],
                                      "orders_total_order_amount": math.fsum(amounts[s])} for s in sorted(counts)]
    assert results["fields"]["orders_status"]["label"] == "Status"
    assert results["metricQuery"]["exploreName"] == "orders" and results["cacheMetadata"] == {"cacheHit": False}
    assert results["rows"][0]["orders_total_order_amount"]["value"]["formatted"].startswith("$")


def test_dimension_filter_and_nulls_last_on_an_ascending_sort(ld: Any) -> None:
    mq = query("orders", ["orders_promo_code"], ["orders_order_count", "orders_max_order_amount"],
               filters={"dimensions": and_(rule("orders_status", "equals", "completed"))},
               sorts=[{"fieldId": "orders_promo_code", "descending": False}])
    groups: dict[str | None, list[float]] = defaultdict(list)
    for order in orders(ld):
        if order["status"] == "completed":
            groups[order["promo_code"]].append(order["amount"])
    keys = sorted(k for k in groups if k is not None) + ([None] if None in groups else [])
    expected = [{"orders_promo_code": k, "orders_order_count": len(groups[k]),
                 "orders_max_order_amount": max(groups[k])} for k in keys]
    assert raws(run(ld, mq)["rows"]) == expected
    assert expected[-1]["orders_promo_code"] is None


def test_joined_dimension_filter_sort_desc_and_limit(ld: Any) -> None:
    mq = query("orders", ["customers_country"], ["orders_total_order_amount"],
               filters={"dimensions": and_(rule("customers_is_active", "equals", True))},
               sorts=[{"fieldId": "orders_total_order_amount", "descending": True}], limit=3)
    customers = {c["customer_id"]: c for c in plane_of(ld).warehouse.tables["customers"]}
    totals: dict[str, list[float]] = defaultdict(list)
    for order in orders(ld):
        customer = customers.get(order["customer_id"])
        if customer is not None and customer["is_active"]:
            totals[customer["country"]].append(order["amount"])
    ranked = sorted(totals, key=lambda c: math.fsum(totals[c]), reverse=True)[:3]
    assert raws(run(ld, mq)["rows"]) == [{"customers_country": c, "orders_total_order_amount": math.fsum(totals[c])}
                                         for c in ranked]


def test_metric_filter_and_two_sorts(ld: Any) -> None:
    mq = query("orders", ["orders_customer_id"], ["orders_order_count"],
               filters={"metrics": and_(rule("orders_order_count", "greaterThan", 7))},
               sorts=[{"fieldId": "orders_order_count", "descending": True},
                      {"fieldId": "orders_customer_id", "descending": False}])
    counts: dict[int, int] = defaultdict(int)
    for order in orders(ld):
        counts[order["customer_id"]] += 1
    expected = sorted(((c, n) for c, n in counts.items() if n > 7), key=lambda cn: (-cn[1], cn[0]))
    rows = raws(run(ld, mq)["rows"])
    assert rows == [{"orders_customer_id": c, "orders_order_count": n} for c, n in expected]
    assert rows, "the seeded warehouse has repeat customers"


def test_plain_rows_sorted_and_limited(ld: Any) -> None:
    mq = query("orders", ["orders_order_id", "orders_amount"], [],
               sorts=[{"fieldId": "orders_amount", "descending": True}], limit=5)
    top = sorted(orders(ld), key=lambda o: o["amount"], reverse=True)[:5]
    assert raws(run(ld, mq)["rows"]) == [{"orders_order_id": o["order_id"], "orders_amount": o["amount"]} for o in top]


def test_underlying_data_runs_the_same_query(ld: Any) -> None:
    mq = query("orders", ["orders_order_id", "orders_status"], [],
               filters={"dimensions": and_(rule("orders_status", "equals", "returned"))},
               sorts=[{"fieldId": "orders_order_id", "descending": False}], limit=50)
    underlying = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/runUnderlyingDataQuery", json=mq)
    returned = [o["order_id"] for o in sorted(orders(ld), key=lambda o: o["order_id"]) if o["status"] == "returned"]
    assert [r["orders_order_id"] for r in raws(underlying["rows"])] == returned[:50]


def test_totals_equal_the_sum_of_the_rows_they_total(ld: Any) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               filters={"dimensions": and_(rule("orders_status", "notEquals", "placed"))})
    rows = raws(run(ld, mq)["rows"])
    totals = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/calculate-total",
                   json={"explore": "orders", "metricQuery": mq})
    assert set(totals) == {"orders_order_count", "orders_total_order_amount"}
    assert totals["orders_order_count"] == sum(r["orders_order_count"] for r in rows)
    assert totals["orders_total_order_amount"] == pytest.approx(math.fsum(r["orders_total_order_amount"]
                                                                          for r in rows))
    nothing = query("orders", [], ["orders_total_order_amount"],
                    filters={"dimensions": and_(rule("orders_status", "equals", "no-such-status"))})
    empty = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/calculate-total",
                  json={"explore": "orders", "metricQuery": nothing})
    assert empty == {"orders_total_order_amount": None}  # SUM over no rows is NULL


def test_saved_chart_results_equal_running_their_query(ld: Any) -> None:
    charts = [c for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid]
    assert len(charts) >= 5
    for chart in charts:
        direct = run(ld, chart.metricQuery, chart.tableName)
        via_chart = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/results", json={})
        assert via_chart["rows"] == direct["rows"] and via_chart["fields"] == direct["fields"], chart.name
        assert direct["rows"], f"seeded chart {chart.name!r} returns rows"
        first = chart.versions[0]
        old = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/version/{first.versionUuid}/results")
        assert old["rows"] == run(ld, first.snapshot["metricQuery"], chart.tableName)["rows"]
        totals = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/calculate-total", json={})
        assert set(totals) == set(chart.metricQuery["metrics"])


def test_dashboard_tile_applies_the_dashboard_filters(ld: Any) -> None:
    dashboard = next(d for d in ld.store.dashboards.values() if d.name == "Company overview")
    tile = next(t for t in dashboard.tiles if t["type"] == "saved_chart")
    chart = ld.store.saved_charts[tile["properties"]["savedChartUuid"]]
    path = f"/api/v1/saved/{chart.uuid}/chart-and-results"
    plain = ld.ok("POST", path, json={"dashboardUuid": dashboard.uuid, "dashboardSorts": [],
                                      "dashboardFilters": {"dimensions": [], "metrics": [], "tableCalculations": []}})
    assert plain["rows"] == run(ld, chart.metricQuery, chart.tableName)["rows"]
    assert plain["chart"]["uuid"] == chart.uuid and plain["explore"]["name"] == chart.tableName
    dash_rule = {"id": "df", "label": "Status", "target": {"fieldId": "orders_status", "tableName": "orders"},
                 "operator": "equals", "values": ["completed", "shipped"]}
    other_explore = {"id": "dp", "target": {"fieldId": "refunds_reason", "tableName": "refunds"},
                     "operator": "equals", "values": ["damaged"]}  # a field the chart's explore does not have
    filtered = ld.ok("POST", path, json={"dashboardUuid": dashboard.uuid, "dashboardSorts": [],
                                         "dashboardFilters": {"dimensions": [dash_rule, other_explore], "metrics": [],
                                                              "tableCalculations": []}})
    assert [r["id"] for r in filtered["appliedDashboardFilters"]["dimensions"]] == ["df"]
    with_filter = dict(chart.metricQuery, filters={"dimensions": and_(rule("orders_status", "equals",
                                                                            "completed", "shipped"))})
    assert filtered["rows"] == run(ld, with_filter, chart.tableName)["rows"]
    assert filtered["rows"] != plain["rows"]


def test_compile_query_returns_the_sql(ld: Any) -> None:
    mq = query("orders", ["orders_status", "customers_country"], ["orders_order_count"],
               filters={"dimensions": and_(rule("orders_status", "equals", "completed"))},
               sorts=[{"fieldId": "orders_order_count", "descending": True}], limit=10)
    sql = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/compileQuery", json=mq)
    assert isinstance(sql, str)
    assert 'FROM "analytics"."jaffle_shop"."orders" AS "orders"' in sql
    assert 'LEFT OUTER JOIN "analytics"."jaffle_shop"."customers"' in sql
    assert "IN ('completed')" in sql and "GROUP BY 1,2" in sql and sql.rstrip().endswith("LIMIT 10")


def test_sql_runner_reads_the_warehouse(ld: Any) -> None:
    results = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery",
                    json={"sql": "SELECT order_id, status AS s, amount FROM jaffle_shop.orders "
                                 "WHERE status = 'returned' AND amount > 100 ORDER BY amount DESC LIMIT 4"})
    expected = sorted((o for o in orders(ld) if o["status"] == "returned" and o["amount"] > 100),
                      key=lambda o: o["amount"], reverse=True)[:4]
    assert results["rows"] == [{"order_id": o["order_id"], "s": "returned", "amount": o["amount"]} for o in expected]
    assert results["fields"] == {"order_id": {"type": "number"}, "s": {"type": "string"}, "amount": {"type": "number"}}
    count = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery", json={"sql": "select count(*) from orders"})
    assert count["rows"] == [{"count": len(orders(ld))}]
    error = ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery", 400, "WarehouseQueryError",
                     json={"sql": "select nope from orders"})
    assert error["message"] == 'column "nope" does not exist'
    grouped = ld.ok("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery",
                    json={"sql": "select status, count(*) from orders group by status order by status"})
    statuses = sorted({o["status"] for o in orders(ld)})
    assert grouped["rows"] == [{"status": s, "count": sum(1 for o in orders(ld) if o["status"] == s)}
                               for s in statuses]


def test_unknown_explore_is_404_and_unknown_field_400_naming_it(ld: Any) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/explores"
    error = ld.error("POST", f"{base}/nope/runQuery", 404, "NotExistsError", json=query("nope", [], ["x_y"]))
    assert error["message"] == 'Explore "nope" does not exist.'
    error = ld.error("POST", f"{base}/orders/runQuery", 400, "FieldReferenceError",
                     json=query("orders", ["orders_nope"], ["orders_order_count"]))
    assert "orders_nope" in error["message"]
    error = ld.error("POST", f"{base}/orders/runQuery", 400, "FieldReferenceError",
                     json=query("orders", ["orders_status"], [],
                                filters={"dimensions": and_(rule("orders_ghost", "equals", "x"))}))
    assert "orders_ghost" in error["message"]
    error = ld.error("POST", f"{base}/orders/runQuery", 400, "ParameterError",
                     json=query("orders", ["orders_status"], [], limit=6000))
    assert error["message"] == "Query limit can not exceed 5000"
    ld.error("POST", f"{base}/orders/compileQuery", 400, "FieldReferenceError",
             json=query("orders", ["orders_nope"], []))
    ld.error("POST", "/api/v1/saved/no-such-chart/results", 404, "NotFoundError", json={})


def test_roles_viewer_sees_saved_results_but_cannot_explore(ld: Any) -> None:
    viewer = ld.token_for("viewer")
    chart = next(c for c in ld.store.saved_charts.values()
                 if c.projectUuid == ld.project_uuid and not ld.store.spaces[c.spaceUuid].isPrivate)
    assert ld.ok("POST", f"/api/v1/saved/{chart.uuid}/results", json={}, token=viewer)["rows"]
    mq = query("orders", ["orders_status"], ["orders_order_count"])
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/explores/orders/runQuery", 403, "ForbiddenError",
             json=mq, token=viewer)
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/sqlQuery", 403, "ForbiddenError",
             json={"sql": "select 1 from orders"}, token=ld.token_for("editor"))


def test_dashboard_filter_excluded_for_a_tile_is_not_applied(ld: Any) -> None:
    dashboard = next(d for d in ld.store.dashboards.values() if d.name == "Company overview")
    tile = next(t for t in dashboard.tiles if t["type"] == "saved_chart")
    chart = ld.store.saved_charts[tile["properties"]["savedChartUuid"]]
    excluded = {"id": "df", "target": {"fieldId": "orders_status", "tableName": "orders"}, "operator": "equals",
                "values": ["completed"], "tileTargets": {tile["uuid"]: False}}
    results = ld.ok("POST", f"/api/v1/saved/{chart.uuid}/chart-and-results",
                    json={"dashboardUuid": dashboard.uuid, "dashboardSorts": [],
                          "dashboardFilters": {"dimensions": [excluded], "metrics": [], "tableCalculations": []}})
    assert results["appliedDashboardFilters"]["dimensions"] == []
    assert results["rows"] == run(ld, chart.metricQuery, chart.tableName)["rows"]


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


@pytest.mark.parametrize(("suffix", "bucket", "formatted"), [
    ("day", lambda d: d, "%Y-%m-%d"),
    ("week", _week, "%Y-%m-%d"),
    ("month", lambda d: d.replace(day=1), "%Y-%m"),
    ("year", lambda d: d.replace(month=1, day=1), "%Y"),
])
def test_time_granularity_buckets_the_orders(ld: Any, suffix: str, bucket: Any, formatted: str) -> None:
    fid = f"orders_order_date_{suffix}"
    mq = query("orders", [fid], ["orders_order_count"], sorts=[{"fieldId": fid, "descending": False}], limit=5000)
    counts: dict[date, int] = defaultdict(int)
    for order in orders(ld):
        counts[bucket(order["order_date"])] += 1
    results = run(ld, mq)
    assert raws(results["rows"]) == [{fid: f"{d.isoformat()}T00:00:00.000Z", "orders_order_count": n}
                                     for d, n in sorted(counts.items())]
    assert [r[fid]["value"]["formatted"] for r in results["rows"]] == [d.strftime(formatted) for d in sorted(counts)]
    assert results["fields"][fid]["timeInterval"] == suffix.upper()


NOW = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)  # the default clock the seeded server starts at


@pytest.mark.parametrize(("rule_args", "keep"), [
    (("orders_status", "equals", "completed", "shipped"), lambda o: o["status"] in ("completed", "shipped")),
    (("orders_promo_code", "notEquals", "VIP"), lambda o: o["promo_code"] != "VIP"),  # NULL kept, as Lightdash's SQL
    (("orders_promo_code", "isNull"), lambda o: o["promo_code"] is None),
    (("orders_amount", "greaterThan", 250), lambda o: o["amount"] > 250),
    (("orders_amount", "inBetween", 100, 200), lambda o: 100 <= o["amount"] <= 200),
    (("orders_order_date", "inBetween", "2024-01-01", "2024-03-31"),
     lambda o: date(2024, 1, 1) <= o["order_date"] <= date(2024, 3, 31)),
    (("orders_status", "startsWith", "ret"), lambda o: o["status"].startswith("ret")),
    (("orders_status", "include", "PEND"), lambda o: "pend" in o["status"]),  # case-insensitive LIKE
])
def test_filter_operators_keep_the_matching_orders(ld: Any, rule_args: tuple[Any, ...], keep: Any) -> None:
    mq = query("orders", ["orders_order_id"], [], filters={"dimensions": and_(rule(*rule_args))},
               sorts=[{"fieldId": "orders_order_id", "descending": False}], limit=5000)
    expected = [o["order_id"] for o in sorted(orders(ld), key=lambda o: o["order_id"]) if keep(o)]
    assert [r["orders_order_id"] for r in raws(run(ld, mq)["rows"])] == expected
    assert expected


def test_in_the_past_follows_the_injected_clock(ld: Any) -> None:
    assert ld.store.now() == NOW
    past = {**rule("orders_order_date", "inThePast", 30), "settings": {"unitOfTime": "days", "completed": False}}
    mq = query("orders", ["orders_order_id"], [], filters={"dimensions": and_(past)},
               sorts=[{"fieldId": "orders_order_id", "descending": False}], limit=5000)
    start = (NOW - timedelta(days=30)).date()
    expected = [o["order_id"] for o in sorted(orders(ld), key=lambda o: o["order_id"])
                if start <= o["order_date"] <= NOW.date()]
    assert [r["orders_order_id"] for r in raws(run(ld, mq)["rows"])] == expected and expected
    completed = {**past, "values": [1], "settings": {"unitOfTime": "years", "completed": True}}
    mq["filters"] = {"dimensions": and_(completed)}
    assert [r["orders_order_id"] for r in raws(run(ld, mq)["rows"])] == \
        [o["order_id"] for o in sorted(orders(ld), key=lambda o: o["order_id"]) if o["order_date"].year == 2024]
    resp = requests.post(ld.url + "/__mockbi/clock", json={"advance": 40 * 86400})
    assert resp.status_code == 200, resp.text
    mq["filters"] = {"dimensions": and_(past)}
    assert raws(run(ld, mq)["rows"]) == [], "30 days after the clock moved 40 days on, no order is that recent"


def test_table_calculation_and_its_filter_over_http(ld: Any) -> None:
    calc = {"name": "avg_x2", "displayName": "Average x2",
            "sql": "${orders.total_order_amount} / ${orders.order_count} * 2",
            "format": {"type": "currency", "currency": "USD", "round": 1}}
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               filters={"tableCalculations": and_(rule("avg_x2", "greaterThan", 0))},
               sorts=[{"fieldId": "avg_x2", "descending": True}], table_calculations=[calc])
    amounts: dict[str, list[float]] = defaultdict(list)
    for order in orders(ld):
        amounts[order["status"]].append(order["amount"])
    expected = sorted(((s, math.fsum(a) / len(a) * 2) for s, a in amounts.items()), key=lambda sv: -sv[1])
    results = run(ld, mq)
    assert [(r["orders_status"], r["avg_x2"]) for r in raws(results["rows"])] == \
        [(s, pytest.approx(v)) for s, v in expected]
    assert results["fields"]["avg_x2"]["displayName"] == "Average x2"
    assert results["rows"][0]["avg_x2"]["value"]["formatted"] == f"${expected[0][1]:,.1f}"
