"""Session-only actions: move_tile, stream_tiles (server-sent events) and create_from_template_json."""

from __future__ import annotations

from typing import Any

from mockbi.vendors.posthog.sse import parse
from tests.vendors.posthog.conftest import PostHog, hog

TEMPLATE: dict[str, Any] = {
    "template_name": "From JSON", "dashboard_description": "made by a test", "dashboard_filters": {"date_from": "-7d"},
    "tags": ["json"],
    "tiles": [{"type": "INSIGHT", "name": "Signups", "query": {"kind": "InsightVizNode", "source": {
        "kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "signed_up"}]}}},
              {"type": "TEXT", "body": "Read me", "layouts": {"sm": {"x": 0, "y": 9, "w": 12, "h": 2}}}],
}


def test_move_tile_returns_the_source_dashboard(ph: PostHog) -> None:
    tile = ph.get(ph.path("1/")).json()["tiles"][0]
    resp = ph.patch(ph.path("1/move_tile/"), key=None, session=True, json={"tile": tile, "toDashboard": 2})
    assert resp.status_code == 200
    assert resp.json()["id"] == 1 and tile["id"] not in [t["id"] for t in resp.json()["tiles"]]
    assert tile["id"] in [t["id"] for t in ph.get(ph.path("2/")).json()["tiles"]]


def test_move_tile_errors(ph: PostHog) -> None:
    url = ph.path("1/move_tile/")
    hog(ph.patch(url, key=None, session=True, json={"toDashboard": 2}), 400, "invalid_input",
        "Invalid request data for moving tile.")
    hog(ph.patch(url, key=None, session=True, json={"tile": {"id": 999999}, "toDashboard": 2}), 404, "not_found")
    first = ph.store.tiles_of(1)[0].id
    hog(ph.patch(url, key=None, session=True, json={"tile": {"id": first}, "toDashboard": 999999}), 404, "not_found")
    finance = ph.dashboard_named("Finance (restricted)")
    hog(ph.patch(url, key=None, session=True, json={"tile": {"id": first}, "to_dashboard": finance}), 403,
        "permission_denied", "You don't have edit permissions for the destination dashboard.")
    assert ph.store.tiles[first].dashboard_id == 1


def test_stream_tiles_events_in_layout_order(ph: PostHog) -> None:
    resp = ph.get(ph.path("1/stream_tiles/"), key=None, session=True)
    # a plain StreamingHttpResponse(content_type="text/event-stream"): no charset, no cache headers
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/event-stream"
    assert "Cache-Control" not in resp.headers
    assert all(chunk.startswith("data: {") for chunk in resp.text.split("\n\n") if chunk)
    events = parse(resp.text)
    assert [e["type"] for e in events] == ["metadata", "tile", "tile", "tile", "complete"]
    meta = events[0]["dashboard"]
    assert meta["id"] == 1 and len(meta["tiles"]) == 2 and meta["last_accessed_at"] == "2025-01-15T09:30:00.000000Z"
    assert [e["order"] for e in events[1:-1]] == [2, 3, 4]
    tiles = meta["tiles"] + [e["tile"] for e in events[1:-1]]
    keys = [(t["layouts"]["sm"]["y"], t["layouts"]["sm"]["x"]) for t in tiles]
    assert keys == sorted(keys) and [t["order"] for t in tiles] == list(range(5))
    retrieved = [t["id"] for t in ph.get(ph.path("1/")).json()["tiles"]]
    assert [t["id"] for t in tiles] == retrieved
    xs = parse(ph.get(ph.path("1/stream_tiles/"), key=None, session=True, params={"layoutSize": "xs"}).text)
    xs_tiles = xs[0]["dashboard"]["tiles"] + [e["tile"] for e in xs[1:-1]]
    assert [t["layouts"]["xs"]["y"] for t in xs_tiles] == sorted(t["layouts"]["xs"]["y"] for t in xs_tiles)


def test_stream_tiles_small_dashboard_and_missing_one(ph: PostHog) -> None:
    events = parse(ph.get(ph.path("3/stream_tiles"), key=None, session=True).text)
    assert [e["type"] for e in events] == ["metadata", "complete"]
    resp = ph.get(ph.path("999999/stream_tiles/"), key=None, session=True, headers={"Accept": "text/event-stream"})
    hog(resp, 404, "not_found")


def test_create_from_template_json(ph: PostHog) -> None:
    resp = ph.post(ph.path("create_from_template_json/"), key=None, session=True, json={"template": TEMPLATE})
    assert resp.status_code == 200
    body = resp.json()
    assert body["name"] == "From JSON" and body["creation_mode"] == "default" and body["tags"] == ["json"]
    assert body["filters"] == {"date_from": "-7d"} and len(body["tiles"]) == 2
    assert body["tiles"][0]["insight"]["name"] == "Signups" and body["tiles"][1]["text"]["body"] == "Read me"
    assert body["id"] in [d["id"] for d in ph.get(ph.path()).json()["results"]]


def test_create_from_template_json_errors(ph: PostHog) -> None:
    url = ph.path("create_from_template_json/")
    broken = {k: v for k, v in TEMPLATE.items() if k != "template_name"}
    body = hog(ph.post(url, key=None, session=True, json={"template": broken}), 400, "invalid_input", attr=None)
    assert body["type"] == "validation_error"
    assert body["detail"].startswith("'template_name' is a required property")
    body = hog(ph.post(url, key=None, session=True, json={"template": {**TEMPLATE, "tiles": []}}), 400,
               "invalid_input")
    assert "should be non-empty" in body["detail"] or "too short" in body["detail"]
    hog(ph.post(url, key=None, session=True, data={"template": "x"}), 415, "unsupported_media_type")
    resp = ph.post(url, key=None, session=True, json={})
    assert resp.status_code == 500 and resp.json()["type"] == "server_error"
    assert max(ph.store.dashboards) == 13
