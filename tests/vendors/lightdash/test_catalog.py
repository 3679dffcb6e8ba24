"""Catalog over HTTP: tables and fields, metadata, chart analytics, the metrics catalog (search, sort,
categories, Knex pagination), metrics with time dimensions, segment dimensions, categories and icons,
and the metrics tree."""

from __future__ import annotations

from typing import Any


def base(ld: Any) -> str:
    return f"/api/v1/projects/{ld.project_uuid}/dataCatalog"


def test_catalog_lists_tables_and_fields(ld: Any) -> None:
    items = ld.ok("GET", base(ld))
    tables = [i for i in items if i["type"] == "table"]
    assert {t["name"] for t in tables} == {"orders", "customers", "payments"}
    fields = {(i["tableName"], i["name"]): i for i in items if i["type"] == "field"}
    assert fields[("orders", "status")]["fieldType"] == "dimension"
    assert fields[("orders", "order_count")]["fieldType"] == "metric"
    assert ("orders", "order_date_week") not in fields  # interval children are not indexed
    assert ld.ok("GET", base(ld), params={"type": "table"}) == tables
    metrics = ld.ok("GET", base(ld), params={"filter": "metrics"})
    assert metrics and all(i.get("fieldType") == "metric" for i in metrics)
    found = ld.ok("GET", base(ld), params={"search": "payment method"})
    assert [(i["tableName"], i["name"]) for i in found] == [("payments", "payment_method")]
    # chart usage counts the saved charts that use a field
    using_status = [c for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid
                    and "orders_status" in c.metricQuery["dimensions"]]
    assert fields[("orders", "status")]["chartUsage"] == len(using_status) > 0


def test_metadata_analytics_and_segment_dimensions(ld: Any) -> None:
    meta = ld.ok("GET", f"{base(ld)}/orders/metadata")
    assert meta["name"] == "orders" and meta["modelName"] == "orders"
    assert meta["joinedTables"] == ["customers", "payments"]
    assert {f["name"] for f in meta["fields"]} >= {"status", "order_count", "total_order_amount"}
    ld.error("GET", f"{base(ld)}/nope/metadata", 404, "NotExistsError")
    charts = ld.ok("GET", f"{base(ld)}/orders/analytics")["charts"]
    expected = {c.uuid for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid
                and c.tableName == "orders"}
    assert {c["uuid"] for c in charts} == expected
    by_field = ld.ok("GET", f"{base(ld)}/orders/analytics/status")["charts"]
    assert {c["name"] for c in by_field} == {"Revenue by status", "Order details"}
    segments = ld.ok("GET", f"{base(ld)}/orders/segment-dimensions")
    assert {d["name"] for d in segments} >= {"status", "promo_code"}
    assert all(d["type"] in ("string", "boolean") for d in segments)


def test_metrics_catalog_search_sort_and_pagination(ld: Any) -> None:
    everything = ld.ok("GET", f"{base(ld)}/metrics")
    assert "pagination" not in everything
    names = [m["name"] for m in everything["data"]]
    assert names == sorted(names) and "order_count" in names
    page = ld.ok("GET", f"{base(ld)}/metrics", params={"page": 2, "pageSize": 3, "sort": "name", "order": "desc"})
    assert page["pagination"] == {"page": 2, "pageSize": 3, "totalResults": len(names),
                                  "totalPageCount": -(-len(names) // 3)}
    assert [m["name"] for m in page["data"]] == sorted(names, reverse=True)[3:6]
    found = ld.ok("GET", f"{base(ld)}/metrics", params={"search": "revenue"})["data"]
    assert [m["name"] for m in found] == ["total_revenue"]
    error = ld.error("GET", f"{base(ld)}/metrics", 422, "KnexPaginationError", params={"page": -1, "pageSize": 3})
    assert error["message"] == "page should be greater than 0"
    # the controller paginates only when both are truthy (`page && pageSize`): page 0 lists everything
    assert "pagination" not in ld.ok("GET", f"{base(ld)}/metrics", params={"page": 0, "pageSize": 3})


def test_categories_and_icons_on_catalog_items(ld: Any) -> None:
    metric = next(m for m in ld.ok("GET", f"{base(ld)}/metrics")["data"] if m["name"] == "order_count")
    tag = next(t for t in ld.store.tags.values() if t.projectUuid == ld.project_uuid and t.name == "core metrics")
    item = f"{base(ld)}/{metric['catalogSearchUuid']}"
    assert ld.post(f"{item}/categories", json={"tagUuid": tag.tagUuid}).json() == {"status": "ok"}
    ld.ok("POST", f"{item}/categories", json={"tagUuid": tag.tagUuid})  # idempotent
    ld.ok("PATCH", f"{item}/icon", json={"icon": {"unicode": "📈"}})
    tagged = ld.ok("GET", f"{base(ld)}/metrics", params={"categories": tag.tagUuid})["data"]
    assert [m["name"] for m in tagged] == ["order_count"]
    assert tagged[0]["categories"] == [{"name": "core metrics", "color": tag.color, "tagUuid": tag.tagUuid}]
    assert tagged[0]["icon"] == {"unicode": "📈"}
    ld.ok("DELETE", f"{item}/categories/{tag.tagUuid}")
    ld.ok("PATCH", f"{item}/icon", json={"icon": None})
    again = next(m for m in ld.ok("GET", f"{base(ld)}/metrics")["data"] if m["name"] == "order_count")
    assert again["categories"] == [] and again["icon"] is None
    ld.error("POST", f"{base(ld)}/no-such-item/categories", 404, "NotFoundError", json={"tagUuid": tag.tagUuid})
    ld.error("POST", f"{item}/categories", 404, "NotFoundError", json={"tagUuid": "no-such-tag"})
    ld.error("PATCH", f"{item}/icon", 403, "ForbiddenError", json={"icon": None}, token=ld.token_for("viewer"))


def test_metric_and_metrics_with_time_dimensions(ld: Any) -> None:
    metric = ld.ok("GET", f"{base(ld)}/metrics/orders/order_count")
    assert metric["name"] == "order_count" and metric["fieldType"] == "metric"
    assert metric["timeDimension"] == {"field": "order_date", "interval": "DAY", "table": "orders"}
    assert any(d["name"] == "order_date" for d in metric["availableTimeDimensions"])
    with_time = ld.ok("GET", f"{base(ld)}/metrics-with-time-dimensions")
    assert with_time and all(m.get("timeDimension") for m in with_time)
    ld.error("GET", f"{base(ld)}/metrics/orders/nope", 400, "FieldReferenceError")


def test_metrics_tree_edges(ld: Any) -> None:
    metrics = {m["name"]: m for m in ld.ok("GET", f"{base(ld)}/metrics")["data"]}
    source, target = metrics["total_order_amount"], metrics["order_count"]
    edge = {"sourceCatalogSearchUuid": source["catalogSearchUuid"],
            "targetCatalogSearchUuid": target["catalogSearchUuid"]}
    assert ld.post(f"{base(ld)}/metrics/tree/edges", json=edge).json() == {"status": "ok"}
    ld.error("POST", f"{base(ld)}/metrics/tree/edges", 409, "AlreadyExistsError", json=edge)
    tree = ld.ok("GET", f"{base(ld)}/metrics/tree", params={"metricUuids": [target["catalogSearchUuid"]]})
    assert len(tree["edges"]) == 1
    got = tree["edges"][0]
    assert got["source"] == {"catalogSearchUuid": source["catalogSearchUuid"], "name": "total_order_amount",
                             "tableName": "orders"}
    assert got["target"]["name"] == "order_count" and got["createdByUserUuid"] == ld.store.admin_uuid
    assert got["projectUuid"] == ld.project_uuid
    ld.ok("DELETE", f"{base(ld)}/metrics/tree/edges/{source['catalogSearchUuid']}/{target['catalogSearchUuid']}")
    assert ld.ok("GET", f"{base(ld)}/metrics/tree", params={"metricUuids": [target["catalogSearchUuid"]]}) == \
        {"edges": []}
    ld.error("POST", f"{base(ld)}/metrics/tree/edges", 404, "NotFoundError",
             json={**edge, "targetCatalogSearchUuid": "nope"})
