"""A handler's ``Deferred`` runs off the loop after the lock is released; a ``quick`` one (its result already
computed) runs on the loop, without the hop to a worker thread; its ``then`` finishes the request under the
lock with the store of the world current then."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from mockbi import MockbiConfig, OpRequest, Registry, create_app
from mockbi.core.deferred import Deferred
from tests.core.toy import Toy, ToyStore, get_widget

deferred_registry = Registry("toy")


@deferred_registry.operation("getSpecial")
def get_special(store: ToyStore, req: OpRequest) -> Deferred:
    quick = req.raw_query.get("quick") == "1"
    return Deferred(lambda: {"id": 0, "name": threading.current_thread().name[:10]}, quick)


deferred_registry.operation("getWidget")(get_widget)


class Gates:
    """Test-owned events the slow create waits on (one pair per test)."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()


GATES: dict[str, Gates] = {}


@deferred_registry.operation("createWidget")
def create_widget_slowly(store: ToyStore, req: OpRequest) -> Deferred:
    """The name is worked out off the loop (waiting on the test's gate); the widget is stored by ``then``."""
    gates, name = GATES[req.body["name"]], req.body["name"]

    def work() -> str:
        gates.started.set()
        assert gates.release.wait(10)
        return name.upper()

    def then(live: ToyStore, upper: str) -> dict[str, Any]:
        new_id = max(live.widgets, default=0) + 1
        live.widgets[new_id] = {"id": new_id, "name": upper, "size": None}
        return live.widgets[new_id]

    return Deferred(work, then=then)


class DeferredToy(Toy):
    def __init__(self) -> None:
        type(self).registry = deferred_registry


@pytest.mark.parametrize(("quick", "on_loop"), [("0", False), ("1", True)])
async def test_deferred_work_runs_off_the_loop_unless_it_is_quick(aiohttp_client: Any, quick: str,
                                                                  on_loop: bool) -> None:
    client = await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[DeferredToy()]))
    resp = await client.get("/toy/widgets/special", params={"quick": quick})
    assert resp.status == 200, await resp.text()
    assert ((await resp.json())["name"] == threading.current_thread().name[:10]) is on_loop


async def test_then_writes_to_the_live_store_after_the_work_with_the_lock_released_meanwhile(
        aiohttp_client: Any) -> None:
    client = await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[DeferredToy()]))
    GATES["slow"] = gates = Gates()
    try:
        pending = asyncio.ensure_future(client.post("/toy/widgets", json={"name": "slow"}))
        while not gates.started.is_set():
            await asyncio.sleep(0.005)
        assert (await client.get("/toy/widgets/special")).status == 200  # the lock is free while the work runs
        assert (await client.post("/__mockbi/reset", json={"scenario": "empty"})).status == 200
        gates.release.set()
        resp = await pending
    finally:
        GATES.pop("slow")
    assert resp.status == 201, await resp.text()
    created = await resp.json()
    # written into the world that exists when it is answered: the reset's empty one (three seeded widgets before)
    assert created == {"id": 1, "name": "SLOW", "size": None}
    assert await (await client.get("/toy/widgets/1")).json() == created
