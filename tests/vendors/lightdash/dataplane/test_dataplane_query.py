"""Metric queries against an independent computation over the seeded warehouse rows."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

import pytest

from mockbi.vendors.lightdash.dataplane import (
    CompileError,
    DataPlane,
    FieldReferenceError,
    NotExistsError,
    ParameterError,
    WarehouseQueryError,
)
from tests.vendors.lightdash.dataplane.dataplane_helpers import ANCHOR, query, rule

NOW = ANCHOR


def raw_rows(plane: DataPlane, mq: dict[str, object], explore: str | None = None) -> list[dict[str, object]]:
    result = plane.run_query(explore or str(mq["exploreName"]), mq, now=NOW)
    return [{fid: cell["value"]["raw"] for fid, cell in row.items()} for row in result["rows"]]


def month_iso(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-01T00:00:00.000Z"


def test_group_by_status_counts_and_sums(plane: DataPlane) -> None:
    mq = query("orders", ["orders_status"], ["orders_order_count", "orders_total_order_amount"],
               sorts=[{"fieldId": "orders_status", "descending": False}])
    counts: dict[str, int] = defaultdict(int)
    sums: dict[str, list[float]] = defaultdict(list)
    for order in plane.warehouse.tables["orders"]:
        counts[order["status"]] += 1
        sums[order["status"]].append(order["amount"])
    expected = [{"orders_status": s, "orders_order_count": counts[s],
                 "orders_total_order_amount": math.fsum(sums[s])} for s in sorted(counts)]
    assert raw_rows(plane, mq) == expected


def test_month_average_with_status_filter_sort_desc_and_limit(plane: DataPlane) -> None:
    mq = query("orders", ["orders_order_date_month"], ["orders_average_order_amount"],
               filters={"dimensions": {"id": "g", "and": [rule("orders_status", "equals", "completed", "shipped")]}},
               sorts=[{"fieldId": "orders_order_date_month", "descending": True}], limit=5)
    buckets: dict[date, list[float]] = defaultdict(list)
    for order in plane.warehouse.tables["orders"]:
        if order["status"] in ("completed", "shipped"):
            buckets[order["order_date"].replace(day=1)].append(order["amount"])
    months = sorted(buckets, reverse=True)[:5]
    expected = [{"orders_order_date_month": month_iso(m),
                 # AVG over numeric amounts: the engine's double may differ from fsum/len in the last bit
                 "orders_average_order_amount": pytest.approx(math.fsum(buckets[m]) / len(buckets[m]), rel=1e-12)}
                for m in months]
    assert raw_rows(plane, mq) == expected


def test_join_to_customers_with_and_filters_and_two_sorts(plane: DataPlane) -> None:
    mq = query("orders", ["customers_country"], ["orders_order_count", "orders_unique_customer_count"],
               filters={"dimensions": {"id": "g", "and": [
                   rule("orders_amount", "greaterThan", 100, rule_id="a"),
                   rule("customers_is_active", "equals", True, rule_id="b")]}},
               sorts=[{"fieldId": "orders_order_count", "descending": True},
                      {"fieldId": "customers_country", "descending": False}])
    customers = {c["customer_id"]: c for c in plane.warehouse.tables["customers"]}
    count: dict[str, int] = defaultdict(int)
    distinct: dict[str, set[int]] = defaultdict(set)
    for order in plane.warehouse.tables["orders"]:
        customer = customers[order["customer_id"]]
        if order["amount"] > 100 and customer["is_active"] is True:
            count[customer["country"]] += 1
            distinct[customer["country"]].add(order["customer_id"])
    ordered = sorted(count, key=lambda c: (-count[c], c))
    expected = [{"customers_country": c, "orders_order_count": count[c],
                 "orders_unique_customer_count": len(distinct[c])} for c in ordered]
    assert raw_rows(plane, mq) == expected


def test_payments_explore_joins_orders_for_null_filter(plane: DataPlane) -> None:
    mq = query("payments", ["payments_payment_method"], ["payments_total_revenue", "payments_payment_count"],
               filters={"dimensions": {"id": "g", "and": [rule("orders_promo_code", "isNull")]}},
               sorts=[{"fieldId": "payments_total_revenue", "descending": True}])
    orders = {o["order_id"]: o for o in plane.warehouse.tables["orders"]}
    revenue: dict[str, list[float]] = defaultdict(list)
    for payment in plane.warehouse.tables["payments"]:
        if orders[payment["order_id"]]["promo_code"] is None:
            revenue[payment["payment_method"]].append(payment["amount"])
    ordered = sorted(revenue, key=lambda m: -math.fsum(revenue[m]))
    expected = [{"payments_payment_method": m, "payments_total_revenue": math.fsum(revenue[m]),
                 "payments_payment_count": len(revenue[m])} for m in ordered]
    assert raw_rows(plane, mq) == expected


def test_or_group_of_string_operators_without_dimensions(plane: DataPlane) -> None:
    mq = query("customers", [], ["customers_customer_count"],
               filters={"dimensions": {"id": "g", "or": [
                   rule("customers_email", "include", "EXAMPLE", rule_id="a"),
                   rule("customers_country", "startsWith", "G", rule_id="b"),
                   rule("customers_last_name", "endsWith", "son", rule_id="c")]}})
    expected = sum(1 for c in plane.warehouse.tables["customers"]
                   if "example" in c["email"].lower() or c["country"].startswith("G")
                   or c["last_name"].endswith("son"))
    assert raw_rows(plane, mq) == [{"customers_customer_count": expected}]
    assert expected > 0


def test_relative_date_filters_use_injected_now(plane: DataPlane) -> None:
    completed = {"unitOfTime": "months", "completed": True}
    past = query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
        rule("orders_order_date", "inThePast", 3, settings=completed)]}})
    # completed months before 2025-03: 2024-12-01 <= d < 2025-03-01
    expected = sum(1 for o in plane.warehouse.tables["orders"]
                   if date(2024, 12, 1) <= o["order_date"] < date(2025, 3, 1))
    assert raw_rows(plane, past) == [{"orders_order_count": expected}]
    days = query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
        rule("orders_created", "inThePast", 30, settings={"unitOfTime": "days"})]}})
    expected_days = sum(1 for o in plane.warehouse.tables["orders"]
                        if NOW - timedelta(days=30) <= o["created_at"] <= NOW)
    assert raw_rows(plane, days) == [{"orders_order_count": expected_days}]
    current = query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
        rule("orders_order_date", "inTheCurrent", settings={"unitOfTime": "years"})]}})
    assert raw_rows(plane, current) == [{"orders_order_count": sum(
        1 for o in plane.warehouse.tables["orders"] if o["order_date"].year == 2025)}]
    not_past = query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
        rule("orders_order_date", "notInThePast", 3, settings=completed)]}})
    assert raw_rows(plane, not_past)[0]["orders_order_count"] == len(plane.warehouse.tables["orders"]) - expected


def test_between_and_not_between_on_numbers(plane: DataPlane) -> None:
    for operator, keep in (("inBetween", lambda a: 50 <= a <= 150), ("notInBetween", lambda a: a < 50 or a > 150)):
        mq = query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
            rule("orders_amount", operator, 50, 150)]}})
        expected = sum(1 for o in plane.warehouse.tables["orders"] if keep(o["amount"]))
        assert raw_rows(plane, mq) == [{"orders_order_count": expected}]


def test_metric_filter_applies_after_aggregation(plane: DataPlane) -> None:
    mq = query("orders", ["orders_customer_id"], ["orders_order_count"],
               filters={"metrics": {"id": "m", "and": [rule("orders_order_count", "greaterThanOrEqual", 8)]}},
               sorts=[{"fieldId": "orders_customer_id", "descending": False}])
    count: dict[int, int] = defaultdict(int)
    for order in plane.warehouse.tables["orders"]:
        count[order["customer_id"]] += 1
    expected = [{"orders_customer_id": c, "orders_order_count": n} for c, n in sorted(count.items()) if n >= 8]
    assert raw_rows(plane, mq) == expected
    assert expected


def test_table_calculation_and_its_filter(plane: DataPlane) -> None:
    calc = {"name": "avg_amount", "displayName": "Avg amount",
            "sql": "${orders.total_order_amount} / ${orders.order_count}"}
    mq = query("orders", ["orders_status"], ["orders_total_order_amount", "orders_order_count"],
               table_calculations=[calc],
               filters={"tableCalculations": {"id": "t", "and": [rule("avg_amount", "greaterThan", 0)]}},
               sorts=[{"fieldId": "avg_amount", "descending": True}])
    rows = raw_rows(plane, mq)
    assert [r["avg_amount"] for r in rows] == sorted(
        (r["orders_total_order_amount"] / r["orders_order_count"] for r in rows), reverse=True)
    assert len(rows) == len({o["status"] for o in plane.warehouse.tables["orders"]})


def test_api_shape_formatting_and_echo(plane: DataPlane) -> None:
    mq = query("orders", ["orders_is_completed", "orders_promo_code", "orders_order_date_day"],
               ["orders_total_order_amount"], limit=50)
    result = plane.run_query("orders", mq, now=NOW)
    assert result["metricQuery"] == mq
    assert result["cacheMetadata"] == {"cacheHit": False}
    assert set(result["fields"]) == {"orders_is_completed", "orders_promo_code", "orders_order_date_day",
                                     "orders_total_order_amount"}
    assert result["fields"]["orders_order_date_day"]["timeInterval"] == "DAY"
    assert len(result["rows"]) == 50
    seen_null = False
    for row in result["rows"]:
        flag = row["orders_is_completed"]["value"]
        assert flag["formatted"] == ("True" if flag["raw"] else "False")
        promo = row["orders_promo_code"]["value"]
        if promo["raw"] is None:
            seen_null = True
            assert promo["formatted"] == "∅"
        day = row["orders_order_date_day"]["value"]
        assert day["raw"].endswith("T00:00:00.000Z") and day["formatted"] == day["raw"][:10]
        amount = row["orders_total_order_amount"]["value"]
        assert amount["formatted"] == f"${amount['raw']:,.2f}"
    assert seen_null


def test_granularity_swaps_date_dimension_interval(plane: DataPlane) -> None:
    mq = query("orders", ["orders_order_date_day"], ["orders_order_count"],
               sorts=[{"fieldId": "orders_order_date_day", "descending": False}], limit=5000)
    result = plane.run_query("orders", mq, now=NOW, granularity="Year")
    assert result["metricQuery"]["dimensions"] == ["orders_order_date_year"]
    assert [r["orders_order_date_year"]["value"]["formatted"] for r in result["rows"]] == \
        sorted({str(o["order_date"].year) for o in plane.warehouse.tables["orders"]})


@pytest.mark.parametrize(("mq", "error", "status", "message"), [
    (query("nope", [], ["orders_order_count"]), NotExistsError, 404, 'Explore "nope" does not exist.'),
    (query("orders", ["orders_colour"], []), FieldReferenceError, 400,
     "Tried to reference dimension with unknown field id: orders_colour"),
    (query("orders", [], ["orders_bogus"]), FieldReferenceError, 400,
     "Tried to reference metric with unknown field id: orders_bogus"),
    (query("orders", [], ["orders_order_count"], filters={"dimensions": {"id": "g", "and": [
        rule("orders_missing", "equals", "x")]}}), FieldReferenceError, 400,
     "Tried to reference dimension with unknown field id: orders_missing"),
    (query("customers", ["customers_country"], [], filters={"dimensions": {"id": "g", "and": [
        rule("orders_status", "equals", "x")]}}), FieldReferenceError, 400,
     "Tried to reference dimension with unknown field id: orders_status"),
    (query("orders", ["orders_status"], [], limit=5001), ParameterError, 400, "Query limit can not exceed 5000"),
    (query("orders", ["orders_status"], [], sorts=[{"fieldId": "orders_amount", "descending": False}]),
     WarehouseQueryError, 400, 'column "orders_amount" does not exist'),
    (query("orders", ["orders_status"], [], table_calculations=[
        {"name": "x", "displayName": "X", "sql": "${orders.order_count} * 2"}]), CompileError, 400,
     "Table calculation contains a reference orders.order_count to a field that isn't included in the query."),
])
def test_errors_carry_service_names_and_messages(plane: DataPlane, mq: dict[str, object], error: type,
                                                 status: int, message: str) -> None:
    with pytest.raises(error) as caught:
        plane.run_query(str(mq["exploreName"]), mq, now=NOW)
    assert caught.value.status == status
    assert caught.value.name == error.__name__
    assert caught.value.message == message
