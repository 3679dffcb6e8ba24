"""Fault schedules and client coverage on a GraphQL endpoint (rules keyed by root field)."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from mockbi import MockbiConfig, create_app
from tests.core.test_graphql import GqlToy


@pytest.fixture
async def client(aiohttp_client: Any) -> Any:
    return await aiohttp_client(create_app(MockbiConfig(strict=True), vendors=[GqlToy()]))


async def _post(client: Any, query: str) -> Any:
    return await client.post("/toy/graphql", json={"query": query}, headers={"Authorization": "t"})


async def test_sequence_then_truncate_on_a_root_field(client: Any) -> None:
    rule = {"vendor": "gqltoy", "operation_id": "Query.widgets", "after": 1,
            "sequence": [{"status": 503}, {"truncate": 5}]}
    assert (await client.post("/__mockbi/faults", json=rule)).status == 201
    assert (await _post(client, "{ whoami }")).status == 200  # another root field: not counted
    assert (await _post(client, "{ widgets { id } }")).status == 200  # let through (after: 1)
    assert (await _post(client, "{ widgets { id } }")).status == 503
    cut = await _post(client, "{ widgets { id } }")
    with pytest.raises(aiohttp.ClientPayloadError):
        await cut.read()
    assert (await _post(client, "{ widgets { id } }")).status == 200
    report = await (await client.get("/__mockbi/coverage/client")).json()
    rows = {r["operation_id"]: r for r in report["vendors"]["gqltoy"]["operations"]}
    assert rows["Query.widgets"]["statuses"] == {"200": 3, "503": 1}
    assert rows["Query.widgets"]["injected"] == {"200": 1, "503": 1}  # the truncated answer was injected too
    assert rows["Query.whoami"]["statuses"] == {"200": 1}
