"""Metrics Explorer over HTTP: a metric per time bucket (plain, segmented, compared) and its period
totals, against counting the seeded orders directly."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from tests.vendors.lightdash._dataplane_http import plane_of

MONTHLY = {"field": "order_date", "interval": "MONTH", "table": "orders"}


def path(ld: Any, metric: str, action: str) -> str:
    return f"/api/v1/projects/{ld.project_uuid}/metricsExplorer/orders/{metric}/{action}"


def months_of(ld: Any, start: date, end: date, status: str | None = None) -> Counter[date]:
    orders = plane_of(ld).warehouse.tables["orders"]
    return Counter(o["order_date"].replace(day=1) for o in orders
                   if start <= o["order_date"] < end and (status is None or o["status"] == status))


def test_metric_per_month_between_two_dates(ld: Any) -> None:
    results = ld.ok("POST", path(ld, "order_count", "runMetricExplorerQuery"),
                    params={"startDate": "2024-10-01", "endDate": "2025-01-01"},
                    json={"query": {"comparison": "none"}, "timeDimensionOverride": MONTHLY})
    expected = months_of(ld, date(2024, 10, 1), date(2025, 1, 1))
    got = {p["date"]: p["metric"]["value"] for p in results["results"]}
    assert got == {f"{m.isoformat()}T00:00:00.000Z": n for m, n in sorted(expected.items())}
    assert results["metric"]["name"] == "order_count" and results["segmentDimension"] is None
    assert results["compareMetric"] is None and "orders_order_count" in results["fields"]


def test_metric_segmented_by_a_dimension(ld: Any) -> None:
    results = ld.ok("POST", path(ld, "order_count", "runMetricExplorerQuery"),
                    params={"startDate": "2024-11-01", "endDate": "2025-01-01"},
                    json={"query": {"comparison": "none", "segmentDimension": "orders_status"},
                          "timeDimensionOverride": MONTHLY})
    returned = {p["date"]: p["metric"]["value"] for p in results["results"] if p["segment"] == "returned"}
    expected = months_of(ld, date(2024, 11, 1), date(2025, 1, 1), status="returned")
    assert returned == {f"{m.isoformat()}T00:00:00.000Z": n for m, n in expected.items()}
    assert results["segmentDimension"]["name"] == "status"
    ld.error("POST", path(ld, "order_count", "runMetricExplorerQuery"), 400, "FieldReferenceError",
             params={"startDate": "2024-11-01", "endDate": "2025-01-01"},
             json={"query": {"comparison": "none", "segmentDimension": "orders_nope"}})


def test_metric_total_current_and_previous_period(ld: Any) -> None:
    total = ld.ok("POST", path(ld, "order_count", "runMetricTotal"), params={"timeFrame": "MONTH"},
                  json={"comparisonType": "previous_period"})
    # the clock starts on 2025-01-15: the current month is January 2025, the previous one December 2024
    january = months_of(ld, date(2025, 1, 1), date(2025, 2, 1))[date(2025, 1, 1)]
    december = months_of(ld, date(2024, 12, 1), date(2025, 1, 1))[date(2024, 12, 1)]
    assert total["value"]["raw"] == january and total["comparisonValue"]["raw"] == december
    assert total["value"]["formatted"] == str(january)
    plain = ld.ok("POST", path(ld, "order_count", "runMetricTotal"), params={"timeFrame": "MONTH"}, json={})
    assert "comparisonValue" not in plain
    ld.error("POST", f"/api/v1/projects/{ld.project_uuid}/metricsExplorer/nope/x/runMetricTotal", 404,
             "NotExistsError", params={"timeFrame": "MONTH"}, json={})
