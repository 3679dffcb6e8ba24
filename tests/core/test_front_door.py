"""``core/front_door.py``: every route of an app is served through its front door (no aiohttp middleware,
except under ``--state-file``), and a request no route matches reaches the app's last route, so it passes
the front door too and is answered as aiohttp's router would refuse it, in mockbi's JSON."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from mockbi import MockbiConfig, create_app
from mockbi.keys import DURABLE
from tests.core.toy import Toy


def _handlers(app: Any) -> list[Any]:
    return [route.handler for resource in app.router.resources() for route in _routes(resource)]


def _routes(resource: Any) -> list[Any]:
    members = getattr(resource, "_members", None)  # route_index.IndexedResources groups resources
    return [route for member in members for route in member] if members is not None else list(resource)


def test_every_route_is_served_through_the_front_door_and_no_middleware_runs() -> None:
    app = create_app(MockbiConfig(), vendors=[Toy()])
    assert not app.middlewares
    handlers = _handlers(app)
    assert len(handlers) > 30
    assert all(getattr(h, "func", None) is not None and h.func.__name__ == "_through" for h in handlers)


def test_under_a_state_file_the_front_door_is_the_outer_middleware(tmp_path: Path) -> None:
    app = create_app(MockbiConfig(state_file=str(tmp_path / "state.db")), vendors=[Toy()])
    assert [m.__name__ for m in app.middlewares] == ["front", "durable_requests", "answer_errors"]
    assert not any(getattr(h, "func", None) is not None for h in _handlers(app))
    app[DURABLE].state.close()


@pytest.mark.parametrize("state", [False, True])
async def test_a_request_no_route_matches_is_answered_in_json_and_logged(
        aiohttp_client: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, state: bool) -> None:
    config = MockbiConfig(state_file=str(tmp_path / "state.db")) if state else MockbiConfig()
    client = await aiohttp_client(create_app(config, vendors=[Toy()]))
    with caplog.at_level(logging.INFO, logger="mockbi"):
        missing = await client.get("/nope/here", headers={"Origin": "http://localhost:3000"})
        wrong = await client.delete("/__mockbi/health")
    assert missing.status == 404 and missing.content_type == "application/json"
    assert (await missing.json()) == {"error": "not_found", "message": "mockbi serves no route for GET /nope/here",
                                      "method": "GET", "path": "/nope/here"}
    assert wrong.status == 405 and wrong.content_type == "application/json"
    assert set(wrong.headers["Allow"].split(",")) == {"GET", "HEAD"}
    assert (await wrong.json())["error"] == "method_not_allowed"
    lines = [r.getMessage() for r in caplog.records if r.name == "mockbi.access"]
    assert any("GET /nope/here 404" in line for line in lines)
    journal = await (await client.get("/__mockbi/journal")).json()
    assert [(c["method"], c["path"], c["status"]) for c in journal["calls"]] == [("GET", "/nope/here", 404)]


async def test_a_tenant_request_passes_the_server_front_door_to_the_tenant_app(aiohttp_client: Any) -> None:
    client = await aiohttp_client(create_app(MockbiConfig(), vendors=[Toy()]))
    created = await client.post("/__mockbi/tenants", json={"name": "team-a"})
    assert created.status in (200, 201)
    by_path = await client.get("/tenants/team-a/toy/widgets", params={"limit": "1"})
    by_header = await client.get("/toy/widgets", params={"limit": "1"}, headers={"X-Mockbi-Tenant": "team-a"})
    assert by_path.status == by_header.status == 200
    assert (await by_path.json()) == (await by_header.json())
    tenant_journal = await (await client.get("/tenants/team-a/__mockbi/journal")).json()
    assert len(tenant_journal["calls"]) == 2
    assert (await (await client.get("/__mockbi/journal")).json())["calls"] == []
