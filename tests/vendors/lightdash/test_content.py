"""Pinned items: what a project's pinned list shows, to whom, and in which order."""

from __future__ import annotations

from mockbi.vendors.lightdash import cascade
from tests.vendors.lightdash.conftest import LightdashClient


def _base(ld: LightdashClient) -> str:
    plist = ld.store.projects[ld.project_uuid].pinnedListUuid
    return f"/api/v1/projects/{ld.project_uuid}/pinned-lists/{plist}/items"


def test_pinned_items_in_order_with_resource_shapes(ld: LightdashClient) -> None:
    items = ld.ok("GET", _base(ld))
    assert [i["type"] for i in items] == ["dashboard", "chart", "space"]
    assert [i["data"]["pinnedListOrder"] for i in items] == [0, 1, 2]
    dashboard, chart, space = items
    assert dashboard["category"] == "pinned" and dashboard["data"]["name"] == "Company overview"
    assert chart["data"]["source"] == "dbt_explore" and chart["data"]["slug"]
    assert space["data"]["name"] == "Shared" and space["data"]["chartCount"] == 3
    assert space["data"]["accessListLength"] >= 1 and "category" not in space
    assert {i["data"]["pinnedListUuid"] for i in items} == {ld.store.projects[ld.project_uuid].pinnedListUuid}


def test_reorder_pinned_items(ld: LightdashClient) -> None:
    items = ld.ok("GET", _base(ld))
    body = [{"type": i["type"], "data": {"uuid": i["data"]["uuid"], "pinnedListOrder": 2 - n}}
            for n, i in enumerate(items)]
    reordered = ld.ok("PATCH", _base(ld) + "/order", json=body)
    assert [i["type"] for i in reordered] == ["space", "chart", "dashboard"]
    assert [i["type"] for i in ld.ok("GET", _base(ld))] == ["space", "chart", "dashboard"]
    # the space's own view reflects the new pin order
    space = ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/spaces/{items[2]['data']['uuid']}")
    assert space["pinnedListOrder"] == 0


def test_reorder_needs_editor_and_valid_body(ld: LightdashClient) -> None:
    ld.error("PATCH", _base(ld) + "/order", 403, "ForbiddenError", token=ld.token_for("viewer"), json=[])
    ld.error("PATCH", _base(ld) + "/order", 422, "ValidateError", json=[{"type": "folder", "data": {}}])
    assert [i["type"] for i in ld.ok("GET", _base(ld))] == ["dashboard", "chart", "space"]


def test_deleted_content_leaves_the_pinned_list(ld: LightdashClient) -> None:
    chart = next(c for c in ld.store.saved_charts.values() if ld.store.pin_of(c.projectUuid, c.uuid)[0])
    ld.call(lambda: cascade.delete_chart(ld.store, chart.uuid))
    assert [i["type"] for i in ld.ok("GET", _base(ld))] == ["dashboard", "space"]


def test_pinned_items_errors(ld: LightdashClient) -> None:
    ld.error("GET", "/api/v1/projects/nope/pinned-lists/x/items", 404, "NotFoundError")
    assert ld.ok("GET", f"/api/v1/projects/{ld.project_uuid}/pinned-lists/unknown/items") == []
