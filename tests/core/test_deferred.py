"""A handler's ``Deferred`` runs off the loop after the lock is released; a ``quick`` one (its result already
computed) runs on the loop, without the hop to a worker thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from mockbi import MockbiConfig, OpRequest, Registry, create_app
from mockbi.core.deferred import Deferred
from tests.core.toy import Toy, ToyStore

deferred_registry = Registry("toy")


@deferred_registry.operation("getSpecial")
def get_special(store: ToyStore, req: OpRequest) -> Deferred:
    quick = req.raw_query.get("quick") == "1"
    return Deferred(lambda: {"id": 0, "name": threading.current_thread().name[:10]}, quick)


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
