"""The published Lightdash Python SDK (``lightdash`` 0.2.3 from PyPI), unmodified, against the mock.

The SDK is used as its README shows: ``Client(instance_url=, access_token=, project_uuid=)``, models by name,
their dimensions and metrics as attributes, ``model.query(...).to_records()``. Only ``instance_url`` points
at the mock. Every result is checked against an independent computation over the seeded warehouse rows.

0.2.3 calls ``raise_for_status()`` before it reads the body, so an error Lightdash answers with a 4xx status
(every one it sends) reaches the caller as ``httpx.HTTPStatusError`` with the Lightdash envelope in
``.response``; the SDK's own ``LightdashError`` is only raised for an error envelope under a 2xx status.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import httpx
import pytest
from lightdash import Client
from lightdash.client import LightdashError

from mockbi.vendors.lightdash.dataplane import DataPlane
from mockbi.vendors.lightdash.store import LightdashStore
from tests.clients.conftest import Mock

Row = dict[str, Any]


def sdk(mock: Mock, token: str | None = None) -> Client:
    creds = mock.credentials("lightdash")
    return Client(instance_url=mock.url, access_token=token or creds["personal_access_token"],
                  project_uuid=creds["project_uuid"])


def plane(mock: Mock) -> DataPlane:
    """The project's seeded semantic layer and warehouse, as the server holds them."""
    store = mock.handle.runtime.store("lightdash")
    assert isinstance(store, LightdashStore)
    project = mock.credentials("lightdash")["project_uuid"]
    return mock.on_loop(lambda: store.data_plane(project))  # type: ignore[no-any-return]


def table(mock: Mock, name: str) -> list[Row]:
    return plane(mock).warehouse.tables[name]


def test_models_are_the_projects_explores(mock: Mock) -> None:
    client = sdk(mock)
    explores = plane(mock).explores
    models = client.list_models()
    assert [m.name for m in models] == sorted(explores) == ["customers", "orders", "payments"]
    orders = client.models.orders
    assert orders is next(m for m in models if m.name == "orders")  # the SDK caches the list
    assert (orders.type, orders.database_name, orders.schema_name) == ("default", "analytics", "jaffle_shop")
    assert orders.label == explores["orders"]["label"] == "Orders"
    assert orders.description == "One row per order placed in the shop."
    assert sorted(dir(client.models)) == sorted(explores)
    with pytest.raises(AttributeError, match="No model named 'refunds' found"):
        client.models.refunds  # noqa: B018


def test_dimensions_and_metrics_are_the_base_tables_fields(mock: Mock) -> None:
    model = sdk(mock).models.orders
    base = plane(mock).explores["orders"]["tables"]["orders"]
    dimensions = model.list_dimensions()
    assert [d.name for d in dimensions] == list(base["dimensions"])
    assert {"status", "order_date", "order_date_month", "created_raw"} <= {d.name for d in dimensions}
    assert all(d.label == base["dimensions"][d.name]["label"] for d in dimensions)
    metrics = model.list_metrics()
    assert [m.name for m in metrics] == list(base["metrics"]) == [
        "order_count", "unique_order_count", "unique_customer_count", "total_order_amount",
        "average_order_amount", "min_order_amount", "max_order_amount"]
    assert model.metrics.max_order_amount.label == "Largest order"
    assert model.dimensions.status.field_id == "orders_status"
    assert model.dimensions.order_date_month.label == "Order date month"
    with pytest.raises(AttributeError, match="No metric named 'revenue' found"):
        model.metrics.revenue  # noqa: B018


def test_group_by_status_equals_aggregating_the_orders(mock: Mock) -> None:
    model = sdk(mock).models.orders
    m = model.metrics
    records = model.query(metrics=[m.order_count, m.unique_customer_count, m.total_order_amount,
                                   m.average_order_amount, m.min_order_amount, m.max_order_amount],
                          dimensions=[model.dimensions.status]).to_records()
    groups: dict[str, list[Row]] = defaultdict(list)
    for order in table(mock, "orders"):
        groups[order["status"]].append(order)
    expected = {}
    for status, rows in groups.items():
        amounts = [r["amount"] for r in rows]
        expected[status] = {"Status": status, "Order count": len(rows),
                            "Unique customers": len({r["customer_id"] for r in rows}),
                            "Total order amount": math.fsum(amounts),
                            "Average order amount": pytest.approx(math.fsum(amounts) / len(amounts)),
                            "Smallest order": min(amounts), "Largest order": max(amounts)}
    assert len(records) == len(expected) == 5  # the SDK sends no sorts: compare as a set of groups
    assert {r["Status"]: r for r in records} == expected


def test_field_id_strings_reach_joined_tables(mock: Mock) -> None:
    """The README's other spelling: metrics and dimensions as field-id strings, here a joined table's."""
    model = sdk(mock).models.orders
    records = model.query(metrics="orders_order_count", dimensions="customers_country", limit=100).to_records()
    country = {c["customer_id"]: c["country"] for c in table(mock, "customers")}
    expected = Counter(country.get(o["customer_id"]) for o in table(mock, "orders"))
    assert {r["Country"]: r["Order count"] for r in records} == dict(expected)


def test_month_dimension_raw_values_are_month_starts(mock: Mock) -> None:
    model = sdk(mock).models.orders
    records = model.query(metrics=[model.metrics.order_count], dimensions=[model.dimensions.order_date_month],
                          limit=5000).to_records()
    months: Counter[str] = Counter()
    for order in table(mock, "orders"):
        day: date = order["order_date"]
        months[f"{day.year:04d}-{day.month:02d}-01T00:00:00.000Z"] += 1
    assert {r["Order date month"]: r["Order count"] for r in records} == dict(months)
    assert len(months) >= 24  # two years of history


def test_metric_only_query_and_limits(mock: Mock) -> None:
    model = sdk(mock).models.orders
    orders = table(mock, "orders")
    assert model.query(metrics=model.metrics.order_count).to_records() == [{"Order count": len(orders)}]
    total = model.query(metrics="orders_total_order_amount").to_json()
    assert total == [{"Total order amount": math.fsum(o["amount"] for o in orders)}]
    by_id = {o["order_id"]: o["amount"] for o in orders}
    seven = model.query(metrics=[], dimensions=[model.dimensions.order_id, model.dimensions.amount],
                        limit=7).to_records()
    assert len(seven) == 7 and all(by_id[r["Order id"]] == r["Amount"] for r in seven)
    everything = model.query(metrics=[], dimensions=["orders_order_id"], limit=5000).to_records()
    assert sorted(r["Order id"] for r in everything) == sorted(by_id)  # the SDK's top limit is accepted


def test_payments_model_revenue_by_method(mock: Mock) -> None:
    model = sdk(mock).models.payments
    records = model.query(metrics=[model.metrics.total_revenue, model.metrics.payment_count],
                          dimensions=model.dimensions.payment_method).to_records()
    revenue: dict[str, list[float]] = defaultdict(list)
    for payment in table(mock, "payments"):
        revenue[payment["payment_method"]].append(payment["amount"])
    assert {r["Payment method"]: (r["Total revenue"], r["Payment count"]) for r in records} == {
        method: (math.fsum(amounts), len(amounts)) for method, amounts in revenue.items()}


def test_the_sdk_sends_only_its_three_operations(mock: Mock) -> None:
    model = sdk(mock).models.customers
    model.query(metrics=model.metrics.customer_count, dimensions=model.dimensions.country).to_records()
    calls = mock.handle.runtime.journal.calls.filter(vendor="lightdash")
    assert [(c.method, c.operation_id, c.status) for c in calls] == [
        ("GET", "GetExplores", 200), ("GET", "GetExplore", 200), ("GET", "GetExplore", 200),
        ("POST", "RunMetricQuery", 200)]


def test_wrong_token_surfaces_the_lightdash_401(mock: Mock) -> None:
    client = sdk(mock, token="ldpat_" + "0" * 32)
    with pytest.raises(httpx.HTTPStatusError) as caught:
        client.list_models()
    assert not isinstance(caught.value, LightdashError)
    response = caught.value.response
    assert response.status_code == 401
    assert response.json() == {"status": "error", "error": {
        "statusCode": 401, "name": "AuthorizationError", "message": "Personal access token is not recognised",
        "data": {}}}


def test_unknown_field_surfaces_the_lightdash_400(mock: Mock) -> None:
    model = sdk(mock).models.orders
    with pytest.raises(httpx.HTTPStatusError) as caught:
        model.query(metrics="orders_revenue").to_records()
    error = caught.value.response.json()["error"]
    assert caught.value.response.status_code == error["statusCode"] == 400
    assert error["name"] == "FieldReferenceError"
    assert error["message"] == "Tried to reference metric with unknown field id: orders_revenue"
