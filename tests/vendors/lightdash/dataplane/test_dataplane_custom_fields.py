"""Custom dimensions (SQL and bins) and custom metrics compile to SQL the warehouse runs; each answer is
checked against an independent computation over the seeded rows."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import pytest

from mockbi.vendors.lightdash.dataplane import CompileError, DataPlane
from tests.vendors.lightdash.dataplane.dataplane_helpers import ANCHOR, query

NOW = ANCHOR


def counts_by(plane: DataPlane, custom: dict[str, Any]) -> dict[Any, int]:
    mq = {**query("orders", [], ["orders_order_count"]), "customDimensions": [custom]}
    rows = plane.run_query("orders", mq, now=NOW)["rows"]
    return {r[custom["id"]]["value"]["raw"]: r["orders_order_count"]["value"]["raw"] for r in rows}


def test_sql_custom_dimension_referencing_table_and_fields(plane: DataPlane) -> None:
    custom = {"id": "size", "name": "Size", "type": "sql", "table": "orders", "dimensionType": "string",
              "sql": "CASE WHEN ${TABLE}.amount > 250 AND ${customers.country} = 'US' THEN 'big US' ELSE 'other' END"}
    customers = {c["customer_id"]: c for c in plane.warehouse.tables["customers"]}
    expected = Counter("big US" if o["amount"] > 250 and customers[o["customer_id"]]["country"] == "US" else "other"
                       for o in plane.warehouse.tables["orders"])
    assert counts_by(plane, custom) == dict(expected)


def test_fixed_width_bins(plane: DataPlane) -> None:
    custom = {"id": "bin", "name": "Bin", "type": "bin", "dimensionId": "orders_amount", "binType": "fixed_width",
              "binWidth": 100}
    expected = Counter(f"{math.floor(o['amount'] / 100) * 100}-{math.floor(o['amount'] / 100) * 100 + 99}"
                       for o in plane.warehouse.tables["orders"])
    assert counts_by(plane, custom) == dict(expected)


def test_custom_range_bins(plane: DataPlane) -> None:
    custom = {"id": "range", "name": "Range", "type": "bin", "dimensionId": "orders_amount",
              "binType": "custom_range", "customRange": [{"to": 100}, {"from": 100, "to": 300}, {"from": 300}]}

    def label(amount: float) -> str:
        return "<100" if amount < 100 else ("100-300" if amount < 300 else "≥300")

    assert counts_by(plane, custom) == dict(Counter(label(o["amount"]) for o in plane.warehouse.tables["orders"]))


def test_fixed_number_bins_split_the_range_evenly(plane: DataPlane) -> None:
    custom = {"id": "quarter", "name": "Quarter", "type": "bin", "dimensionId": "orders_amount",
              "binType": "fixed_number", "binNumber": 4}
    amounts = [o["amount"] for o in plane.warehouse.tables["orders"]]
    lo, hi = math.floor(min(amounts)), math.ceil(max(amounts))
    width = max(math.floor((hi - lo) / 4), 1)

    def label(amount: float) -> str:
        start = lo + min(math.floor((amount - lo) / width), 3) * width
        return f"{start}-{start + width}"

    assert counts_by(plane, custom) == dict(Counter(label(a) for a in amounts))


def test_custom_metrics_aggregate_custom_sql(plane: DataPlane) -> None:
    mq = {**query("orders", ["orders_status"], ["orders_doubled_max", "orders_promo_orders"],
                  sorts=[{"fieldId": "orders_status", "descending": False}]),
          "additionalMetrics": [
              {"name": "doubled_max", "label": "Doubled max", "table": "orders", "type": "max",
               "sql": "${TABLE}.amount * 2"},
              {"name": "promo_orders", "label": "Promo orders", "table": "orders", "type": "count_distinct",
               "sql": "CASE WHEN ${promo_code} IS NOT NULL THEN ${order_id} END"}]}
    top: dict[str, float] = defaultdict(float)
    promo: dict[str, set[int]] = defaultdict(set)
    for order in plane.warehouse.tables["orders"]:
        top[order["status"]] = max(top[order["status"]], order["amount"] * 2)
        if order["promo_code"] is not None:
            promo[order["status"]].add(order["order_id"])
    rows = plane.run_query("orders", mq, now=NOW)["rows"]
    assert [(r["orders_status"]["value"]["raw"], r["orders_doubled_max"]["value"]["raw"],
             r["orders_promo_orders"]["value"]["raw"]) for r in rows] == \
        [(s, pytest.approx(top[s]), len(promo[s])) for s in sorted(top)]


def test_a_reference_to_no_dimension_is_a_compile_error(plane: DataPlane) -> None:
    custom = {"id": "x", "name": "X", "type": "sql", "table": "orders", "sql": "${orders.colour}"}
    with pytest.raises(CompileError, match=r"\$\{orders.colour\} which matches no dimension"):
        counts_by(plane, custom)
