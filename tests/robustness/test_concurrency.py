"""Truly concurrent HTTP writes lose nothing and elect one winner: 500 PostHog creates, 200 Lightdash spaces,
50 same-hash Hasura env updates (aiohttp client, all requests in flight together)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from ._world import World

UPDATE_ENV = """mutation($t: uuid!, $h: String!, $envs: [UpdateEnvObject!]!) {
  updateTenantEnv(tenantId: $t, currentHash: $h, envs: $envs) { hash envVars } }"""
GET_ENV = "query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }"


async def fire(world: World, vendor: str, requests: list[tuple[str, str, Any]]) -> list[tuple[int, Any]]:
    """Send every (method, path, json) at once; (status, JSON body) in the same order."""
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(world.url, connector=connector, headers=world.auth(vendor),
                                     timeout=aiohttp.ClientTimeout(total=300)) as session:
        async def one(method: str, path: str, body: Any) -> tuple[int, Any]:
            async with session.request(method, path, json=body) as resp:
                return resp.status, await resp.json(content_type=None)

        return await asyncio.gather(*(one(*r) for r in requests))


async def test_500_concurrent_posthog_creates_get_500_distinct_ids(world: World) -> None:
    world.reset()
    base = f"/api/projects/{world.ph_project}/dashboards/"
    answers = await fire(world, "posthog", [("POST", base, {"name": f"concurrent {i}"}) for i in range(500)])
    assert [s for s, _ in answers] == [201] * 500
    ids = {b["id"] for _, b in answers}
    assert len(ids) == 500
    listed = world.get("posthog", base, params={"limit": 1000}).json()["results"]
    assert ids <= {d["id"] for d in listed}
    assert {d["name"] for d in listed if d["id"] in ids} == {f"concurrent {i}" for i in range(500)}
    world.check_all("posthog")


async def test_200_concurrent_lightdash_spaces_are_all_present(world: World) -> None:
    world.reset()
    path = f"/api/v1/projects/{world.ld_project}/spaces"
    answers = await fire(world, "lightdash", [("POST", path, {"name": f"space {i}"}) for i in range(200)])
    assert [s for s, _ in answers] == [200] * 200
    created = {b["results"]["uuid"] for _, b in answers}
    assert len(created) == 200
    listed = world.get("lightdash", path).json()["results"]
    assert created <= {s["uuid"] for s in listed}
    world.check_all("lightdash")


async def test_50_same_hash_tenant_env_updates_have_exactly_one_winner(world: World) -> None:
    world.reset()
    tenant = world.creds["hasura_cloud"]["tenant_id"]
    start = world.gql("hasura_cloud", GET_ENV, {"t": tenant}).json()["data"]["getTenantEnv"]
    attempts = [("POST", "/v1/graphql", {"query": UPDATE_ENV, "variables": {
        "t": tenant, "h": start["hash"], "envs": [{"key": "WRITER", "value": str(i)}]}}) for i in range(50)]
    answers = await fire(world, "hasura_cloud", attempts)
    assert {s for s, _ in answers} == {200}
    winners = [b["data"]["updateTenantEnv"] for _, b in answers if b.get("data")]
    losers = [b["errors"][0] for _, b in answers if b.get("errors")]
    assert len(winners) == 1 and len(losers) == 49
    assert {e["extensions"]["code"] for e in losers} == {"unexpected"}
    final = world.gql("hasura_cloud", GET_ENV, {"t": tenant}).json()["data"]["getTenantEnv"]
    assert final == winners[0] and final["hash"] != start["hash"]
    world.check_all("hasura_cloud")

