"""Resets during in-flight requests and uploads: no 5xx, and once the last reset's in-flight requests have
finished, the world equals a freshly built one (no orphan object from the old world's callers)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson

from mockbi.config import MockbiConfig
from mockbi.server import ServerThread

from ._world import World


async def _slow_body(size: int, pause: float) -> Any:
    yield b'{"name": "uploaded", "description": "'
    for _ in range(size // 16384):
        await asyncio.sleep(pause)
        yield b"u" * 16384
    yield b'"}'


async def _storm(world: World, old_auth: dict[str, str]) -> list[int]:
    """Uploads and quick creates with seed-0 credentials while the world is reset to seed 1, 0, 1."""
    base = f"/api/projects/{world.ph_project}/dashboards/"
    async with aiohttp.ClientSession(world.url, timeout=aiohttp.ClientTimeout(total=120)) as session:
        async def post(body: Any, chunked: bool) -> int:
            headers = {**old_auth, "Content-Type": "application/json"}
            async with session.post(base, data=body, headers=headers, chunked=chunked or None) as resp:
                await resp.read()
                return resp.status

        async def resets() -> list[int]:
            statuses = []
            for seed in (1, 0, 1):
                await asyncio.sleep(0.15)
                async with session.post("/__mockbi/reset", json={"seed": seed}) as resp:
                    statuses.append(resp.status)
            return statuses

        uploads = [post(_slow_body(400_000, 0.03), True) for _ in range(8)]
        quick = [post(orjson.dumps({"name": f"quick {i}"}), False) for i in range(40)]
        *answers, reset_statuses = await asyncio.gather(*uploads, *quick, resets())
    assert reset_statuses == [200, 200, 200]
    return list(answers)


async def test_resets_during_in_flight_requests_and_uploads_leave_a_fresh_world(world: World) -> None:
    world.reset(seed=0)
    statuses = await _storm(world, world.auth("posthog"))
    assert all(s < 500 for s in statuses), statuses
    after = world.snapshot()
    with ServerThread(MockbiConfig(strict=True, clock_mode="frozen", seed=1)) as fresh_server:
        fresh = World(fresh_server)
        try:
            assert after == fresh.snapshot()
        finally:
            fresh.http.close()
    world.reset(seed=0)
    world.check_all()
